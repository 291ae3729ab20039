/// Runs `body` with a C string for `string`, or NULL when it is nil.
func withOptionalCString<T>(_ string: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
    guard let string else { return body(nil) }
    return string.withCString(body)
}

/// Runs `body` with an array of C strings that live for the call.
func withCStringArray<T>(_ strings: [String], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> T) -> T {
    withOptionalCStringArray(strings.map { Optional($0) }, body)
}

/// Like `withCStringArray`, with nil elements passed as NULL (SQL NULL parameters).
func withOptionalCStringArray<T>(_ strings: [String?], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> T) -> T {
    // One allocation per string keeps every pointer valid for the whole call.
    let owned: [UnsafeMutablePointer<CChar>?] = strings.map { s in
        guard let s else { return nil }
        let utf8 = Array(s.utf8CString)
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        p.initialize(from: utf8, count: utf8.count)
        return p
    }
    defer { owned.forEach { $0?.deallocate() } }
    let pointers = owned.map { $0.map { UnsafePointer($0) } }
    return pointers.withUnsafeBufferPointer(body)
}

/// Checks that bytes are one JSON document PostgreSQL's jsonb will accept, so a
/// plugin's malformed JSON costs one cell (stored as NULL), not a whole COPY.
package struct JSONValidator {
    private let p: UnsafePointer<UInt8>
    private let n: Int
    private var i = 0
    private var depth = 0

    package static func isValid(_ raw: UnsafeRawBufferPointer) -> Bool {
        guard let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else { return false }
        var v = JSONValidator(p: base, n: raw.count)
        guard v.value() else { return false }
        v.skipSpace()
        return v.i == v.n
    }

    private init(p: UnsafePointer<UInt8>, n: Int) {
        self.p = p
        self.n = n
    }

    private mutating func skipSpace() {
        while i < n, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0A || p[i] == 0x0D { i += 1 }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let len = word.utf8CodeUnitCount
        guard i + len <= n else { return false }
        for k in 0..<len where p[i + k] != word.utf8Start[k] { return false }
        i += len
        return true
    }

    private mutating func value() -> Bool {
        skipSpace()
        guard i < n else { return false }
        switch p[i] {
        case 0x7B: return container(close: 0x7D, keyed: true)
        case 0x5B: return container(close: 0x5D, keyed: false)
        case 0x22: return string()
        case 0x74: return literal("true")
        case 0x66: return literal("false")
        case 0x6E: return literal("null")
        default: return number()
        }
    }

    private mutating func container(close: UInt8, keyed: Bool) -> Bool {
        depth += 1
        guard depth < 512 else { return false }
        defer { depth -= 1 }
        i += 1
        skipSpace()
        if i < n, p[i] == close { i += 1; return true }
        while true {
            if keyed {
                skipSpace()
                guard i < n, p[i] == 0x22, string() else { return false }
                skipSpace()
                guard i < n, p[i] == 0x3A else { return false }
                i += 1
            }
            guard value() else { return false }
            skipSpace()
            guard i < n else { return false }
            if p[i] == 0x2C { i += 1; continue }
            if p[i] == close { i += 1; return true }
            return false
        }
    }

    private mutating func string() -> Bool {
        i += 1
        while i < n {
            let b = p[i]
            if b == 0x22 { i += 1; return true }
            if b < 0x20 { return false }
            if b == 0x5C {
                guard i + 1 < n else { return false }
                let e = p[i + 1]
                if e == 0x75 {
                    guard i + 6 <= n else { return false }
                    var code: UInt32 = 0
                    for k in 2..<6 {
                        guard let h = hexValue(p[i + k]) else { return false }
                        code = code << 4 | h
                    }
                    if code == 0 { return false }  // jsonb cannot store \u0000
                    i += 6
                    continue
                }
                guard [0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74].contains(e) else { return false }
                i += 2
                continue
            }
            if b >= 0x80 {
                let len = UTF8Validation.sequenceLength(p, at: i, count: n)
                guard len > 0 else { return false }
                i += len
                continue
            }
            i += 1
        }
        return false
    }

    private func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case 0x30...0x39: UInt32(b - 0x30)
        case 0x41...0x46: UInt32(b - 0x41 + 10)
        case 0x61...0x66: UInt32(b - 0x61 + 10)
        default: nil
        }
    }

    private mutating func number() -> Bool {
        let start = i
        if i < n, p[i] == 0x2D { i += 1 }
        guard i < n, p[i] >= 0x30, p[i] <= 0x39 else { return false }
        if p[i] == 0x30 { i += 1 } else { while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 } }
        if i < n, p[i] == 0x2E {
            i += 1
            guard i < n, p[i] >= 0x30, p[i] <= 0x39 else { return false }
            while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        }
        if i < n, p[i] == 0x65 || p[i] == 0x45 {
            i += 1
            if i < n, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
            guard i < n, p[i] >= 0x30, p[i] <= 0x39 else { return false }
            while i < n, p[i] >= 0x30, p[i] <= 0x39 { i += 1 }
        }
        return i > start
    }
}

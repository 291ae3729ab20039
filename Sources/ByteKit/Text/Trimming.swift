extension StringProtocol {
    /// Without leading and trailing spaces and tabs, and also carriage returns
    /// and line feeds when `newlines` (Foundation-free `trimmingCharacters`).
    public func trimmingBlanks(newlines: Bool = false) -> String {
        let isBlank: (Character) -> Bool = { c in
            c == " " || c == "\t" || (newlines && (c == "\n" || c == "\r"))
        }
        guard let first = firstIndex(where: { !isBlank($0) }), let last = lastIndex(where: { !isBlank($0) }) else { return "" }
        return String(self[first...last])
    }
}

/// Why a line is not a JSON object (the journalctl parser reports it as unparsed).
enum JSONSyntaxError: Error {
    case notAnObject
    case truncated
    case unexpectedByte(at: Int)
    case tooDeep
    case trailingBytes(at: Int)
}

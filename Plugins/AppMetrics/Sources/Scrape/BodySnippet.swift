/// A short, log-safe rendering of the start of a response body: printable
/// ASCII as is, everything else escaped, so a binary or hostile body cannot
/// garble the log line.
enum BodySnippet {
    static let defaultLimit = 80

    static func make(_ body: [UInt8], limit: Int = defaultLimit) -> String {
        var out = ""
        for byte in body.prefix(limit) {
            switch byte {
            case UInt8(ascii: "\\"): out += "\\\\"
            case UInt8(ascii: "\""): out += "\\\""
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x20...0x7E: out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "\\x" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        let more = body.count > limit ? "... (\(body.count) bytes)" : ""
        return "\"" + out + "\"" + more
    }
}

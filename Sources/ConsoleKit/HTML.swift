import CollectorCore

/// Builds an HTML document. Text is escaped by `text(_:)` and attribute values
/// by `attr(_:_:)`; `raw(_:)` takes only markup written in this module, never a
/// value from the database or the request. That split is the console's whole
/// defence against injection: log lines are attacker-controlled.
package struct HTML: Sendable {
    package private(set) var output: String = ""

    package init() { output.reserveCapacity(16 << 10) }

    package mutating func raw(_ markup: String) { output += markup }

    package mutating func text(_ value: String) { output += Self.escape(value) }

    /// `<tag attrs>text</tag>` with `text` escaped.
    package mutating func element(_ tag: String, _ text: String, class cls: String? = nil) {
        output += "<" + tag
        if let cls { output += " class=\"" + Self.escape(cls) + "\"" }
        output += ">" + Self.escape(text) + "</" + tag + ">"
    }

    /// Escapes for text and for double-quoted attribute values. Control
    /// characters (but tab and newline) become U+FFFD, so a log line cannot
    /// smuggle terminal escapes or NULs into a page; the Swift String has
    /// already replaced any invalid UTF-8 (libpq's text is decoded with repair).
    package static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Percent-encodes a path segment or query value (RFC 3986 unreserved kept).
    package static func urlEncode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".utf8)
                out += "%" + String(decoding: [hex[Int(byte >> 4)], hex[Int(byte & 15)]], as: UTF8.self)
            }
        }
        return out
    }

    /// Decodes `application/x-www-form-urlencoded` (`+` is a space); invalid
    /// escapes are kept as written, invalid UTF-8 repaired.
    package static func formDecode(_ s: Substring, plusIsSpace: Bool = true) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(s.utf8)[...]
        while let b = utf8.popFirst() {
            if b == UInt8(ascii: "+") && plusIsSpace {
                bytes.append(0x20)
            } else if b == UInt8(ascii: "%"), utf8.count >= 2, let hi = hexValue(utf8[utf8.startIndex]),
                      let lo = hexValue(utf8[utf8.startIndex + 1]) {
                bytes.append(hi << 4 | lo)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A path segment: `%XX` decoded, `+` kept.
    package static func pathDecode(_ s: String) -> String { formDecode(s[...], plusIsSpace: false) }

    /// `a=1&b=2` into a dictionary (the last duplicate wins).
    package static func parseForm(_ body: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = parts.first else { continue }
            out[formDecode(key)] = parts.count > 1 ? formDecode(parts[1]) : ""
        }
        return out
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// One table cell: escaped text, optionally a link, a class, right-aligned figures.
package struct Cell: Sendable, ExpressibleByStringLiteral {
    package var text: String
    package var cls: String?
    package var href: String?
    package var numeric = false

    package init(_ text: String, cls: String? = nil, href: String? = nil, numeric: Bool = false) {
        self.text = text
        self.cls = cls
        self.href = href
        self.numeric = numeric
    }

    package init(stringLiteral value: String) { text = value }

    package static func num(_ text: String) -> Cell { Cell(text, numeric: true) }
}

extension HTML {
    package mutating func table(_ headers: [String], _ rows: [[Cell]], empty: String = "none") {
        guard !rows.isEmpty else {
            raw("<p class=\"mute\">"); text(empty); raw("</p>")
            return
        }
        raw("<table><thead><tr>")
        for header in headers { raw("<th>"); text(header); raw("</th>") }
        raw("</tr></thead><tbody>")
        for row in rows {
            raw("<tr>")
            for cell in row {
                var classes: [String] = []
                if cell.numeric { classes.append("num") }
                if let cls = cell.cls { classes.append(cls) }
                raw(classes.isEmpty ? "<td>" : "<td class=\"" + HTML.escape(classes.joined(separator: " ")) + "\">")
                if let href = cell.href { raw("<a href=\"" + HTML.escape(href) + "\">") }
                text(cell.text)
                if cell.href != nil { raw("</a>") }
                raw("</td>")
            }
            raw("</tr>")
        }
        raw("</tbody></table>")
    }
}

import ByteKit

// A strict TOML 1.0 parser that produces `ConfigNode`.
//
// Why not TOMLKit: it imports Foundation, which alone costs about 6 MB of the
// daemon's 20 MB RSS budget on Linux. This file uses only the standard library.
//
// It reads the UTF-8 bytes of the input. Every TOML delimiter is ASCII, so
// non-ASCII text can be copied through byte for byte, and errors can carry plain
// byte offsets that become a line and column only when reported.
//
// Dates and times come back as `.string` holding their original text: no
// collector key is a date, and the text keeps them lossless.

/// Parses TOML 1.0 documents into `ConfigNode` trees.
package enum TOMLParser {
    /// Parses a whole document. The result is always `.table`.
    package static func parse(_ text: String) throws(TOMLParseError) -> ConfigNode {
        try parse(bytes: Array(text.utf8))
    }

    /// Parses a document from its bytes as read from a file: TOML 1.0 requires
    /// valid UTF-8, so a malformed sequence is an error at its line and column
    /// rather than a U+FFFD that would end up in a value.
    package static func parse(bytes: [UInt8]) throws(TOMLParseError) -> ConfigNode {
        var reader = TOMLReader(bytes: bytes)
        do throws(TOMLFailure) {
            try reader.checkEncoding()
            return try reader.readDocument()
        } catch {
            throw TOMLParseError(error, in: bytes)
        }
    }

    /// Editors on Windows may save one; it is not part of the document.
    package static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
}

// MARK: - The document tree while it is built

/// A key as written, with where it was written for error messages.
private struct TOMLKey {
    package let name: String
    package let offset: Int
}

/// How a table came to exist, which decides what may still add to it (TOML 1.0, "Table").
private enum TOMLTableOrigin {
    /// Created only as a parent by a header: `[a.b]` creates `a`, which `[a]` may still define.
    case implicit
    /// Defined by its own `[header]` or `[[header]]`; dotted keys from elsewhere may not add to it.
    case header
    /// Defined by dotted keys (`a.b = 1` defines `a`); headers may add sub-tables but not redefine it.
    case dotted
}

/// How a key path is being followed, which decides the tables it may pass through.
private enum TOMLWalk {
    case header
    case dottedKey
    /// Back down to the table of the current `[header]`, which is known to exist.
    case section
}

private enum TOMLEntry {
    /// Scalars, static arrays and inline tables: complete where they are written, closed to extension.
    case value(ConfigNode)
    case table(TOMLTableBuilder)
    case tableArray([TOMLTableBuilder])

    package var node: ConfigNode {
        switch self {
        case .value(let value): value
        case .table(let table): table.node
        case .tableArray(let tables): .array(tables.map(\.node))
        }
    }
}

/// A table that can still grow, with the bookkeeping TOML's redefinition rules need.
private struct TOMLTableBuilder {
    package var origin: TOMLTableOrigin
    package var entries: [String: TOMLEntry] = [:]

    package var node: ConfigNode { .table(entries.mapValues(\.node)) }

    /// `[a.b.c]`
    package mutating func defineTable(at keys: [TOMLKey]) throws(TOMLFailure) {
        guard !keys.isEmpty else { return }
        try withTable(along: keys, from: 0, to: keys.count - 1, walk: .header) { parent throws(TOMLFailure) in
            try parent.defineTable(keys)
        }
    }

    /// `[[a.b.c]]`
    package mutating func appendTable(at keys: [TOMLKey]) throws(TOMLFailure) {
        guard !keys.isEmpty else { return }
        try withTable(along: keys, from: 0, to: keys.count - 1, walk: .header) { parent throws(TOMLFailure) in
            try parent.appendTable(keys)
        }
    }

    /// `a.b.c = value`, inside the table the `section` keys lead to.
    package mutating func setValue(_ value: ConfigNode, at keys: [TOMLKey], in section: [TOMLKey]) throws(TOMLFailure) {
        guard !keys.isEmpty else { return }
        let path = section + keys
        try withTable(along: path, from: 0, to: section.count, walk: .section) { table throws(TOMLFailure) in
            try table.withTable(along: path, from: section.count, to: path.count - 1, walk: .dottedKey) { parent throws(TOMLFailure) in
                try parent.insertValue(value, path: path)
            }
        }
    }

    /// Runs `body` on the table `path[index..<end]` leads to from this one,
    /// entering or creating each step as `walk` allows. The whole `path` from the
    /// root is passed down unchanged, and a step's name for messages is cut from
    /// it only when one is thrown, so a key of n parts costs O(n), not O(n²).
    /// The recursion is as deep as the key has parts, which the reader bounds
    /// (`TOMLReader.maxKeyDepth`).
    private mutating func withTable(
        along path: [TOMLKey],
        from index: Int,
        to end: Int,
        walk: TOMLWalk,
        _ body: (inout TOMLTableBuilder) throws(TOMLFailure) -> Void
    ) throws(TOMLFailure) {
        guard index < end else { return try body(&self) }
        let key = path[index]
        let here = path[...index]
        // The entry is moved out while it is edited so its storage stays uniquely
        // referenced and nested edits do not copy. A failure abandons the whole
        // parse, so a removed entry never needs restoring.
        switch entries.removeValue(forKey: key.name) {
        case nil:
            var child = TOMLTableBuilder(origin: walk == .dottedKey ? .dotted : .implicit)
            try child.withTable(along: path, from: index + 1, to: end, walk: walk, body)
            entries[key.name] = .table(child)
        case .table(var child):
            if walk == .dottedKey {
                switch child.origin {
                case .header:
                    throw TOMLFailure(
                        offset: key.offset,
                        message: "table \(display(here)) is defined by a [header]; dotted keys cannot add to it")
                case .implicit:
                    // From now on dotted keys define it, so a later [header] would redefine it.
                    child.origin = .dotted
                case .dotted:
                    break
                }
            }
            try child.withTable(along: path, from: index + 1, to: end, walk: walk, body)
            entries[key.name] = .table(child)
        case .tableArray(var tables):
            // Headers and the current section always mean the most recent element.
            guard walk != .dottedKey, var child = tables.popLast() else {
                throw TOMLFailure(
                    offset: key.offset,
                    message: "cannot add to array of tables \(display(here)) with dotted keys")
            }
            try child.withTable(along: path, from: index + 1, to: end, walk: walk, body)
            tables.append(child)
            entries[key.name] = .tableArray(tables)
        case .value(.table):
            throw TOMLFailure(offset: key.offset, message: "cannot extend inline table \(display(here))")
        case .value(let value):
            throw TOMLFailure(
                offset: key.offset,
                message: "key \(display(here)) is already defined as \(value.typeName), not a table")
        }
    }

    /// Defines the table named by the last of `path` (the full path, for messages).
    private mutating func defineTable(_ path: [TOMLKey]) throws(TOMLFailure) {
        let key = path[path.count - 1]
        switch entries[key.name] {
        case nil:
            entries[key.name] = .table(TOMLTableBuilder(origin: .header))
        case .table(var table) where table.origin == .implicit:
            table.origin = .header
            entries[key.name] = .table(table)
        case .table(let table):
            let how = table.origin == .dotted ? " by dotted keys" : ""
            throw TOMLFailure(offset: key.offset, message: "table \(display(path)) is already defined\(how)")
        case .tableArray:
            throw TOMLFailure(
                offset: key.offset, message: "table \(display(path)) is already defined as an array of tables")
        case .value(.table):
            throw TOMLFailure(
                offset: key.offset, message: "table \(display(path)) is already defined as an inline table")
        case .value(let value):
            throw TOMLFailure(
                offset: key.offset,
                message: "key \(display(path)) is already defined as \(value.typeName), not a table")
        }
    }

    private mutating func appendTable(_ path: [TOMLKey]) throws(TOMLFailure) {
        let key = path[path.count - 1]
        switch entries.removeValue(forKey: key.name) {
        case nil:
            entries[key.name] = .tableArray([TOMLTableBuilder(origin: .header)])
        case .tableArray(var tables):
            tables.append(TOMLTableBuilder(origin: .header))
            entries[key.name] = .tableArray(tables)
        case .table:
            throw TOMLFailure(
                offset: key.offset, message: "cannot define array of tables \(display(path)): it is already a table")
        case .value(.array):
            throw TOMLFailure(offset: key.offset, message: "cannot append to static array \(display(path))")
        case .value(.table):
            throw TOMLFailure(
                offset: key.offset,
                message: "cannot define array of tables \(display(path)): it is already an inline table")
        case .value(let value):
            throw TOMLFailure(
                offset: key.offset,
                message: "key \(display(path)) is already defined as \(value.typeName), not an array of tables")
        }
    }

    fileprivate mutating func insertValue(_ value: ConfigNode, path: [TOMLKey]) throws(TOMLFailure) {
        let key = path[path.count - 1]
        switch entries[key.name] {
        case nil:
            entries[key.name] = .value(value)
        case .value:
            throw TOMLFailure(offset: key.offset, message: "duplicate key \(display(path))")
        case .table:
            throw TOMLFailure(offset: key.offset, message: "key \(display(path)) is already defined as a table")
        case .tableArray:
            throw TOMLFailure(
                offset: key.offset, message: "key \(display(path)) is already defined as an array of tables")
        }
    }
}

/// Renders a key path the way it could be written in TOML, quoted for messages: 'a."b c".d'
private func display(_ path: some Collection<TOMLKey>) -> String {
    let parts = path.map(\.name).map { name in
        if !name.isEmpty && name.utf8.allSatisfy(\.isBareKeyByte) { return name }
        var quoted = "\""
        for scalar in name.unicodeScalars {
            if scalar == "\"" || scalar == "\\" { quoted.append("\\") }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }
    return "'" + parts.joined(separator: ".") + "'"
}

// MARK: - Reading

/// Reads one document: the cursor plus the tree built so far.
private struct TOMLReader {
    package let bytes: [UInt8]
    package var pos = 0
    package var root = TOMLTableBuilder(origin: .header)
    /// Keys of the latest `[header]`; key/value lines go into its table.
    package var section: [TOMLKey] = []
    /// Arrays and inline tables open around the cursor; bounded so hostile input cannot exhaust the stack.
    package var nesting = 0
    package static let maxNesting = 128
    /// Key parts from the root to the table the next key/value goes into: the
    /// `[header]`'s, then those of the dotted keys and inline tables around the
    /// cursor. Bounded, so that a key of 30,000 dotted parts (60 KB, well inside
    /// the file size limit) is refused at its 129th part instead of building a
    /// tree whose every walk, copy and release recurses 30,000 frames deep.
    package var keyDepth = 0
    package static let maxKeyDepth = 128

    package init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    package mutating func readDocument() throws(TOMLFailure) -> ConfigNode {
        if bytes.starts(with: TOMLParser.byteOrderMark) { pos = TOMLParser.byteOrderMark.count }
        while pos < bytes.count {
            skipWhitespace()
            switch peek {
            case nil, TOMLByte.hash?, TOMLByte.lf?, TOMLByte.cr?:
                try finishLine(after: "whitespace")  // blank or comment line
            case TOMLByte.openBracket?:
                try readHeader()
                try finishLine(after: "the table header")
            default:
                keyDepth = section.count
                let (keys, value) = try readKeyValue()
                try root.setValue(value, at: keys, in: section)
                try finishLine(after: "the value")
            }
        }
        return root.node
    }

    /// `[a.b]` or `[[a.b]]`
    private mutating func readHeader() throws(TOMLFailure) {
        pos += 1
        let isArray = peek == TOMLByte.openBracket
        if isArray { pos += 1 }
        keyDepth = 0
        let keys = try readKey()
        guard peek == TOMLByte.closeBracket else {
            throw failure("expected ']' to close the table header, found \(describe(at: pos))")
        }
        pos += 1
        if isArray {
            guard peek == TOMLByte.closeBracket else {
                throw failure("expected ']]' to close the array of tables header, found \(describe(at: pos))")
            }
            pos += 1
            try root.appendTable(at: keys)
        } else {
            try root.defineTable(at: keys)
        }
        section = keys
    }

    /// `key = value`, shared by document lines and inline tables, into the table
    /// `keyDepth` parts below the root.
    private mutating func readKeyValue() throws(TOMLFailure) -> (keys: [TOMLKey], value: ConfigNode) {
        let keys = try readKey()
        guard peek == TOMLByte.equals else {
            throw failure("expected '=' after key \(display(keys)), found \(describe(at: pos))")
        }
        pos += 1
        skipWhitespace()
        // An inline table's keys go below this one's.
        let outer = keyDepth
        keyDepth += keys.count
        defer { keyDepth = outer }
        return (keys, try readValue())
    }

    /// A bare, quoted or dotted key, with the whitespace around it; at most
    /// `maxKeyDepth` parts below the root, counting those of the table it goes into.
    private mutating func readKey() throws(TOMLFailure) -> [TOMLKey] {
        var keys: [TOMLKey] = []
        while true {
            skipWhitespace()
            if keyDepth + keys.count == Self.maxKeyDepth {
                throw failure("key nested more than \(Self.maxKeyDepth) tables deep (counting its [table] header and enclosing inline tables)")
            }
            keys.append(try readSimpleKey())
            skipWhitespace()
            guard peek == TOMLByte.dot else { return keys }
            pos += 1
        }
    }

    private mutating func readSimpleKey() throws(TOMLFailure) -> TOMLKey {
        let start = pos
        switch peek {
        case TOMLByte.quote?:
            if startsTriple(TOMLByte.quote) { throw failure("a multi-line string cannot be a key") }
            return TOMLKey(name: try readBasicString(), offset: start)
        case TOMLByte.apostrophe?:
            if startsTriple(TOMLByte.apostrophe) { throw failure("a multi-line string cannot be a key") }
            return TOMLKey(name: try readLiteralString(), offset: start)
        case let byte? where byte.isBareKeyByte:
            while let byte = peek, byte.isBareKeyByte { pos += 1 }
            return TOMLKey(name: text(start..<pos), offset: start)
        default:
            throw failure("expected a key, found \(describe(at: pos))")
        }
    }

    private mutating func readValue() throws(TOMLFailure) -> ConfigNode {
        switch peek {
        case TOMLByte.quote?:
            return .string(try startsTriple(TOMLByte.quote) ? readMultilineBasicString() : readBasicString())
        case TOMLByte.apostrophe?:
            return .string(try startsTriple(TOMLByte.apostrophe) ? readMultilineLiteralString() : readLiteralString())
        case TOMLByte.openBracket?:
            return try readArray()
        case TOMLByte.openBrace?:
            return try readInlineTable()
        default:
            return try readBareValue()
        }
    }

    // MARK: Arrays and inline tables

    private mutating func readArray() throws(TOMLFailure) -> ConfigNode {
        let open = pos
        try enterNesting()
        defer { nesting -= 1 }
        pos += 1
        var items: [ConfigNode] = []
        while true {
            try skipBlankSpace()
            if peek == TOMLByte.closeBracket {
                pos += 1
                return .array(items)
            }
            if peek == nil { throw TOMLFailure(offset: open, message: "unterminated array") }
            items.append(try readValue())
            try skipBlankSpace()
            switch peek {
            case TOMLByte.comma?:
                pos += 1
            case TOMLByte.closeBracket?:
                pos += 1
                return .array(items)
            case nil:
                throw TOMLFailure(offset: open, message: "unterminated array")
            default:
                throw failure("expected ',' or ']' after an array element, found \(describe(at: pos))")
            }
        }
    }

    /// `{ a = 1, b.c = 2 }`: one line, no trailing comma (TOML 1.0).
    private mutating func readInlineTable() throws(TOMLFailure) -> ConfigNode {
        let open = pos
        try enterNesting()
        defer { nesting -= 1 }
        pos += 1
        var table = TOMLTableBuilder(origin: .header)
        skipWhitespace()
        if peek == TOMLByte.closeBrace {
            pos += 1
            return table.node
        }
        while true {
            let (keys, value) = try readKeyValue()
            try table.setValue(value, at: keys, in: [])
            skipWhitespace()
            switch peek {
            case TOMLByte.comma?:
                pos += 1
                skipWhitespace()
                if peek == TOMLByte.closeBrace { throw failure("trailing comma in an inline table") }
            case TOMLByte.closeBrace?:
                pos += 1
                return table.node
            case nil:
                throw TOMLFailure(offset: open, message: "unterminated inline table")
            case TOMLByte.lf?, TOMLByte.cr?:
                throw failure("an inline table must be on one line; expected ',' or '}'")
            default:
                throw failure("expected ',' or '}' in an inline table, found \(describe(at: pos))")
            }
        }
    }

    /// The offset of the first byte that is not well-formed UTF-8, as an error.
    fileprivate func checkEncoding() throws(TOMLFailure) {
        let invalid = bytes.withUnsafeBytes { UTF8Repair.firstInvalidOffset($0) }
        if let invalid {
            let hex = String(bytes[invalid], radix: 16, uppercase: true)
            throw TOMLFailure(offset: invalid, message: "invalid UTF-8 (byte 0x\(hex.count == 1 ? "0" : "")\(hex)); TOML files must be UTF-8")
        }
    }

    private mutating func enterNesting() throws(TOMLFailure) {
        nesting += 1
        guard nesting <= Self.maxNesting else {
            throw failure("arrays and inline tables are nested more than \(Self.maxNesting) deep")
        }
    }

    // MARK: Strings

    /// `"…"`: one line, with escapes.
    private mutating func readBasicString() throws(TOMLFailure) -> String {
        let open = pos
        pos += 1
        var text: [UInt8] = []
        while true {
            guard let byte = peek, !atNewline else { throw TOMLFailure(offset: open, message: "unterminated string") }
            switch byte {
            case TOMLByte.quote:
                pos += 1
                return String(decoding: text, as: UTF8.self)
            case TOMLByte.backslash:
                try readEscape(into: &text, stringStart: open)
            default:
                try checkTextByte(byte)
                text.append(byte)
                pos += 1
            }
        }
    }

    /// `'…'`: one line, taken verbatim.
    private mutating func readLiteralString() throws(TOMLFailure) -> String {
        let open = pos
        pos += 1
        let start = pos
        while true {
            guard let byte = peek, !atNewline else { throw TOMLFailure(offset: open, message: "unterminated string") }
            if byte == TOMLByte.apostrophe {
                pos += 1
                return text(start..<pos - 1)
            }
            try checkTextByte(byte)
            pos += 1
        }
    }

    /// `"""…"""`: escapes, newlines, and a backslash at a line's end trims the whitespace after it.
    private mutating func readMultilineBasicString() throws(TOMLFailure) -> String {
        let open = pos
        pos += 3
        skipNewline()  // a newline right after the opening delimiter is not part of the string
        var text: [UInt8] = []
        while true {
            guard let byte = peek else {
                throw TOMLFailure(offset: open, message: "unterminated multi-line string")
            }
            switch byte {
            case TOMLByte.quote:
                if closesMultiline(TOMLByte.quote, into: &text) { return String(decoding: text, as: UTF8.self) }
            case TOMLByte.backslash:
                if !skipLineEndingBackslash() { try readEscape(into: &text, stringStart: open) }
            default:
                try appendMultilineByte(byte, to: &text)
            }
        }
    }

    /// `'''…'''`: verbatim, newlines allowed.
    private mutating func readMultilineLiteralString() throws(TOMLFailure) -> String {
        let open = pos
        pos += 3
        skipNewline()
        var text: [UInt8] = []
        while true {
            guard let byte = peek else {
                throw TOMLFailure(offset: open, message: "unterminated multi-line string")
            }
            if byte == TOMLByte.apostrophe {
                if closesMultiline(TOMLByte.apostrophe, into: &text) { return String(decoding: text, as: UTF8.self) }
            } else {
                try appendMultilineByte(byte, to: &text)
            }
        }
    }

    /// At a run of `quote`s inside a multi-line string: three end it, and up to two
    /// more just before those three belong to the string (`"""a""""` is `a"`).
    private mutating func closesMultiline(_ quote: UInt8, into text: inout [UInt8]) -> Bool {
        var run = 0
        while peek(run) == quote { run += 1 }
        if run < 3 {
            text.append(contentsOf: repeatElement(quote, count: run))
            pos += run
            return false
        }
        // More than five leave quotes behind, which the caller reports as trailing garbage.
        let kept = min(run - 3, 2)
        text.append(contentsOf: repeatElement(quote, count: kept))
        pos += kept + 3
        return true
    }

    /// Newlines are kept as LF whatever the file uses, so values do not depend on the editor.
    private mutating func appendMultilineByte(_ byte: UInt8, to text: inout [UInt8]) throws(TOMLFailure) {
        if atNewline {
            skipNewline()
            text.append(TOMLByte.lf)
        } else {
            try checkTextByte(byte)
            text.append(byte)
            pos += 1
        }
    }

    /// At a backslash: if only spaces or tabs follow it on its line, skips it and all
    /// whitespace and newlines after it.
    private mutating func skipLineEndingBackslash() -> Bool {
        var ahead = pos + 1
        while ahead < bytes.count, bytes[ahead] == TOMLByte.space || bytes[ahead] == TOMLByte.tab { ahead += 1 }
        let saved = pos
        pos = ahead
        guard atNewline else {
            pos = saved
            return false
        }
        while let byte = peek, byte == TOMLByte.space || byte == TOMLByte.tab || atNewline {
            if atNewline { skipNewline() } else { pos += 1 }
        }
        return true
    }

    /// At a backslash in a basic string that opened at `stringStart`.
    private mutating func readEscape(into text: inout [UInt8], stringStart: Int) throws(TOMLFailure) {
        let start = pos
        guard let code = peek(1) else { throw TOMLFailure(offset: stringStart, message: "unterminated string") }
        let simple: UInt8?
        switch code {
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "t"): simple = TOMLByte.tab
        case UInt8(ascii: "n"): simple = TOMLByte.lf
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "r"): simple = TOMLByte.cr
        case TOMLByte.quote: simple = TOMLByte.quote
        case TOMLByte.backslash: simple = TOMLByte.backslash
        case UInt8(ascii: "u"), UInt8(ascii: "U"): simple = nil
        case 0x21..<0x7F:
            throw failure("invalid escape sequence '\\\(Character(Unicode.Scalar(code)))'")
        default:
            throw failure("invalid escape sequence: '\\' followed by \(describe(at: start + 1))")
        }
        if let simple {
            text.append(simple)
            pos += 2
            return
        }
        let count = code == UInt8(ascii: "u") ? 4 : 8
        var value: UInt32 = 0
        for index in 0..<count {
            guard let digit = peek(2 + index)?.digitValue(radix: 16) else {
                throw failure("a \\\(Character(Unicode.Scalar(code))) escape needs \(count) hexadecimal digits")
            }
            value = value << 4 | UInt32(digit)
        }
        // Unicode.Scalar rejects surrogates and values past U+10FFFF, as TOML requires.
        guard let scalar = Unicode.Scalar(value) else {
            throw failure("escape '\(self.text(start..<start + 2 + count))' is not a Unicode scalar value")
        }
        text.append(contentsOf: scalar.utf8)
        pos = start + 2 + count
    }

    /// Control characters other than tab must be escaped (TOML 1.0, "String").
    private func checkTextByte(_ byte: UInt8) throws(TOMLFailure) {
        if byte.isForbiddenControl {
            throw failure("control character \(unicodeName(byte)) must be escaped in a string")
        }
    }

    // MARK: Numbers, booleans, dates

    /// Anything that is not quoted or bracketed: booleans, numbers, dates and times.
    private mutating func readBareValue() throws(TOMLFailure) -> ConfigNode {
        if let dateTime = try readDateTime() { return .string(dateTime) }
        let start = pos
        while let byte = peek, byte.isBareValueByte { pos += 1 }
        let token = bytes[start..<pos]
        guard let first = token.first else {
            throw failure("expected a value, found \(describe(at: start))")
        }
        if token.elementsEqual("true".utf8) { return .bool(true) }
        if token.elementsEqual("false".utf8) { return .bool(false) }
        if first.isLetter && !token.elementsEqual("inf".utf8) && !token.elementsEqual("nan".utf8) {
            throw TOMLFailure(
                offset: start, message: "invalid value '\(text(start..<pos))'; strings must be in quotes")
        }
        return try TOMLNumber.parse(token, at: start)
    }

    /// Dates and times, recognised by `dddd-` or `dd:` (TOML 1.0, "Offset Date-Time"
    /// to "Local Time"). Returns their text, or nil when the value is not one.
    private mutating func readDateTime() throws(TOMLFailure) -> String? {
        let start = pos
        if digitsThen(4, TOMLByte.minus, at: pos) {
            try readDate()
            if peek == UInt8(ascii: "T") || peek == UInt8(ascii: "t")
                || (peek == TOMLByte.space && digitsThen(2, TOMLByte.colon, at: pos + 1))
            {
                pos += 1
                try readTime()
                try readOffset()
            }
        } else if digitsThen(2, TOMLByte.colon, at: pos) {
            try readTime()
        } else {
            return nil
        }
        return text(start..<pos)
    }

    private mutating func readDate() throws(TOMLFailure) {
        let year = try readField(digits: 4, "year", 0...9999)
        try expectDateTime(TOMLByte.minus)
        let month = try readField(digits: 2, "month", 1...12)
        try expectDateTime(TOMLByte.minus)
        let daysInMonth = switch month {
        case 2: year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
        _ = try readField(digits: 2, "day", 1...daysInMonth)
    }

    /// `hh:mm:ss` with optional fraction; TOML 1.0 requires the seconds.
    private mutating func readTime() throws(TOMLFailure) {
        _ = try readField(digits: 2, "hour", 0...23)
        try expectDateTime(TOMLByte.colon)
        _ = try readField(digits: 2, "minute", 0...59)
        try expectDateTime(TOMLByte.colon)
        _ = try readField(digits: 2, "second", 0...60)  // 60: RFC 3339 leap second
        guard peek == TOMLByte.dot else { return }
        pos += 1
        guard peek?.isDecimalDigit == true else { throw failure("invalid date-time: expected digits after '.'") }
        while peek?.isDecimalDigit == true { pos += 1 }
    }

    /// `Z` or `±hh:mm` after a date-time; absent for local date-times.
    private mutating func readOffset() throws(TOMLFailure) {
        switch peek {
        case UInt8(ascii: "Z")?, UInt8(ascii: "z")?:
            pos += 1
        case TOMLByte.plus?, TOMLByte.minus?:
            pos += 1
            _ = try readField(digits: 2, "offset hour", 0...23)
            try expectDateTime(TOMLByte.colon)
            _ = try readField(digits: 2, "offset minute", 0...59)
        default:
            break
        }
    }

    private mutating func readField(digits: Int, _ name: String, _ range: ClosedRange<Int>) throws(TOMLFailure) -> Int {
        let start = pos
        var value = 0
        for _ in 0..<digits {
            guard let byte = peek, byte.isDecimalDigit else {
                throw TOMLFailure(offset: start, message: "invalid date-time: the \(name) needs \(digits) digits")
            }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
            pos += 1
        }
        guard range.contains(value) else {
            throw TOMLFailure(offset: start, message: "invalid date-time: \(name) \(text(start..<pos)) is out of range")
        }
        return value
    }

    private mutating func expectDateTime(_ separator: UInt8) throws(TOMLFailure) {
        guard peek == separator else {
            throw failure("invalid date-time: expected '\(Character(Unicode.Scalar(separator)))', found \(describe(at: pos))")
        }
        pos += 1
    }

    private func digitsThen(_ count: Int, _ terminator: UInt8, at offset: Int) -> Bool {
        guard offset + count < bytes.count else { return false }
        return bytes[offset..<offset + count].allSatisfy(\.isDecimalDigit) && bytes[offset + count] == terminator
    }

    // MARK: Whitespace, comments, newlines

    private var peek: UInt8? { pos < bytes.count ? bytes[pos] : nil }

    private func peek(_ ahead: Int) -> UInt8? { pos + ahead < bytes.count ? bytes[pos + ahead] : nil }

    private var atNewline: Bool { peek == TOMLByte.lf || (peek == TOMLByte.cr && peek(1) == TOMLByte.lf) }

    private func startsTriple(_ quote: UInt8) -> Bool { peek == quote && peek(1) == quote && peek(2) == quote }

    private mutating func skipWhitespace() {
        while peek == TOMLByte.space || peek == TOMLByte.tab { pos += 1 }
    }

    private mutating func skipNewline() {
        if peek == TOMLByte.lf { pos += 1 } else if peek == TOMLByte.cr && peek(1) == TOMLByte.lf { pos += 2 }
    }

    /// From `#` to the end of the line, which is left for the caller.
    private mutating func skipComment() throws(TOMLFailure) {
        pos += 1
        while let byte = peek, !atNewline {
            // A lone CR is reported as such rather than as a control character.
            if byte == TOMLByte.cr { return }
            if byte.isForbiddenControl {
                throw failure("control character \(unicodeName(byte)) is not allowed in a comment")
            }
            pos += 1
        }
    }

    /// Whitespace, comments and newlines, as allowed between array elements.
    private mutating func skipBlankSpace() throws(TOMLFailure) {
        while true {
            skipWhitespace()
            if peek == TOMLByte.hash { try skipComment() }
            guard atNewline else {
                if peek == TOMLByte.cr { throw failure("a carriage return must be followed by a line feed") }
                return
            }
            skipNewline()
        }
    }

    /// Ends a line: optional whitespace and comment, then a newline or the end of the file.
    private mutating func finishLine(after what: String) throws(TOMLFailure) {
        skipWhitespace()
        if peek == TOMLByte.hash { try skipComment() }
        if peek == nil { return }
        if atNewline {
            skipNewline()
            return
        }
        if peek == TOMLByte.cr { throw failure("a carriage return must be followed by a line feed") }
        throw failure("expected a newline or comment after \(what), found \(describe(at: pos))")
    }

    // MARK: Helpers

    private func failure(_ message: String) -> TOMLFailure { TOMLFailure(offset: pos, message: message) }

    private func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }

    /// How the input at `offset` reads in a message.
    private func describe(at offset: Int) -> String {
        guard offset < bytes.count else { return "end of file" }
        let byte = bytes[offset]
        if byte == TOMLByte.lf || (byte == TOMLByte.cr && offset + 1 < bytes.count && bytes[offset + 1] == TOMLByte.lf) {
            return "end of line"
        }
        if byte.isForbiddenControl { return "control character \(unicodeName(byte))" }
        var iterator = bytes[offset...].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator) else { return "invalid UTF-8" }
        return "'\(Character(scalar))'"
    }

    private func unicodeName(_ byte: UInt8) -> String { ConfigChecks.unicodeName(UInt32(byte)) }
}

// MARK: - Integers and floats

/// TOML 1.0 "Integer" and "Float", from a token already cut at the first delimiter.
private enum TOMLNumber {
    package static func parse(_ token: ArraySlice<UInt8>, at offset: Int) throws(TOMLFailure) -> ConfigNode {
        let spelled = String(decoding: token, as: UTF8.self)
        func failure(_ message: String) -> TOMLFailure { TOMLFailure(offset: offset, message: message) }

        var body = token
        var negative = false
        if let sign = body.first, sign == TOMLByte.plus || sign == TOMLByte.minus {
            negative = sign == TOMLByte.minus
            body = body.dropFirst()
        }
        let signed = body.count != token.count

        if body.elementsEqual("inf".utf8) { return .double(negative ? -.infinity : .infinity) }
        if body.elementsEqual("nan".utf8) { return .double(negative ? -.nan : .nan) }

        if body.count > 2, body.first == UInt8(ascii: "0"), let radix = radix(of: body[body.startIndex + 1]) {
            guard !signed else {
                throw failure("a hexadecimal, octal or binary integer cannot have a sign: '\(spelled)'")
            }
            guard let digits = digitValues(body.dropFirst(2), radix: radix) else {
                throw failure("invalid number '\(spelled)'")
            }
            guard let value = integer(digits, radix: radix, negative: false) else {
                throw failure("integer '\(spelled)' does not fit in 64 bits")
            }
            return .int(value)
        }

        if body.contains(where: { $0 == TOMLByte.dot || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            return .double(try float(token, body: body, failure: failure))
        }

        guard let digits = digitValues(body, radix: 10) else { throw failure("invalid number '\(spelled)'") }
        guard digits.count == 1 || digits.first != 0 else {
            throw failure("leading zeros are not allowed: '\(spelled)'")
        }
        guard let value = integer(digits, radix: 10, negative: negative) else {
            throw failure("integer '\(spelled)' does not fit in 64 bits")
        }
        return .int(value)
    }

    /// `int [. digits] [e [±] digits]`, where at least one of the optional parts is present.
    private static func float(
        _ token: ArraySlice<UInt8>,
        body: ArraySlice<UInt8>,
        failure: (String) -> TOMLFailure
    ) throws(TOMLFailure) -> Double {
        let spelled = String(decoding: token, as: UTF8.self)
        let exponentStart = body.firstIndex { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
        let mantissa = body[..<(exponentStart ?? body.endIndex)]
        let dot = mantissa.firstIndex(of: TOMLByte.dot)
        guard let whole = digitValues(mantissa[..<(dot ?? mantissa.endIndex)], radix: 10) else {
            throw failure("invalid number '\(spelled)'")
        }
        guard whole.count == 1 || whole.first != 0 else {
            throw failure("leading zeros are not allowed: '\(spelled)'")
        }
        if let dot, digitValues(mantissa[(dot + 1)...], radix: 10) == nil {
            throw failure("invalid number '\(spelled)'")
        }
        if let exponentStart {
            var exponent = body[(exponentStart + 1)...]
            if let sign = exponent.first, sign == TOMLByte.plus || sign == TOMLByte.minus { exponent = exponent.dropFirst() }
            if digitValues(exponent, radix: 10) == nil { throw failure("invalid number '\(spelled)'") }
        }
        // The grammar is checked above, so the standard library's conversion only sees
        // plain decimal text once the separators are gone.
        let plain = String(decoding: token.filter { $0 != TOMLByte.underscore }, as: UTF8.self)
        guard let value = Double(plain) else { throw failure("invalid number '\(spelled)'") }
        guard value.isFinite else { throw failure("float '\(spelled)' is out of range") }
        return value
    }

    private static func radix(of prefix: UInt8) -> Int? {
        switch prefix {
        case UInt8(ascii: "x"): 16
        case UInt8(ascii: "o"): 8
        case UInt8(ascii: "b"): 2
        default: nil
        }
    }

    /// The digit values, or nil unless the text is digits with each `_` between two digits.
    private static func digitValues(_ text: ArraySlice<UInt8>, radix: Int) -> [UInt8]? {
        var values: [UInt8] = []
        var afterDigit = false
        for byte in text {
            if byte == TOMLByte.underscore {
                guard afterDigit else { return nil }
                afterDigit = false
                continue
            }
            guard let value = byte.digitValue(radix: radix) else { return nil }
            values.append(value)
            afterDigit = true
        }
        return afterDigit ? values : nil
    }

    /// The value, or nil when it does not fit in Int64.
    private static func integer(_ digits: [UInt8], radix: Int, negative: Bool) -> Int64? {
        let limit = negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)
        var magnitude: UInt64 = 0
        for digit in digits {
            let (shifted, overflow) = magnitude.multipliedReportingOverflow(by: UInt64(radix))
            guard !overflow else { return nil }
            magnitude = shifted + UInt64(digit)
            guard magnitude <= limit else { return nil }
        }
        guard negative else { return Int64(magnitude) }
        return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
    }
}

// MARK: - Bytes

/// The ASCII bytes the grammar refers to.
private enum TOMLByte {
    package static let tab: UInt8 = 0x09
    package static let lf: UInt8 = 0x0A
    package static let cr: UInt8 = 0x0D
    package static let space: UInt8 = 0x20
    package static let quote: UInt8 = 0x22
    package static let hash: UInt8 = 0x23
    package static let apostrophe: UInt8 = 0x27
    package static let plus: UInt8 = 0x2B
    package static let comma: UInt8 = 0x2C
    package static let minus: UInt8 = 0x2D
    package static let dot: UInt8 = 0x2E
    package static let colon: UInt8 = 0x3A
    package static let equals: UInt8 = 0x3D
    package static let openBracket: UInt8 = 0x5B
    package static let backslash: UInt8 = 0x5C
    package static let closeBracket: UInt8 = 0x5D
    package static let underscore: UInt8 = 0x5F
    package static let openBrace: UInt8 = 0x7B
    package static let closeBrace: UInt8 = 0x7D
    package static let delete: UInt8 = 0x7F
}

extension UInt8 {
    fileprivate var isDecimalDigit: Bool { self >= 0x30 && self <= 0x39 }

    fileprivate var isLetter: Bool { (self | 0x20) >= UInt8(ascii: "a") && (self | 0x20) <= UInt8(ascii: "z") }

    /// `A-Z a-z 0-9 _ -`
    fileprivate var isBareKeyByte: Bool { isLetter || isDecimalDigit || self == TOMLByte.underscore || self == TOMLByte.minus }

    /// What a number, boolean, inf or nan can be spelled with; the token ends at anything else.
    fileprivate var isBareValueByte: Bool { isBareKeyByte || self == TOMLByte.plus || self == TOMLByte.dot }

    /// U+0000–U+001F except tab, and U+007F.
    fileprivate var isForbiddenControl: Bool { (self < 0x20 && self != TOMLByte.tab) || self == TOMLByte.delete }

    fileprivate func digitValue(radix: Int) -> UInt8? {
        let value: UInt8
        switch self {
        case 0x30...0x39: value = self - 0x30
        case UInt8(ascii: "a")...UInt8(ascii: "f"): value = self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): value = self - UInt8(ascii: "A") + 10
        default: return nil
        }
        return Int(value) < radix ? value : nil
    }
}

/// A TOML document that is not valid TOML 1.0, located at the problem.
///
/// `line` and `column` are 1-based. Columns count Unicode scalars, not bytes, so
/// they match what an editor shows for text without combining marks.
package struct TOMLParseError: Error, CustomStringConvertible, Equatable {
    package let line: Int
    package let column: Int
    package let message: String

    package var description: String { "line \(line), column \(column): \(message)" }
}

/// The parser's internal error: a byte offset into the UTF-8 input.
///
/// Turning an offset into a line and column needs the whole input, so the parser
/// throws this and `TOMLParser.parse` converts it once, at the API boundary.
package struct TOMLFailure: Error {
    package let offset: Int
    package let message: String
}

extension TOMLParseError {
    package init(_ failure: TOMLFailure, in bytes: [UInt8]) {
        // A byte order mark is invisible in editors, so it does not count as a column.
        let start = bytes.starts(with: TOMLParser.byteOrderMark) ? TOMLParser.byteOrderMark.count : 0
        let end = min(max(failure.offset, start), bytes.count)
        var line = 1
        var column = 1
        for byte in bytes[start..<end] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0b1100_0000 != 0b1000_0000 {
                // Only lead bytes start a scalar; continuation bytes do not move the column.
                column += 1
            }
        }
        self.init(line: line, column: column, message: failure.message)
    }
}

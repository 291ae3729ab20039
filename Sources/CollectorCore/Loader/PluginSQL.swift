#if canImport(Glibc)
import Glibc
#endif
import PluginABI

/// A plugin's SQL on a host connection, the same in process (`query`,
/// `query_readonly`) and for a plugin runner's forwarded statements.
package enum PluginSQL {
    /// What a failed statement means to the plugin: PQC_RETRY when the
    /// connection is gone, else PQC_FAIL.
    package static func status(_ error: PGError) -> pqc_status { error.isConnectionLoss ? PQC_RETRY : PQC_FAIL }

    /// Runs one statement with text parameters (the caller checked `readOnly`
    /// statements with `readOnlyProblem` first): a read-only one in its own
    /// READ ONLY transaction. Either way the connection must be idle afterwards:
    /// a statement that leaves a transaction open (or aborted) is rolled back
    /// and fails, so a plugin can never hold the lane's connection inside a
    /// transaction the host's next writes would join.
    package static func run(_ c: PGConnection, sql: UnsafePointer<CChar>, params: UnsafePointer<UnsafePointer<CChar>?>?, count: Int,
                            readOnly: Bool) throws(PGError) -> PGResult {
        if readOnly { try c.query("BEGIN READ ONLY") }
        let result: PGResult
        do throws(PGError) {
            result = try c.query(sql, cParams: params, count: count)
            if readOnly { try c.query("COMMIT") }
        } catch {
            if !c.isIdle { _ = try? c.query("ROLLBACK") }
            throw error
        }
        guard c.isIdle else {
            _ = try? c.query("ROLLBACK")
            throw PGError.client("the statement left a transaction open on the host's connection; rolled back (plugins may not hold transactions)")
        }
        return result
    }

    /// Why `sql` is not one read-only statement, or nil: it must start with
    /// SELECT or WITH (after spaces and comments), and a `;` may only end it.
    /// Quotes, quoted identifiers, dollar quotes and comments are skipped, so
    /// a `;` inside them does not count.
    package static func readOnlyProblem(_ sql: UnsafePointer<CChar>) -> String? {
        let text = UnsafeRawBufferPointer(start: sql, count: strlen(sql))
        var i = 0
        var first: [UInt8] = []
        var firstDone = false
        var ended = false
        func skipUntil(_ closing: [UInt8]) {
            while i < text.count {
                if text.count - i >= closing.count && (0..<closing.count).allSatisfy({ text[i + $0] == closing[$0] }) {
                    i += closing.count
                    return
                }
                i += 1
            }
        }
        while i < text.count {
            let b = text[i]
            let comment = b == 0x2D && i + 1 < text.count && text[i + 1] == 0x2D || b == 0x2F && i + 1 < text.count && text[i + 1] == 0x2A
            if comment || b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D {
                firstDone = firstDone || !first.isEmpty
                if b == 0x2D && comment { skipUntil([0x0A]) }  // -- comment
                else if comment { i += 2; skipUntil([0x2A, 0x2F]) }  // /* comment */
                else { i += 1 }
                continue
            }
            if ended { return "only one statement is allowed (text after ';')" }
            if !firstDone {
                if isWordByte(b) { first.append(b | 0x20); i += 1; continue }
                firstDone = true
            }
            if b == 0x3B { ended = true; i += 1; continue }
            switch b {
            case 0x27: i += 1; skipUntil([0x27])  // '...' ('' restarts it: harmless)
            case 0x22: i += 1; skipUntil([0x22])  // "identifier"
            case 0x24:  // $tag$ ... $tag$
                var j = i + 1
                while j < text.count, isWordByte(text[j]) { j += 1 }
                if j < text.count, text[j] == 0x24 {
                    let tag = Array(text[i...j])
                    i = j + 1
                    skipUntil(tag)
                } else {
                    i += 1
                }
            default: i += 1
            }
        }
        let keyword = String(decoding: first, as: UTF8.self)
        guard keyword == "select" || keyword == "with" else {
            return keyword.isEmpty ? "an empty statement" : "only SELECT or WITH ... SELECT is allowed, not '\(keyword.uppercased())'"
        }
        return nil
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
    }
}

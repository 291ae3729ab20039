/// A table rows are written to, with the columns of every row in COPY order.
package struct RowTarget: Sendable, Equatable {
    /// Schema-qualified, validated identifier ("collector.system_metrics_raw").
    package let table: String
    package let columns: [String]
    /// Rows of droppable targets (metrics) may be dropped past the memory cap.
    package let droppable: Bool

    package init(table: String, columns: [String], droppable: Bool) {
        self.table = table
        self.columns = columns
        self.droppable = droppable
    }

    package var copySQL: String { "COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN" }

    /// Plain lower-case SQL identifiers only: no quoting games with plugin-supplied names.
    package static func isValidIdentifier(_ s: String) -> Bool {
        guard let first = s.utf8.first, first == UInt8(ascii: "_") || (first >= 0x61 && first <= 0x7A) else { return false }
        return s.utf8.count <= 63 && s.utf8.allSatisfy { $0 == 0x5F || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) }
    }

    /// "schema.table" or "table" (then schema collector is implied).
    package static func qualifiedName(_ s: String) -> String? {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1 where isValidIdentifier(parts[0]): return "collector.\(parts[0])"
        case 2 where parts.allSatisfy(isValidIdentifier): return s
        default: return nil
        }
    }
}

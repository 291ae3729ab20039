import PluginKit

/// A statement's result as text cells addressed by column name. The plugin's
/// own copy of a host result, so collectors and their tests need no host.
struct ResultRows: Sendable, Equatable {
    let columns: [String]
    /// One array of cells per row, in `columns` order; nil is SQL NULL.
    let rows: [[String?]]

    init(columns: [String], rows: [[String?]]) {
        self.columns = columns
        self.rows = rows
    }

    var count: Int { rows.count }
    var isEmpty: Bool { rows.isEmpty }

    func index(of column: String) -> Int? { columns.firstIndex(of: column) }

    /// Cell `column` of row `row` as text; nil for NULL, a missing column or row.
    func text(_ row: Int, _ column: String) -> String? {
        guard rows.indices.contains(row), let c = index(of: column), rows[row].indices.contains(c) else { return nil }
        return rows[row][c]
    }

    func int(_ row: Int, _ column: String) -> Int64? { text(row, column).flatMap(ColumnType.integer) }
    func double(_ row: Int, _ column: String) -> Double? { text(row, column).flatMap { Double($0) } }
    func bool(_ row: Int, _ column: String) -> Bool? { text(row, column).flatMap(ColumnType.boolean) }
}

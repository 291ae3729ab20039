import PluginKit

/// A row under construction: column names and cells appended together, so the
/// order declared with `table_open` and the order emitted cannot drift apart.
struct RowCells: Sendable, Equatable {
    private(set) var columns: [String] = []
    private(set) var values: [RowValue] = []

    mutating func add(_ column: String, _ value: RowValue) {
        columns.append(column)
        values.append(value)
    }

    mutating func add(_ column: String, _ value: Int64?) { add(column, .optionalInt(value)) }
    mutating func add(_ column: String, _ value: Double?) { add(column, .optionalDouble(value)) }

    /// The cell of `column`, for tests and diagnostics.
    subscript(column: String) -> RowValue? {
        columns.firstIndex(of: column).map { values[$0] }
    }
}

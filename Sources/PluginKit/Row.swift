/// A row under construction, its cells set by column name: the one way plugins
/// build rows. Unset cells are NULL. `values(for:)` lays the cells out in a
/// table's column order, so no code counts positions or pads NULLs by hand, and
/// a row's mapping can be tested cell by cell (`row["cpu_pct"]`).
public struct Row: Sendable, Equatable {
    public private(set) var cells: [String: RowValue] = [:]

    public init() {}

    /// The cell of `column`; `.null` when unset.
    public subscript(column: String) -> RowValue {
        get { cells[column] ?? .null }
        set { cells[column] = newValue }
    }

    public mutating func set(_ column: String, _ value: RowValue) { cells[column] = value }
    public mutating func set(_ column: String, _ value: Int64?) { cells[column] = value.map { .int($0) } ?? .null }
    public mutating func set(_ column: String, _ value: Int?) { cells[column] = value.map { .int(Int64($0)) } ?? .null }
    public mutating func set(_ column: String, _ value: Double?) { cells[column] = value.map { .double($0) } ?? .null }
    public mutating func set(_ column: String, _ value: Bool?) { cells[column] = value.map { .bool($0) } ?? .null }
    public mutating func set(_ column: String, text value: String?) { cells[column] = value.map { .text($0) } ?? .null }

    /// Copies every cell of `other` (its cells win).
    public mutating func merge(_ other: Row) { cells.merge(other.cells) { _, new in new } }

    /// Column names set here that `layout` does not have (a typo, or a column
    /// missing from the table's declaration), sorted.
    public func unknownColumns(in layout: TableLayout) -> [String] {
        cells.keys.filter { layout.position(of: $0) == nil }.sorted()
    }

    /// The cells in `layout`'s column order; unset cells are NULL.
    public func values(for layout: TableLayout) -> [RowValue] {
        layout.columns.map { cells[$0.name] ?? .null }
    }
}

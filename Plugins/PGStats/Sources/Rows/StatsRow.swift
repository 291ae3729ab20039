import PluginKit

/// A row being assembled cell by cell by name, so several queries (and derived
/// values) can fill one row without anyone counting column positions.
struct StatsRow: Sendable, Equatable {
    private(set) var cells: [String: RowValue] = [:]

    init() {}

    /// Row `row` of `result`, keeping the columns `layout` has.
    init(_ result: ResultRows, row: Int, layout: TableLayout) {
        merge(result, row: row, layout: layout)
    }

    subscript(name: String) -> RowValue {
        get { cells[name] ?? .null }
        set { cells[name] = newValue }
    }

    /// Copies the cells of row `row` whose column the layout has; result columns
    /// the table does not have (helpers such as reset times) are ignored.
    mutating func merge(_ result: ResultRows, row: Int, layout: TableLayout) {
        guard result.rows.indices.contains(row) else { return }
        for (index, name) in result.columns.enumerated() {
            guard let column = layout.column(name), result.rows[row].indices.contains(index) else { continue }
            cells[name] = column.kind.value(from: result.rows[row][index])
        }
    }

    mutating func merge(_ other: [String: RowValue]) {
        cells.merge(other) { _, new in new }
    }

    /// The values in the layout's column order; unset cells are NULL.
    func values(for layout: TableLayout) -> [RowValue] {
        layout.columns.map { cells[$0.name] ?? .null }
    }
}

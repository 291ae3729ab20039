import PluginKit

/// Rows filled from query results: several queries (and derived values) fill
/// one row by column name.
extension Row {
    /// Row `row` of `result`, keeping the columns `layout` has.
    init(_ result: ResultRows, row: Int, layout: TableLayout) {
        self.init()
        merge(result, row: row, layout: layout)
    }

    /// Copies the cells of row `row` whose column the layout has; result columns
    /// the table does not have (helpers such as reset times) are ignored.
    mutating func merge(_ result: ResultRows, row: Int, layout: TableLayout) {
        guard result.rows.indices.contains(row) else { return }
        for (index, name) in result.columns.enumerated() {
            guard let column = layout.column(name), result.rows[row].indices.contains(index) else { continue }
            self[name] = column.type.value(from: result.rows[row][index])
        }
    }

    mutating func merge(_ other: [String: RowValue]) {
        for (name, value) in other { self[name] = value }
    }
}

/// A target table and the columns the plugin fills, in emit order. The host
/// adds `host` and `ts` itself.
struct TableLayout: Sendable, Equatable {
    /// Schema-qualified ("collector.db_metrics_raw").
    let table: String
    let columns: [TableColumn]

    var columnNames: [String] { columns.map(\.name) }

    func column(_ name: String) -> TableColumn? { columns.first { $0.name == name } }
}

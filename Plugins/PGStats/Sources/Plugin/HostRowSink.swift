import PluginKit

/// Queues rows in the host's batched writer through the tables opened at init.
struct HostRowSink: RowSink {
    /// By schema-qualified table name.
    let tables: [String: RowTable]

    func emit(_ layout: TableLayout, _ row: Row) throws(EmitFailure) {
        guard let table = tables[layout.table] else {
            throw EmitFailure(retry: false, message: "\(layout.table) was not opened at init")
        }
        do {
            try table.emit(row)
        } catch {
            throw EmitFailure(retry: error.kind == .retry, message: error.message)
        }
    }
}

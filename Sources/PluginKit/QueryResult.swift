import PluginABI

/// A SQL result copied out of the host: column names and text cells (nil = SQL NULL).
public struct QueryResult: Sendable {
    public let columns: [String]
    public let rows: [[String?]]

    init(copying res: OpaquePointer, api: pqc_host_api) {
        let nrows = api.result_rows?(res) ?? 0
        let ncols = api.result_columns?(res) ?? 0
        columns = (0..<ncols).map { c in
            api.result_column_name?(res, c).map { String(cString: $0) } ?? ""
        }
        rows = (0..<nrows).map { r in
            (0..<ncols).map { c in api.result_value?(res, r, c).map { String(cString: $0) } }
        }
    }

    /// The index of a column by name.
    public func column(_ name: String) -> Int? { columns.firstIndex(of: name) }

    /// Cell `name` of row `row` as text.
    public func text(_ row: Int, _ name: String) -> String? {
        guard let c = column(name), row < rows.count else { return nil }
        return rows[row][c]
    }

    public func int(_ row: Int, _ name: String) -> Int64? { text(row, name).flatMap { Int64($0) } }
    public func double(_ row: Int, _ name: String) -> Double? { text(row, name).flatMap { Double($0) } }
    public func bool(_ row: Int, _ name: String) -> Bool? { text(row, name).map { $0 == "t" || $0 == "true" } }
}

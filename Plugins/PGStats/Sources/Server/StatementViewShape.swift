/// Where `pg_stat_statements` lives in the connected database and which columns
/// its view has. Detected from the catalog rather than inferred from the server
/// version, because the extension's version can lag the server's (an upgraded
/// cluster keeps the old extension until ALTER EXTENSION ... UPDATE).
struct StatementViewShape: Sendable, Equatable {
    /// The extension's schema.
    let schema: String
    let columns: Set<String>

    init(schema: String, columns: Set<String>) {
        self.schema = schema
        self.columns = columns
    }

    func has(_ column: String) -> Bool { columns.contains(column) }

    /// 1.8 (PostgreSQL 13) renamed total_time, mean_time, ... to *_exec_time
    /// when it added planning times.
    var usesExecTimeNames: Bool { has("total_exec_time") }

    /// The expression for one of the execution-time statistics ("total",
    /// "mean", "min", "max", "stddev") in whichever naming the view uses.
    func executionTime(_ statistic: String) -> String? {
        let modern = "\(statistic)_exec_time", legacy = "\(statistic)_time"
        if has(modern) { return "s.\(modern)" }
        if has(legacy) { return "s.\(legacy)" }
        return nil
    }

    /// 1.11 (PostgreSQL 17) renamed blk_read_time / blk_write_time to
    /// shared_blk_read_time / shared_blk_write_time.
    func blockTime(_ direction: String) -> String? {
        if has("shared_blk_\(direction)_time") { return "s.shared_blk_\(direction)_time" }
        if has("blk_\(direction)_time") { return "s.blk_\(direction)_time" }
        return nil
    }
}

/// Small SQL-building helpers shared by the queries.
enum SQLText {
    /// A timestamptz expression as microseconds since the epoch, so no DateStyle
    /// or TimeZone setting of the connection changes how it is read back.
    static func micros(_ expression: String, as name: String) -> String {
        "(extract(epoch FROM \(expression)) * 1000000)::int8 AS \(name)"
    }

    /// An interval expression in milliseconds.
    static func milliseconds(_ expression: String, as name: String) -> String {
        "(extract(epoch FROM \(expression)) * 1000)::float8 AS \(name)"
    }

    /// A double-quoted identifier (the extension's schema comes from the catalog).
    static func identifier(_ name: String) -> String {
        "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }

    /// The WAL position this server is at: the insert position on a primary, the
    /// replayed position on a standby (pg_current_wal_lsn() fails during recovery).
    static let currentWALPosition =
        "CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END"
}

extension String {
    /// Foundation-free replacement of every `target` with `replacement`.
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        out.reserveCapacity(utf8.count)
        for ch in self {
            if ch == target { out += replacement } else { out.append(ch) }
        }
        return out
    }
}

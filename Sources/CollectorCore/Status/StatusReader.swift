/// Reads a `StatusReport` from the collector's database: the one place that
/// knows which tables and columns the status is made of.
///
/// Every query is parameterised and time-bounded on raw tables (they are
/// partitioned by day; an unbounded scan would read every partition). Tables a
/// plugin owns (`system_metrics_raw`, `process_metrics_raw`) and
/// `slo_tracking` are looked up with `to_regclass` first: a database migrated
/// without those plugins, or before the intelligence plugin's tables exist,
/// gives an empty section rather than an error.
package struct StatusReader {
    package let connection: PGConnection
    /// Seconds after which a heartbeat is stale; from `[intervals] heartbeat_secs`.
    package let staleAfterSecs: Double

    package init(connection: PGConnection, heartbeatSecs: Int) {
        self.connection = connection
        // The watchdog's stale_heartbeat rule (6 × the interval), and never under
        // 30 s: a busy database may delay a flush or two.
        staleAfterSecs = Double(max(30, heartbeatSecs * 6))
    }

    /// ISO 8601 UTC text of a timestamptz expression, the same in every renderer.
    package static func iso(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    }

    /// The report for `hosts`, or for every host known to the database when nil.
    package func read(hosts requested: [String]?) throws(PGError) -> StatusReport {
        let readAt = try connection.query("SELECT \(Self.iso("now()"))").string(0, 0) ?? ""
        let tables = try optionalTables()
        let names: [String]
        if let requested { names = requested } else { names = try knownHosts() }
        var hosts: [HostStatus] = []
        for name in names {
            hosts.append(try host(name, tables: tables))
        }
        return StatusReport(readAt: readAt, hosts: hosts)
    }

    /// Which optional tables exist in this database.
    package struct Tables: Sendable {
        package var system = false
        package var processes = false
        package var slo = false
    }

    package func optionalTables() throws(PGError) -> Tables {
        let r = try connection.query("""
            SELECT to_regclass('collector.system_metrics_raw') IS NOT NULL,
                   to_regclass('collector.process_metrics_raw') IS NOT NULL,
                   to_regclass('collector.slo_tracking') IS NOT NULL
            """)
        return Tables(system: r.string(0, 0) == "t", processes: r.string(0, 1) == "t", slo: r.string(0, 2) == "t")
    }

    /// Hosts with a heartbeat or tick statistics. The heartbeat's hosts come
    /// from a skip scan over its `(host, ts DESC)` index, one probe per host,
    /// rather than a DISTINCT over millions of rows.
    package func knownHosts() throws(PGError) -> [String] {
        let r = try connection.query("""
            WITH RECURSIVE h(host) AS (
              SELECT min(host) FROM collector.heartbeat
              UNION ALL
              SELECT (SELECT min(host) FROM collector.heartbeat WHERE host > h.host) FROM h WHERE h.host IS NOT NULL
            )
            SELECT host FROM h WHERE host IS NOT NULL
            UNION SELECT DISTINCT host FROM collector.plugin_stats
            ORDER BY 1
            """)
        return (0..<r.rowCount).compactMap { r.string($0, 0) }
    }

    package func host(_ name: String, tables: Tables) throws(PGError) -> HostStatus {
        var s = HostStatus(host: name, staleAfterSecs: staleAfterSecs)
        s.heartbeat = try heartbeat(name)
        s.ticks = try ticks(name)
        if tables.system { s.system = try system(name) }
        if tables.processes { s.processes = try processes(name) }
        s.logSources = try logSources(name)
        s.alerts = try findings(name, table: "alerts")
        s.recommendations = try findings(name, table: "recommendations")
        s.insights = try findings(name, table: "insights")
        if tables.slo { s.slos = try slos(name) }
        return s
    }

    private func heartbeat(_ host: String) throws(PGError) -> HeartbeatStatus? {
        let r = try connection.query("""
            SELECT \(Self.iso("ts")), extract(epoch FROM now() - ts)::float8, version, pid, uptime_secs, rss_bytes,
                   buffered_rows, coalesce(dropped_rows, 0)
            FROM collector.heartbeat
            WHERE host = $1 AND ts > now() - interval '30 days'
            ORDER BY ts DESC LIMIT 1
            """, [host])
        guard r.rowCount == 1 else { return nil }
        return HeartbeatStatus(
            at: r.string(0, 0) ?? "", ageSecs: r.double(0, 1) ?? 0, version: r.string(0, 2), pid: r.int(0, 3),
            uptimeSecs: r.double(0, 4), rssBytes: r.int(0, 5), bufferedRows: r.int(0, 6), droppedRows: r.int(0, 7) ?? 0)
    }

    package func ticks(_ host: String) throws(PGError) -> [TickHealth] {
        let r = try connection.query("""
            SELECT plugin, tick, runs, failures, skipped, consecutive_failures, backoff_secs, dropped_rows, last_error,
                   extract(epoch FROM now() - last_run_at)::float8, last_duration_ms
            FROM collector.plugin_stats WHERE host = $1 ORDER BY plugin, tick
            """, [host])
        return (0..<r.rowCount).map { i in
            TickHealth(plugin: r.string(i, 0) ?? "", tick: r.string(i, 1) ?? "", runs: r.int(i, 2) ?? 0,
                       failures: r.int(i, 3) ?? 0, skipped: r.int(i, 4) ?? 0, consecutiveFailures: r.int(i, 5) ?? 0,
                       backoffSecs: r.double(i, 6) ?? 0, droppedRows: r.int(i, 7) ?? 0, lastError: r.string(i, 8),
                       lastRunAgeSecs: r.double(i, 9), lastDurationMs: r.double(i, 10))
        }
    }

    private func system(_ host: String) throws(PGError) -> SystemFigures? {
        let r = try connection.query("""
            SELECT \(Self.iso("ts")), extract(epoch FROM now() - ts)::float8, cpu_pct, mem_used_pct, mem_used_bytes,
                   mem_total_bytes, load_1m, load_5m, load_15m, disk_used_pct_max, net_rx_bytes_per_sec, net_tx_bytes_per_sec
            FROM collector.system_metrics_raw
            WHERE host = $1 AND ts > now() - interval '1 day'
            ORDER BY ts DESC LIMIT 1
            """, [host])
        guard r.rowCount == 1 else { return nil }
        return SystemFigures(
            at: r.string(0, 0) ?? "", ageSecs: r.double(0, 1) ?? 0, cpuPct: r.double(0, 2), memUsedPct: r.double(0, 3),
            memUsedBytes: r.int(0, 4), memTotalBytes: r.int(0, 5), load1: r.double(0, 6), load5: r.double(0, 7),
            load15: r.double(0, 8), diskUsedPctMax: r.double(0, 9), netRxBytesPerSec: r.double(0, 10),
            netTxBytesPerSec: r.double(0, 11))
    }

    private func processes(_ host: String) throws(PGError) -> [ProcessFigure] {
        // The last 15 minutes cover the slowest default tick (watchdog 30 s) many times over.
        let r = try connection.query("""
            SELECT DISTINCT ON (process_name) process_name, coalesce(process_count, 0), coalesce(missing, false),
                   cpu_pct, rss_bytes, uptime_secs
            FROM collector.process_metrics_raw
            WHERE host = $1 AND ts > now() - interval '15 minutes'
            ORDER BY process_name, ts DESC
            """, [host])
        return (0..<r.rowCount).map { i in
            ProcessFigure(name: r.string(i, 0) ?? "", count: r.int(i, 1) ?? 0, missing: r.string(i, 2) == "t",
                          cpuPct: r.double(i, 3), rssBytes: r.int(i, 4), uptimeSecs: r.double(i, 5))
        }
    }

    /// Every source the host has a position for or wrote to in the last week.
    /// The last hour is counted from `log_entries` (a one-hour, BRIN-bounded
    /// scan); a source quiet for longer gets its newest row to the hour from
    /// `log_metrics_hourly` (the end of its last rolled-up hour). Looking for the
    /// newest raw row of a quiet source instead would read a week of every other
    /// host's rows of that source (there is no index on `host`).
    private func logSources(_ host: String) throws(PGError) -> [LogSourceStatus] {
        let r = try connection.query("""
            WITH recent AS (
              SELECT source, count(*) AS n, count(*) FILTER (WHERE context->>'unparsed' = 'true') AS unparsed, max(ts) AS last
              FROM collector.log_entries
              WHERE host = $1 AND ts > now() - interval '1 hour'
              GROUP BY source
            ), hourly AS (
              SELECT source, least(max(hour) + interval '1 hour', now()) AS last FROM collector.log_metrics_hourly
              WHERE host = $1 AND hour > now() - interval '7 days' GROUP BY source
            ), names AS (
              SELECT source FROM collector.log_positions WHERE host = $1
              UNION SELECT source FROM recent UNION SELECT source FROM hourly
            )
            SELECT names.source, coalesce(recent.n, 0), coalesce(recent.unparsed, 0),
                   \(Self.iso("coalesce(recent.last, hourly.last)")), extract(epoch FROM now() - coalesce(recent.last, hourly.last))::float8
            FROM names
            LEFT JOIN recent ON recent.source = names.source
            LEFT JOIN hourly ON hourly.source = names.source
            ORDER BY names.source
            """, [host])
        return (0..<r.rowCount).map { i in
            LogSourceStatus(source: r.string(i, 0) ?? "", rowsLastHour: r.int(i, 1) ?? 0, unparsedLastHour: r.int(i, 2) ?? 0,
                            lastRowAt: r.string(i, 3), lastRowAgeSecs: r.double(i, 4))
        }
    }

    /// Open alerts and recommendations (critical first), or the last 24 h of insights.
    private func findings(_ host: String, table: String) throws(PGError) -> [FindingSummary] {
        let kind = table == "recommendations" ? "category" : "type"
        let title = table == "insights" ? "coalesce(title, type)" : "title"
        let acknowledged = table == "insights" ? "false" : "acknowledged"
        let action = table == "recommendations" ? "nullif(split_part(trim(coalesce(action, '')), E'\\n', 1), '')" : "NULL::text"
        let filter = table == "insights" ? "last_seen > now() - interval '24 hours'" : "status = 'open'"
        let r = try connection.query("""
            SELECT id, severity, \(kind), \(title), analyzer, target, \(Self.iso("last_seen")), occurrences,
                   \(acknowledged), \(action)
            FROM collector.\(table)
            WHERE host = $1 AND \(filter)
            ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warn' THEN 1 ELSE 2 END, last_seen DESC
            LIMIT 100
            """, [host])
        return (0..<r.rowCount).map { i in
            FindingSummary(id: r.int(i, 0) ?? 0, severity: r.string(i, 1) ?? "info", kind: r.string(i, 2) ?? "",
                           title: r.string(i, 3) ?? "", analyzer: r.string(i, 4) ?? "", target: r.string(i, 5),
                           lastSeen: r.string(i, 6) ?? "", occurrences: r.int(i, 7) ?? 0, acknowledged: r.string(i, 8) == "t",
                           firstAction: r.string(i, 9))
        }
    }

    private func slos(_ host: String) throws(PGError) -> [SLOStatus] {
        let r = try connection.query("""
            SELECT DISTINCT ON (slo_name) slo_name, target, actual, met, budget_consumed_pct, \(Self.iso("ts"))
            FROM collector.slo_tracking
            WHERE host = $1 AND ts > now() - interval '7 days'
            ORDER BY slo_name, ts DESC
            """, [host])
        return (0..<r.rowCount).map { i in
            SLOStatus(name: r.string(i, 0) ?? "", target: r.double(i, 1) ?? 0, actual: r.double(i, 2),
                      met: r.string(i, 3).map { $0 == "t" }, budgetConsumedPct: r.double(i, 4), at: r.string(i, 5) ?? "")
        }
    }
}

extension PGResult {
    /// The cell as a Double, nil for NULL or text that is not a number.
    package func double(_ row: Int, _ column: Int) -> Double? { string(row, column).flatMap { Double($0) } }
}

import ByteKit

/// Hourly and daily rollups of one host's rows, then retention, on the agg tick
/// (slow lane). The SQL lives in migrations/005_rollups.sql; this decides which
/// hours and days to roll up and runs the retention statements.
///
/// Rollups: every complete UTC hour after `rollup_state.last_hour` (on the
/// first run: from this host's oldest raw row), never older than the raw
/// retention floor, so a restart after missed hours backfills them; then every
/// complete day whose hours are done (and again any day an hour of this run
/// re-rolled). Each hour and each day is its own transaction that also advances
/// `collector.rollup_state`, so a failure resumes where it stopped.
///
/// Retention is database-wide (every host's rows): raw partitions (`*_raw`,
/// `heartbeat`) older than `raw_days` are dropped with a short `lock_timeout`
/// (a busy table is skipped until the next run), `log_entries` through
/// `cleanup_log_data()`, and the small rollup and finding tables by DELETE.
///
/// A lost connection is thrown; any other failure is recorded in
/// `RollupReport.errors` and the remaining steps still run.
package struct RollupJob: Sendable {
    package let hostname: String
    package let retention: RetentionConfig
    /// An hour is rolled up once it ended at least this long ago, so rows
    /// still in the writer's buffer (flushed every few seconds) make it in.
    package var settleSecs = 60
    /// At most this many hours per run; a longer backlog continues next run.
    package var maxHoursPerRun = 168
    /// How long dropping a table's partitions may wait for a lock.
    package var lockTimeoutMs = 1000

    private static let hourSecs: Int64 = 3600
    private static let daySecs: Int64 = 86_400

    /// Runs rollups, then retention. `nowMicros` is the collector's wall clock
    /// (the clock the rows' `ts` come from); tests pass a fixed time.
    /// `rollUps: false` runs the retention alone (the spool still holds rows
    /// that belong in the hours a rollup would close).
    package func run(on c: PGConnection, nowMicros: Int64 = WallClock.nowMicros(), rollUps: Bool = true) throws(PGError) -> RollupReport {
        var report = RollupReport()
        let plan: Plan
        do throws(PGError) {
            plan = try makePlan(c, nowMicros: nowMicros)
        } catch {
            if error.isConnectionLoss { throw error }
            report.errors.append("rollup plan: \(error)")
            return report
        }
        if rollUps { try rollUp(c, plan, &report) }
        try applyRetention(c, plan, nowMicros: nowMicros, &report)
        return report
    }

    // MARK: - Plan

    /// Bounds of one run, all UTC epoch seconds (days as their midnight).
    package struct Plan: Sendable, Equatable {
        /// Start of the last hour already rolled up, from rollup_state.
        package var lastHour: Int64?
        /// Midnight of the last day already rolled up, from rollup_state.
        package var lastDay: Int64?
        /// Hours starting before this have ended (and settled).
        package var endHour: Int64
        /// Oldest hour worth rolling up: raw partitions before it are dropped.
        package var rawFloor: Int64
        /// Oldest day worth rolling up: its hourly rows are all still kept.
        package var dayFloor: Int64
        /// First hour of a first run: this host's oldest raw row's hour.
        package var oldestRawHour: Int64?
        /// `YYYY-MM-DD` cutoffs for partition drops and daily rows.
        package var rawCutoffDate: String
        package var dailyCutoffDate: String
    }

    private func makePlan(_ c: PGConnection, nowMicros: Int64) throws(PGError) -> Plan {
        let r = try c.query("""
            WITH q AS (SELECT to_timestamp($2::float8 / 1e6) AS now_ts,
                              (to_timestamp($2::float8 / 1e6) AT TIME ZONE 'UTC')::date AS today)
            SELECT extract(epoch FROM s.last_hour)::bigint,
                   extract(epoch FROM s.last_day::timestamp AT TIME ZONE 'UTC')::bigint,
                   extract(epoch FROM collector.utc_hour(q.now_ts - make_interval(secs => $3::float8)))::bigint,
                   extract(epoch FROM (q.today - $4::int)::timestamp AT TIME ZONE 'UTC')::bigint,
                   extract(epoch FROM (q.today - $5::int + 1)::timestamp AT TIME ZONE 'UTC')::bigint,
                   CASE WHEN s.last_hour IS NULL
                        THEN extract(epoch FROM collector.utc_hour(collector.rollup_oldest_raw($1)))::bigint END,
                   to_char(q.today - $4::int, 'YYYY-MM-DD'),
                   to_char(q.today - $6::int, 'YYYY-MM-DD')
            FROM q LEFT JOIN collector.rollup_state s ON s.host = $1
            """, [hostname, String(nowMicros), String(max(0, settleSecs)), String(Self.days(retention.rawDays)),
                  String(Self.days(retention.hourlyDays)), String(Self.days(retention.dailyDays))])
        guard r.rowCount == 1, let endHour = r.int(0, 2), let rawFloor = r.int(0, 3), let dayFloor = r.int(0, 4),
              let rawCutoff = r.string(0, 6), let dailyCutoff = r.string(0, 7)
        else { throw .client("rollup plan query returned no row") }
        return Plan(lastHour: r.int(0, 0), lastDay: r.int(0, 1), endHour: endHour, rawFloor: rawFloor, dayFloor: dayFloor,
                    oldestRawHour: r.int(0, 5), rawCutoffDate: rawCutoff, dailyCutoffDate: dailyCutoff)
    }

    /// Retention periods below one day would drop today's partition.
    private static func days(_ n: Int) -> Int { max(1, n) }

    // MARK: - Rollups

    private func rollUp(_ c: PGConnection, _ plan: Plan, _ report: inout RollupReport) throws(PGError) {
        // Hours.
        var first = plan.lastHour.map { $0 + Self.hourSecs } ?? plan.oldestRawHour ?? plan.endHour
        first = max(first, plan.rawFloor)
        var lastDone = plan.lastHour
        var firstRolled: Int64?
        var hour = first
        while hour + Self.hourSecs <= plan.endHour, report.hoursRolledUp < max(1, maxHoursPerRun) {
            let h = hour
            let rows = try attempt("rollup of hour \(Self.utcText(h))", &report.errors) { () throws(PGError) -> Int in
                try c.transaction { () throws(PGError) -> Int in
                    let r = try c.query("SELECT collector.rollup_hour($1, to_timestamp($2::float8))", [hostname, String(h)])
                    // The first row of a host starts its days at the day of its first hour.
                    try c.query("""
                        INSERT INTO collector.rollup_state AS s (host, last_hour, last_day, updated_at)
                        VALUES ($1, to_timestamp($2::float8), (to_timestamp($2::float8) AT TIME ZONE 'UTC')::date - 1, now())
                        ON CONFLICT (host) DO UPDATE SET last_hour = EXCLUDED.last_hour, updated_at = now()
                        """, [hostname, String(h)])
                    return Int(r.int(0, 0) ?? 0)
                }
            }
            guard let rows else { break }
            report.rollupRows += rows
            report.hoursRolledUp += 1
            firstRolled = firstRolled ?? h
            lastDone = h
            hour += Self.hourSecs
        }
        guard let lastDone else { return }

        // Days: complete once their last hour is done. A first run starts at the
        // day of its first hour (the state row says so); days touched by this
        // run's hours are rolled up again.
        let lastDay = plan.lastDay ?? (firstRolled.map { Self.midnight($0) - Self.daySecs })
        guard let lastDay else { return }
        var day = lastDay + Self.daySecs
        if let firstRolled { day = min(day, Self.midnight(firstRolled)) }
        day = max(day, plan.dayFloor)
        while day + Self.daySecs <= lastDone + Self.hourSecs {
            let d = day
            let rows = try attempt("rollup of day \(Self.utcText(d).prefix(10))", &report.errors) { () throws(PGError) -> Int in
                try c.transaction { () throws(PGError) -> Int in
                    let date = "(to_timestamp($2::float8) AT TIME ZONE 'UTC')::date"
                    let r = try c.query("SELECT collector.rollup_day($1, \(date))", [hostname, String(d)])
                    try c.query("""
                        UPDATE collector.rollup_state SET last_day = greatest(last_day, \(date)), updated_at = now()
                        WHERE host = $1
                        """, [hostname, String(d)])
                    return Int(r.int(0, 0) ?? 0)
                }
            }
            guard let rows else { break }
            report.rollupRows += rows
            report.daysRolledUp += 1
            day += Self.daySecs
        }
    }

    private static func midnight(_ epoch: Int64) -> Int64 {
        epoch - ((epoch % daySecs) + daySecs) % daySecs
    }

    /// `YYYY-MM-DD HH:MMZ` of epoch seconds, for error messages.
    package static func utcText(_ epoch: Int64) -> String {
        let days = midnight(epoch) / daySecs
        let secs = epoch - days * daySecs
        let (y, m, d) = CivilTime.civilFromDays(Int(days))
        func two<T: BinaryInteger>(_ v: T) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(y)-\(two(m))-\(two(d)) \(two(secs / 3600)):\(two(secs % 3600 / 60))Z"
    }

    // MARK: - Retention

    private func applyRetention(_ c: PGConnection, _ plan: Plan, nowMicros: Int64, _ report: inout RollupReport) throws(PGError) {
        // Raw partitions: every partitioned *_raw table and heartbeat (plugin tables included).
        let tables = try attempt("listing raw tables", &report.errors) { () throws(PGError) -> [String] in
            let r = try c.query("""
                SELECT c.oid::regclass::text
                FROM pg_partitioned_table pt
                JOIN pg_class c ON c.oid = pt.partrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'collector' AND NOT c.relispartition
                  AND (c.relname LIKE '%\\_raw' OR c.relname = 'heartbeat')
                ORDER BY 1
                """)
            return (0..<r.rowCount).compactMap { r.string($0, 0) }
        } ?? []
        for table in tables {
            let outcome = try attempt("dropping partitions of \(table)", &report.errors) { () throws(PGError) -> (Int, Int) in
                do throws(PGError) {
                    return try c.transaction { () throws(PGError) -> (Int, Int) in
                        try c.execute("SET LOCAL lock_timeout = '\(max(1, lockTimeoutMs))ms'")
                        let dropped = try c.query("SELECT collector.drop_partitions_before($1::regclass, $2::date)",
                                                  [table, plan.rawCutoffDate]).int(0, 0) ?? 0
                        // Partitions it had to skip (lock timeout) are still there.
                        let left = try c.query("""
                            SELECT count(*) FROM collector.partition_bounds($1::regclass)
                            WHERE NOT is_default AND range_to <= $2::date::timestamp AT TIME ZONE 'UTC'
                            """, [table, plan.rawCutoffDate]).int(0, 0) ?? 0
                        return (Int(dropped), Int(left))
                    }
                } catch where error.sqlstate == "55P03" {
                    return (0, 1)  // the advisory partition lock was busy
                }
            }
            report.partitionsDropped += outcome?.0 ?? 0
            report.partitionsSkipped += outcome?.1 ?? 0
        }

        // Logs: entries by partition, hourly counts, resolved patterns.
        let logRows = try attempt("cleanup_log_data", &report.errors) { () throws(PGError) -> [(String, Int)]? in
            do throws(PGError) {
                return try c.transaction { () throws(PGError) -> [(String, Int)] in
                    try c.execute("SET LOCAL lock_timeout = '\(max(1, lockTimeoutMs))ms'")
                    let r = try c.query("SELECT item, removed FROM collector.cleanup_log_data($1::int, $2::int, 30)",
                                        [String(Self.days(retention.logDays)), String(Self.days(retention.hourlyDays))])
                    return (0..<r.rowCount).map { (r.string($0, 0) ?? "", Int(r.int($0, 1) ?? 0)) }
                }
            } catch where error.sqlstate == "55P03" {
                return nil  // the advisory partition lock was busy
            }
        }
        if let logRows {
            for (item, removed) in logRows ?? [] {
                if item == "log_entries partitions dropped" {
                    report.logPartitionsDropped += removed
                } else {
                    // "log_metrics_hourly rows deleted" -> log_metrics_hourly
                    report.deleted[item.split(separator: " ").first.map(String.init) ?? item, default: 0] += removed
                }
            }
            if logRows == nil { report.partitionsSkipped += 1 }
        }

        // Small tables: DELETE on their time indexes. The rollup tables are the
        // declared ones (collector.rollups), whoever owns them; log_metrics_hourly
        // is pruned by cleanup_log_data with the logs.
        let now = "to_timestamp($1::float8 / 1e6)"
        var deletes: [(String, String, [String?])] = []
        let declared = try attempt("listing rollup tables", &report.errors) { () throws(PGError) -> [(String, String?)] in
            let r = try c.query("SELECT hourly_table, daily_table FROM collector.rollups WHERE raw_table <> 'log_entries' ORDER BY 1")
            return (0..<r.rowCount).compactMap { row in r.string(row, 0).map { ($0, r.string(row, 1)) } }
        } ?? []
        for t in declared.map(\.0) {
            deletes.append((t, "DELETE FROM collector.\(t) WHERE hour < \(now) - make_interval(days => $2::int)",
                            [String(nowMicros), String(Self.days(retention.hourlyDays))]))
        }
        for t in declared.compactMap(\.1) {
            deletes.append((t, "DELETE FROM collector.\(t) WHERE day < $1::date", [plan.dailyCutoffDate]))
        }
        deletes.append(("slo_tracking", "DELETE FROM collector.slo_tracking WHERE ts < \(now) - make_interval(days => $2::int)",
                        [String(nowMicros), String(Self.days(retention.hourlyDays))]))
        deletes.append(("alerts", """
            DELETE FROM collector.alerts
            WHERE status = 'resolved' AND resolved_at < \(now) - make_interval(days => $2::int)
            """, [String(nowMicros), String(Self.days(retention.resolvedAlertDays))]))
        deletes.append(("insights", "DELETE FROM collector.insights WHERE last_seen < \(now) - make_interval(days => $2::int)",
                        [String(nowMicros), String(Self.days(retention.insightDays))]))
        deletes.append(("recommendations", """
            DELETE FROM collector.recommendations
            WHERE status = 'resolved' AND resolved_at < \(now) - make_interval(days => $2::int)
            """, [String(nowMicros), String(Self.days(retention.insightDays))]))
        for (table, sql, params) in deletes {
            if let n = try attempt("retention of \(table)", &report.errors, { () throws(PGError) -> Int in
                try c.query(sql, params).affectedRows
            }) {
                report.deleted[table, default: 0] += n
            }
        }
    }

    /// Runs one step; a lost connection is thrown, anything else recorded (nil).
    private func attempt<T>(_ what: String, _ errors: inout [String], _ body: () throws(PGError) -> T) throws(PGError) -> T? {
        do throws(PGError) {
            return try body()
        } catch {
            if error.isConnectionLoss { throw error }
            errors.append("\(what): \(error)")
            return nil
        }
    }
}

/// What one `RollupJob.run` did, for a log line.
package struct RollupReport: Sendable, Equatable {
    package var hoursRolledUp = 0
    package var daysRolledUp = 0
    /// Hourly and daily rows written.
    package var rollupRows = 0
    /// Raw and heartbeat day partitions dropped, and expired ones left for the next run (lock timeout).
    package var partitionsDropped = 0
    package var partitionsSkipped = 0
    package var logPartitionsDropped = 0
    /// Rows deleted per table (`log_metrics_hourly` and `log_patterns` from cleanup_log_data).
    package var deleted: [String: Int] = [:]
    /// Steps that failed (other than a lost connection, which is thrown).
    package var errors: [String] = []

    package var rowsDeleted: Int { deleted.values.reduce(0, +) }

    package var summary: String {
        var s = "rolled up \(hoursRolledUp) hour(s), \(daysRolledUp) day(s) (\(rollupRows) rows); "
            + "dropped \(partitionsDropped) raw and \(logPartitionsDropped) log partition(s)"
        if partitionsSkipped > 0 { s += ", \(partitionsSkipped) busy (next run)" }
        s += "; deleted \(rowsDeleted) row(s)"
        let nonZero = deleted.filter { $0.value > 0 }.sorted { $0.key < $1.key }
        if !nonZero.isEmpty { s += " (" + nonZero.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")" }
        if !errors.isEmpty { s += "; \(errors.count) error(s): " + errors.joined(separator: "; ") }
        return s
    }
}

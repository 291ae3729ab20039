import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// Hourly/daily rollups (migrations/005_rollups.sql) and retention
/// (RollupJob) against a real PostgreSQL. Raw rows sit on day D = today - 2
/// (UTC), 10:00-12:59, for hosts alpha and beta; the job runs with its clock at
/// today 06:00 UTC, so every hour and day of the data is complete.
final class RollupTests: XCTestCase {
    private struct Fixture {
        let db: TestDatabase
        let c: PGConnection
        /// D as YYYY-MM-DD.
        let day: String
        /// Today 00:00 UTC, epoch seconds.
        let today: Int64

        /// A time of day D as a timestamptz literal.
        func ts(_ time: String) -> String { "\(day) \(time)+00" }
        /// The job's clock: today 06:00 UTC.
        var nowMicros: Int64 { (today + 6 * 3600) * 1_000_000 }
        /// Epoch seconds of D at hh:00.
        func hour(_ h: Int) -> Int64 { today - 2 * 86_400 + Int64(h) * 3600 }
    }

    private func fixture() throws -> Fixture {
        let db = try TestDatabase.create()
        do {
            let c = try db.connect()
            _ = try Migrator(connection: c).apply(BundledSchema.all)
            try c.query("SELECT collector.ensure_partitions(current_date - 3, current_date + 1)")
            let r = try c.query("""
                SELECT to_char(current_date - 2, 'YYYY-MM-DD'),
                       extract(epoch FROM current_date::timestamp AT TIME ZONE 'UTC')::bigint
                """)
            return Fixture(db: db, c: c, day: try XCTUnwrap(r.string(0, 0)), today: try XCTUnwrap(r.int(0, 1)))
        } catch {
            db.drop()
            throw error
        }
    }

    /// Realistic samples with hand-checkable values, a counter reset in hour 11
    /// and a second host whose rows must not leak into alpha's rollups.
    private func seed(_ f: Fixture) throws {
        let t = f.ts
        try f.c.execute("""
            INSERT INTO collector.system_metrics_raw (host, ts, cpu_count, cpu_pct, mem_used_bytes, mem_used_pct, load_1m, mounts) VALUES
              ('alpha', '\(t("10:00:00"))', 4, 10, 100, 10.0, 0.5, '[{"mount":"/","used_pct":50},{"mount":"/var","used_pct":20}]'),
              ('alpha', '\(t("10:20:00"))', 4, 20, 200, 20.0, 1.5, '[{"mount":"/","used_pct":55}]'),
              ('alpha', '\(t("10:40:00"))', 4, 60, 300, 30.0, 1.0, NULL),
              ('alpha', '\(t("11:00:00"))', 4, 40, 400, 40.0, 2.0, '[{"mount":"/","used_pct":57}]'),
              ('alpha', '\(t("11:30:00"))', 4, 50, 500, 50.0, 3.0, '[{"mount":"/","used_pct":56}]'),
              ('alpha', '\(t("12:59:59.5"))', 4, 90, 600, 60.0, 4.0, '[{"mount":"/","used_pct":58},{"mount":"/boot","used_pct":"n/a"}]'),
              ('beta',  '\(t("10:30:00"))', 2, 5, 50, 5.0, 0.1, '[{"mount":"/","used_pct":99}]');

            INSERT INTO collector.api_metrics_raw (host, ts, up, requests_total, errors_total, requests_per_sec, latency_p95_ms) VALUES
              ('alpha', '\(t("10:00:00"))', true,  100,  1,    5,    100),
              ('alpha', '\(t("10:20:00"))', false, NULL, NULL, NULL, NULL),
              ('alpha', '\(t("10:40:00"))', true,  220,  4,    7,    300),
              ('alpha', '\(t("11:00:00"))', true,  300,  4,    10,   200),
              ('alpha', '\(t("11:20:00"))', true,  40,   0,    20,   150),
              ('alpha', '\(t("11:40:00"))', true,  90,   2,    30,   250),
              ('alpha', '\(t("12:10:00"))', true,  130,  5,    8,    120),
              ('beta',  '\(t("10:00:00"))', true,  1000, 0,    1,    10),
              ('beta',  '\(t("10:30:00"))', true,  1010, 0,    2,    20);

            INSERT INTO collector.table_metrics_raw (host, ts, database_name, schema_name, table_name, seq_scan, n_live_tup, n_dead_tup) VALUES
              ('alpha', '\(t("10:05:00"))', NULL, 'public', 'orders', 10, 1000, 10),
              ('alpha', '\(t("10:35:00"))', NULL, 'public', 'orders', 30, 1100, 20),
              ('alpha', '\(t("11:05:00"))', NULL, 'public', 'orders', 45, 1200, 30),
              ('alpha', '\(t("11:35:00"))', NULL, 'public', 'orders', 5,  900,  0),
              ('alpha', '\(t("12:05:00"))', NULL, 'public', 'orders', 25, 950,  5),
              ('alpha', '\(t("10:05:00"))', NULL, 'public', 'items',  7,  50,   1),
              ('beta',  '\(t("10:05:00"))', NULL, 'public', 'orders', 500, 1, 1);

            INSERT INTO collector.process_metrics_raw (host, ts, process_name, process_count, missing, cpu_pct, rss_bytes, start_time, uptime_secs) VALUES
              ('alpha', '\(t("10:00:00"))', 'api', 2, false, 1.5, 100, '\(t("01:00:00"))', 32400),
              ('alpha', '\(t("10:30:00"))', 'api', 2, false, 2.5, 300, '\(t("01:00:00"))', 34200),
              ('alpha', '\(t("11:00:00"))', 'api', 1, false, 0.5, 50,  '\(t("10:50:00"))', 600),
              ('alpha', '\(t("11:30:00"))', 'api', 1, false, 1.0, 70,  '\(t("10:50:00"))', 2400),
              ('alpha', '\(t("10:15:00"))', 'postgres', 0, true, NULL, NULL, NULL, NULL);

            INSERT INTO collector.db_metrics_raw (host, ts, connections_total, deadlocks, wal_bytes) VALUES
              ('alpha', '\(t("10:00:00"))', 10, 1, 1000),
              ('alpha', '\(t("10:30:00"))', 20, 3, 5000),
              ('alpha', '\(t("11:00:00"))', 30, 4, 500);

            INSERT INTO collector.statement_metrics_raw (host, ts, database_name, username, queryid, toplevel, query, calls, total_exec_time_ms, mean_exec_time_ms) VALUES
              ('alpha', '\(t("10:00:00"))', 'app', 'web', 42, true, 'SELECT 1', 100, 10.5, 0.105),
              ('alpha', '\(t("10:30:00"))', 'app', 'web', 42, true, 'SELECT 1', 150, 20.25, 0.135),
              ('alpha', '\(t("10:30:00"))', 'app', 'web', NULL, true, 'no queryid', 1, 1, 1);

            INSERT INTO collector.log_entries (host, ts, source, level, message) VALUES
              ('alpha', '\(t("10:01:00"))', 'auth', 'warn', 'a'),
              ('alpha', '\(t("10:02:00"))', 'auth', 'warn', 'b'),
              ('alpha', '\(t("10:59:59"))', 'auth', 'warn', 'c'),
              ('alpha', '\(t("10:30:00"))', 'auth', 'error', 'd'),
              ('alpha', '\(t("11:00:00"))', 'kernel', 'info', 'e'),
              ('alpha', '\(t("11:10:00"))', 'kernel', 'info', 'f'),
              ('beta',  '\(t("10:10:00"))', 'auth', 'warn', 'g');
            """)
    }

    private func row(_ c: PGConnection, _ sql: String, _ params: [String?] = [],
                     file: StaticString = #filePath, line: UInt = #line) throws -> [String?] {
        let r = try c.query(sql, params)
        XCTAssertEqual(r.rowCount, 1, "expected one row: \(sql)", file: file, line: line)
        guard r.rowCount > 0 else { return [] }
        return (0..<r.columnCount).map { r.string(0, $0) }
    }

    private func scalar(_ c: PGConnection, _ sql: String, _ params: [String?] = []) throws -> String? {
        try c.query(sql, params).string(0, 0)
    }

    /// The declared rollup tables (collector.rollups), log_metrics_hourly included.
    private func rollupTables(_ c: PGConnection) throws -> (hourly: [String], daily: [String]) {
        let r = try c.query("SELECT hourly_table, daily_table FROM collector.rollups ORDER BY 1")
        let hourly = (0..<r.rowCount).compactMap { r.string($0, 0) }
        let daily = (0..<r.rowCount).compactMap { r.string($0, 1) }
        return (hourly, daily)
    }

    /// Every rollup table and the state, as sorted text.
    private func dump(_ c: PGConnection) throws -> String {
        let tables = try rollupTables(c).hourly + rollupTables(c).daily
        return try tables.map { (t: String) throws -> String in
            let text = try scalar(c, "SELECT string_agg(x::text, E'\\n' ORDER BY x::text) FROM collector.\(t) x") ?? ""
            return "\(t):\n\(text)"
        }.joined(separator: "\n")
    }

    private func job(_ host: String, _ retention: RetentionConfig = RetentionConfig()) -> RollupJob {
        RollupJob(hostname: host, retention: retention)
    }

    func testUtcTextForErrorMessages() {
        XCTAssertEqual(RollupJob.utcText(0), "1970-01-01 00:00Z")
        XCTAssertEqual(RollupJob.utcText(951_782_400 + 13 * 3600 + 5 * 60), "2000-02-29 13:05Z")
        XCTAssertEqual(RollupJob.utcText(1_767_225_599), "2025-12-31 23:59Z")
        XCTAssertEqual(RollupJob.utcText(-3600), "1969-12-31 23:00Z")
    }

    // MARK: - Hourly

    func testHourlyRollupsMatchHandComputedValues() throws {
        let f = try fixture()
        defer { f.db.drop() }
        try seed(f)
        let c = f.c

        let report = try job("alpha").run(on: c, nowMicros: f.nowMicros)
        XCTAssertEqual(report.errors, [])
        // D 10:00 (oldest raw row) through today 04:00 (05:00-06:00 has not settled at 06:00).
        XCTAssertEqual(report.hoursRolledUp, 24 + 14 + 5)
        XCTAssertEqual(report.daysRolledUp, 2, "D and D+1")
        XCTAssertEqual(try row(c, "SELECT extract(epoch FROM last_hour)::bigint, last_day FROM collector.rollup_state WHERE host = 'alpha'"),
                       [String(f.today + 4 * 3600), try scalar(c, "SELECT current_date - 1")])
        XCTAssertEqual(try scalar(c, "SELECT count(*) FROM collector.rollup_state WHERE host = 'beta'"), "0", "alpha's job leaves beta alone")
        XCTAssertEqual(try job("beta").run(on: c, nowMicros: f.nowMicros).errors, [])

        // system: 10:00 belongs to hour 10, 11:00:00 to hour 11, 12:59:59.5 to hour 12.
        let sys = "SELECT sample_count, cpu_pct_avg, cpu_pct_max, cpu_pct_min, mem_used_bytes_avg, mem_used_bytes_max, load_1m_min, mount_used_pct_max::text FROM collector.system_metrics_hourly WHERE host = $1 AND hour = $2"
        XCTAssertEqual(try row(c, sys, ["alpha", f.ts("10:00:00")]), ["3", "30", "60", "10", "200", "300", "0.5", #"{"/": 55, "/var": 20}"#])
        XCTAssertEqual(try row(c, sys, ["alpha", f.ts("11:00:00")]), ["2", "45", "50", "40", "450", "500", "2", #"{"/": 57}"#])
        XCTAssertEqual(try row(c, sys, ["alpha", f.ts("12:00:00")]), ["1", "90", "90", "90", "600", "600", "4", #"{"/": 58}"#])
        XCTAssertEqual(try row(c, sys, ["beta", f.ts("10:00:00")]), ["1", "5", "5", "5", "50", "50", "0.1", #"{"/": 99}"#])
        XCTAssertEqual(try scalar(c, "SELECT count(*) FROM collector.system_metrics_hourly"), "4", "hours without raw rows write nothing")

        // api: counters with a NULL sample (scrape down) and a reset at 11:20.
        // Hour 10: 100 -> 220 = 120 (first sample only sets the baseline); errors 1 -> 4 = 3.
        // Hour 11: 220 -> 300 (+80), reset to 40 (+40), -> 90 (+50) = 170; errors +0, reset +0, +2 = 2.
        // Hour 12: 90 -> 130 = 40; errors 2 -> 5 = 3.
        let api = "SELECT sample_count, up_samples, requests_delta, errors_delta, requests_per_sec_avg, requests_per_sec_max, requests_per_sec_min, latency_p95_ms_max FROM collector.api_metrics_hourly WHERE host = $1 AND hour = $2"
        XCTAssertEqual(try row(c, api, ["alpha", f.ts("10:00:00")]), ["3", "2", "120", "3", "6", "7", "5", "300"])
        XCTAssertEqual(try row(c, api, ["alpha", f.ts("11:00:00")]), ["3", "3", "170", "2", "20", "30", "10", "250"])
        XCTAssertEqual(try row(c, api, ["alpha", f.ts("12:00:00")]), ["1", "1", "40", "3", "8", "8", "8", "120"])
        XCTAssertEqual(try row(c, api, ["beta", f.ts("10:00:00")]), ["2", "2", "10", "0", "1.5", "2", "1", "20"])

        // table: '' for an unknown database; seq_scan resets at 11:35.
        let tbl = "SELECT sample_count, seq_scan_delta, n_live_tup_avg, n_live_tup_max, n_live_tup_min FROM collector.table_metrics_hourly WHERE host = 'alpha' AND hour = $1 AND database_name = '' AND schema_name = 'public' AND table_name = $2"
        XCTAssertEqual(try row(c, tbl, [f.ts("10:00:00"), "orders"]), ["2", "20", "1050", "1100", "1000"])
        XCTAssertEqual(try row(c, tbl, [f.ts("11:00:00"), "orders"]), ["2", "20", "1050", "1200", "900"])
        XCTAssertEqual(try row(c, tbl, [f.ts("12:00:00"), "orders"]), ["1", "20", "950", "950", "950"])
        XCTAssertEqual(try row(c, tbl, [f.ts("10:00:00"), "items"]), ["1", "0", "50", "50", "50"], "a lone first sample is a 0 increase")

        // process: the oldest pid's start time moved at 11:00 -> one restart in hour 11.
        let proc = "SELECT sample_count, rss_bytes_avg, rss_bytes_min, process_count_max, restarts, missing_samples, uptime_secs_min FROM collector.process_metrics_hourly WHERE host = 'alpha' AND hour = $1 AND process_name = $2"
        XCTAssertEqual(try row(c, proc, [f.ts("10:00:00"), "api"]), ["2", "200", "100", "2", "0", "0", "32400"])
        XCTAssertEqual(try row(c, proc, [f.ts("11:00:00"), "api"]), ["2", "60", "50", "1", "1", "0", "600"])
        XCTAssertEqual(try row(c, proc, [f.ts("10:00:00"), "postgres"]), ["1", nil, nil, "0", "0", "1", nil])

        // db: deadlocks 1 -> 3 (hour 10), 3 -> 4 (hour 11); wal_bytes 1000 -> 5000, then a reset to 500.
        let dbq = "SELECT sample_count, connections_total_avg, deadlocks_delta, wal_bytes_delta FROM collector.db_metrics_hourly WHERE host = 'alpha' AND hour = $1"
        XCTAssertEqual(try row(c, dbq, [f.ts("10:00:00")]), ["2", "15", "2", "4000"])
        XCTAssertEqual(try row(c, dbq, [f.ts("11:00:00")]), ["1", "30", "1", "500"])

        // statements: a float counter; the row without a queryid is skipped.
        XCTAssertEqual(try row(c, """
            SELECT sample_count, query, calls_delta, total_exec_time_ms_delta, mean_exec_time_ms_max
            FROM collector.statement_metrics_hourly WHERE host = 'alpha' AND hour = $1 AND database_name = 'app' AND username = 'web' AND queryid = 42 AND toplevel
            """, [f.ts("10:00:00")]), ["2", "SELECT 1", "50", "9.75", "0.135"])
        XCTAssertEqual(try scalar(c, "SELECT count(*) FROM collector.statement_metrics_hourly"), "1")

        // logs: count per host, hour, source, level.
        let logs = try c.query("SELECT host, to_char(hour, 'HH24'), source, level, entry_count FROM collector.log_metrics_hourly ORDER BY 1, 2, 3, 4")
        XCTAssertEqual((0..<logs.rowCount).map { r in (0..<5).map { logs.string(r, $0) ?? "" }.joined(separator: " ") },
                       ["alpha 10 auth error 1", "alpha 10 auth warn 3", "alpha 11 kernel info 2", "beta 10 auth warn 1"])
    }

    func testRollupsRunTwiceGiveIdenticalRowsAndLateRowsUpdate() throws {
        let f = try fixture()
        defer { f.db.drop() }
        try seed(f)
        let c = f.c
        XCTAssertEqual(try job("alpha").run(on: c, nowMicros: f.nowMicros).errors, [])
        XCTAssertEqual(try job("beta").run(on: c, nowMicros: f.nowMicros).errors, [])
        let first = try dump(c)
        XCTAssertEqual(try scalar(c, "SELECT count(*) FROM collector.system_metrics_hourly"), "4")
        XCTAssertEqual(try scalar(c, "SELECT count(*) FROM collector.api_metrics_daily"), "2")

        // Every hour and day again, directly and through the job from scratch.
        for h in 9...13 {
            for host in ["alpha", "beta"] {
                try c.query("SELECT collector.rollup_hour($1, to_timestamp($2::float8))", [host, String(f.hour(h))])
            }
        }
        try c.query("SELECT collector.rollup_day('alpha', $1::date), collector.rollup_day('beta', $1::date)", [f.day])
        try c.execute("DELETE FROM collector.rollup_state")
        let again = try job("alpha").run(on: c, nowMicros: f.nowMicros)
        XCTAssertEqual(again.hoursRolledUp, 43, "the job really rolled everything up again")
        XCTAssertEqual(again.daysRolledUp, 2)
        XCTAssertEqual(try job("beta").run(on: c, nowMicros: f.nowMicros).errors, [])
        let second = try dump(c)
        XCTAssertEqual(first, second)

        // A late raw row changes the hour when it is rolled up again (DO UPDATE, not DO NOTHING).
        try c.execute("INSERT INTO collector.system_metrics_raw (host, ts, cpu_pct) VALUES ('alpha', '\(f.ts("12:30:00"))', 30)")
        try c.query("SELECT collector.rollup_hour('alpha', $1::timestamptz)", [f.ts("12:00:00")])
        XCTAssertEqual(try row(c, "SELECT sample_count, cpu_pct_avg, cpu_pct_min FROM collector.system_metrics_hourly WHERE host = 'alpha' AND hour = $1",
                               [f.ts("12:00:00")]), ["2", "60", "30"])
    }

    // MARK: - Daily

    func testDailyRowsComeFromHourlyRows() throws {
        let f = try fixture()
        defer { f.db.drop() }
        try seed(f)
        let c = f.c
        XCTAssertEqual(try job("alpha").run(on: c, nowMicros: f.nowMicros).errors, [])

        // sample_count-weighted averages: cpu (30*3 + 45*2 + 90*1) / 6 = 45.
        let sys = "SELECT sample_count, cpu_pct_avg, cpu_pct_max, cpu_pct_min, mem_used_bytes_max, mount_used_pct_max::text FROM collector.system_metrics_daily WHERE host = 'alpha' AND day = $1::date"
        XCTAssertEqual(try row(c, sys, [f.day]), ["6", "45", "90", "10", "600", #"{"/": 58, "/var": 20}"#])
        // api: deltas summed (120 + 170 + 40); requests/s (6*3 + 20*3 + 8*1) / 7.
        let api = try row(c, "SELECT sample_count, up_samples, requests_delta, errors_delta, requests_per_sec_avg, requests_per_sec_max, requests_per_sec_min FROM collector.api_metrics_daily WHERE host = 'alpha' AND day = $1::date", [f.day])
        XCTAssertEqual(Array(api.prefix(4)), ["7", "6", "330", "8"])
        XCTAssertEqual(try XCTUnwrap(Double(api[4] ?? "")), 86.0 / 7.0, accuracy: 1e-9)
        XCTAssertEqual(Array(api.suffix(2)), ["30", "5"])
        XCTAssertEqual(try row(c, "SELECT sample_count, seq_scan_delta, n_live_tup_max, n_live_tup_min FROM collector.table_metrics_daily WHERE host = 'alpha' AND day = $1::date AND table_name = 'orders'", [f.day]),
                       ["5", "60", "1200", "900"])
        XCTAssertEqual(try row(c, "SELECT restarts, rss_bytes_avg, missing_samples FROM collector.process_metrics_daily WHERE host = 'alpha' AND day = $1::date AND process_name = 'api'", [f.day]),
                       ["1", "130", "0"])
        XCTAssertEqual(try row(c, "SELECT deadlocks_delta, wal_bytes_delta FROM collector.db_metrics_daily WHERE host = 'alpha' AND day = $1::date", [f.day]),
                       ["3", "4500"])
        XCTAssertEqual(try scalar(c, "SELECT count(*) FROM collector.system_metrics_daily"), "1", "a day without hourly rows writes nothing")

        // The daily row is built from the hourly rows, not from raw.
        try c.query("UPDATE collector.system_metrics_hourly SET cpu_pct_max = 99, sample_count = 4 WHERE host = 'alpha' AND hour = $1", [f.ts("11:00:00")])
        XCTAssertEqual(try scalar(c, "SELECT collector.rollup_day('alpha', $1::date)", [f.day]), "7",
                       "system, api, db, process (api, postgres) and table (orders, items) rows")
        XCTAssertEqual(try row(c, "SELECT sample_count, cpu_pct_max, cpu_pct_avg FROM collector.system_metrics_daily WHERE host = 'alpha' AND day = $1::date", [f.day]),
                       ["8", "99", "45"])  // (30*3 + 45*4 + 90) / 8 = 45
    }

    // MARK: - Backfill

    func testRestartAfterMissedHoursBackfillsThem() throws {
        let f = try fixture()
        defer { f.db.drop() }
        try seed(f)
        let c = f.c

        // The collector ran at D 11:30 (only hour 10 was complete), then stopped.
        let early = try job("alpha").run(on: c, nowMicros: (f.hour(11) + 1800) * 1_000_000)
        XCTAssertEqual(early.hoursRolledUp, 1)
        XCTAssertEqual(early.daysRolledUp, 0)
        XCTAssertEqual(try scalar(c, "SELECT count(*) FROM collector.system_metrics_hourly WHERE host = 'alpha'"), "1")
        XCTAssertEqual(try scalar(c, "SELECT to_char(last_hour, 'HH24:MI') FROM collector.rollup_state WHERE host = 'alpha'"), "10:00")

        // Back at today 06:00: everything from hour 11 on is rolled up, with hour 11's
        // counters continuing from hour 10's last raw sample.
        let later = try job("alpha").run(on: c, nowMicros: f.nowMicros)
        XCTAssertEqual(later.hoursRolledUp, 42)
        XCTAssertEqual(later.daysRolledUp, 2)
        let api = "SELECT requests_delta, errors_delta FROM collector.api_metrics_hourly WHERE host = 'alpha' AND hour = $1"
        XCTAssertEqual(try row(c, api, [f.ts("11:00:00")]), ["170", "2"])
        XCTAssertEqual(try row(c, api, [f.ts("12:00:00")]), ["40", "3"])
        XCTAssertEqual(try scalar(c, "SELECT count(*) FROM collector.system_metrics_hourly WHERE host = 'alpha'"), "3")
        let full = try dump(c)

        // State moved back by hand (and the rows lost): the next run redoes them.
        for t in try rollupTables(c).hourly {
            try c.query("DELETE FROM collector.\(t) WHERE hour >= $1", [f.ts("11:00:00")])
        }
        try c.execute("DELETE FROM collector.system_metrics_daily")
        try c.query("UPDATE collector.rollup_state SET last_hour = $1, last_day = $2::date - 1", [f.ts("10:00:00"), f.day])
        XCTAssertNotEqual(try dump(c), full)
        let redo = try job("alpha").run(on: c, nowMicros: f.nowMicros)
        XCTAssertEqual(redo.hoursRolledUp, 42)
        XCTAssertEqual(redo.daysRolledUp, 2)
        XCTAssertEqual(try dump(c), full)

        // Nothing new: the next run does nothing.
        let idle = try job("alpha").run(on: c, nowMicros: f.nowMicros)
        XCTAssertEqual([idle.hoursRolledUp, idle.daysRolledUp, idle.rollupRows], [0, 0, 0])
    }

    // MARK: - Retention

    func testRetentionDropsExpiredPartitionsAndOldRows() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let c = try db.connect()
        _ = try Migrator(connection: c).apply(BundledSchema.all)
        try c.query("SELECT collector.ensure_partitions(current_date - 20, current_date + 1)")
        let day = { (offset: Int) throws -> String in
            try XCTUnwrap(try self.scalar(c, "SELECT to_char(current_date + $1::int, 'YYYYMMDD')", [String(offset)]))
        }
        try c.execute("""
            INSERT INTO collector.system_metrics_raw (host, ts, cpu_pct) VALUES
              ('alpha', (current_date - 20) + time '12:00', 1),
              ('alpha', (current_date - 40) + time '12:00', 2),   -- no partition: sits in the default one
              ('alpha', (current_date - 14) + time '12:00', 3),
              ('alpha', now(), 4);
            INSERT INTO collector.heartbeat (host, ts) VALUES ('alpha', (current_date - 20) + time '12:00'), ('alpha', now());
            INSERT INTO collector.log_entries (host, ts, source, level, message) VALUES
              ('alpha', (current_date - 20) + time '12:00', 'auth', 'info', 'old'),
              ('alpha', (current_date - 3) + time '12:00', 'auth', 'info', 'recent');
            INSERT INTO collector.log_metrics_hourly VALUES ('alpha', now() - interval '100 days', 'auth', 'info', 1);
            INSERT INTO collector.alerts (host, analyzer, key, type, title, status, resolved_at) VALUES
              ('alpha', 'rules', 'old-resolved', 't', 'x', 'resolved', now() - interval '40 days'),
              ('alpha', 'rules', 'recent-resolved', 't', 'x', 'resolved', now() - interval '5 days');
            INSERT INTO collector.alerts (host, ts, first_seen, last_seen, analyzer, key, type, title) VALUES
              ('alpha', now() - interval '100 days', now() - interval '100 days', now() - interval '100 days', 'rules', 'old-open', 't', 'x');
            INSERT INTO collector.insights (host, analyzer, key, type, last_seen) VALUES
              ('alpha', 'anomaly', 'old', 'anomaly', now() - interval '40 days'),
              ('alpha', 'anomaly', 'recent', 'anomaly', now() - interval '1 day');
            INSERT INTO collector.recommendations (host, analyzer, key, category, title, status, resolved_at, first_seen) VALUES
              ('alpha', 'rules', 'old-resolved', 'db', 'x', 'resolved', now() - interval '40 days', now() - interval '50 days'),
              ('alpha', 'rules', 'recent-resolved', 'db', 'x', 'resolved', now() - interval '5 days', now() - interval '50 days'),
              ('alpha', 'rules', 'old-open', 'db', 'x', 'open', NULL, now() - interval '100 days');
            INSERT INTO collector.system_metrics_hourly (host, hour, sample_count) VALUES
              ('zeta', date_trunc('hour', now()) - interval '100 days', 1),
              ('zeta', date_trunc('hour', now()) - interval '10 days', 1);
            INSERT INTO collector.system_metrics_daily (host, day, sample_count) VALUES
              ('zeta', current_date - 400, 1), ('zeta', current_date - 10, 1);
            """)
        let rawTables = try XCTUnwrap(Int(try scalar(c, """
            SELECT count(*) FROM pg_partitioned_table pt JOIN pg_class c ON c.oid = pt.partrelid
            WHERE c.relnamespace = 'collector'::regnamespace AND (c.relname LIKE '%\\_raw' OR c.relname = 'heartbeat')
            """) ?? ""))
        XCTAssertEqual(rawTables, 14)  // with the Intelligence plugin's anomaly_rate_raw

        var retention = RetentionConfig()
        retention.rawDays = 14
        var rollup = RollupJob(hostname: "alpha", retention: retention)
        rollup.maxHoursPerRun = 3
        let report = try rollup.run(on: c)
        XCTAssertEqual(report.errors, [])

        func exists(_ name: String) throws -> Bool {
            try scalar(c, "SELECT to_regclass($1) IS NOT NULL", ["collector." + name]) == "t"
        }
        // Days D-20 ... D-15 end at or before the cutoff (today - 14) and are dropped from every raw table.
        XCTAssertEqual(report.partitionsDropped, rawTables * 6)
        XCTAssertEqual(report.partitionsSkipped, 0)
        for table in ["system_metrics_raw", "heartbeat", "statement_metrics_raw", "database_metrics_raw"] {
            XCTAssertFalse(try exists("\(table)_p\(day(-20))"), table)
            XCTAssertFalse(try exists("\(table)_p\(day(-15))"), table)
            XCTAssertTrue(try exists("\(table)_p\(day(-14))"), table)
            XCTAssertTrue(try exists("\(table)_p\(day(0))"), table)
            XCTAssertTrue(try exists("\(table)_p\(day(1))"), table)
        }
        XCTAssertEqual(try scalar(c, "SELECT string_agg(cpu_pct::text, ',' ORDER BY cpu_pct) FROM collector.system_metrics_raw"), "3,4",
                       "rows of dropped days and old rows of the default partition are gone")
        XCTAssertEqual(try scalar(c, "SELECT count(*) FROM collector.heartbeat"), "1")

        // Logs keep 7 days.
        XCTAssertEqual(report.logPartitionsDropped, 13)  // D-20 ... D-8
        XCTAssertFalse(try exists("log_entries_p\(day(-8))"))
        XCTAssertTrue(try exists("log_entries_p\(day(-7))"))
        XCTAssertEqual(try scalar(c, "SELECT string_agg(message, ',') FROM collector.log_entries"), "recent")
        XCTAssertEqual(try scalar(c, "SELECT count(*) FROM collector.log_metrics_hourly"), "0")

        // The first run starts at the raw floor (today - 14), not at the 20-day-old row.
        XCTAssertEqual(report.hoursRolledUp, 3)
        XCTAssertEqual(try scalar(c, "SELECT last_hour = (current_date - 14)::timestamp AT TIME ZONE 'UTC' + interval '2 hours' FROM collector.rollup_state WHERE host = 'alpha'"), "t")
        XCTAssertEqual(try scalar(c, "SELECT count(*) FROM collector.system_metrics_hourly WHERE host = 'alpha'"), "0")

        // Findings and rollups.
        XCTAssertEqual(try scalar(c, "SELECT string_agg(key, ',' ORDER BY key) FROM collector.alerts"), "old-open,recent-resolved")
        XCTAssertEqual(try scalar(c, "SELECT string_agg(key, ',' ORDER BY key) FROM collector.insights"), "recent")
        XCTAssertEqual(try scalar(c, "SELECT string_agg(key, ',' ORDER BY key) FROM collector.recommendations"), "old-open,recent-resolved")
        XCTAssertEqual(try scalar(c, "SELECT string_agg((now() - hour > interval '50 days')::text, ',') FROM collector.system_metrics_hourly WHERE host = 'zeta'"), "false")
        XCTAssertEqual(try scalar(c, "SELECT string_agg((current_date - day)::text, ',') FROM collector.system_metrics_daily WHERE host = 'zeta'"), "10")
        XCTAssertEqual(report.deleted["alerts"], 1)
        XCTAssertEqual(report.deleted["insights"], 1)
        XCTAssertEqual(report.deleted["recommendations"], 1)
        XCTAssertEqual(report.deleted["system_metrics_hourly"], 1)
        XCTAssertEqual(report.deleted["system_metrics_daily"], 1)
        XCTAssertEqual(report.deleted["log_metrics_hourly"], 1)
        XCTAssertTrue(report.summary.contains("dropped \(rawTables * 6) raw and 13 log partition(s)"), report.summary)
    }

    func testBusyPartitionIsSkippedNotWaitedOn() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let c = try db.connect()
        _ = try Migrator(connection: c).apply(BundledSchema.all)
        try c.query("SELECT collector.ensure_partitions(current_date - 20, current_date + 1)")
        // Without the job's lock_timeout the drop would wait; fail instead of hanging.
        try c.execute("SET statement_timeout = '20s'")
        let old = try XCTUnwrap(try scalar(c, "SELECT to_char(current_date - 20, 'YYYYMMDD')"))

        let holder = try db.connect()
        try holder.execute("BEGIN")
        try holder.execute("LOCK TABLE collector.heartbeat_p\(old) IN ACCESS SHARE MODE")

        var rollup = RollupJob(hostname: "alpha", retention: RetentionConfig())
        rollup.lockTimeoutMs = 200
        let started = MonotonicClock.nowNanos()
        let busy = try rollup.run(on: c)
        XCTAssertLessThan(MonotonicClock.nowNanos() - started, 10_000_000_000)
        XCTAssertEqual(busy.errors, [])
        XCTAssertEqual(busy.partitionsSkipped, 1)
        XCTAssertEqual(try scalar(c, "SELECT to_regclass('collector.heartbeat_p\(old)') IS NOT NULL"), "t")
        XCTAssertEqual(try scalar(c, "SELECT to_regclass('collector.system_metrics_raw_p\(old)') IS NULL"), "t", "other tables went ahead")

        try holder.execute("COMMIT")
        let free = try rollup.run(on: c)
        XCTAssertEqual(free.partitionsSkipped, 0)
        XCTAssertGreaterThan(free.partitionsDropped, 0)
        XCTAssertEqual(try scalar(c, "SELECT to_regclass('collector.heartbeat_p\(old)') IS NULL"), "t")
    }
}

import Foundation
import CollectorTestSupport
import XCTest

/// `pqcrypta-collector status` as a monitoring check runs it: the binary,
/// against a real database, judged by its exit status and its JSON.
final class StatusCommandTests: XCTestCase {
    private func status(_ db: TestDatabase, _ arguments: [String], extra: [String: String] = [:]) throws -> TestSupport.ProcessResult {
        var env = db.environment
        env["COLLECTOR_HOSTNAME"] = "web-1"
        env.merge(extra) { $1 }
        return try TestSupport.collector(["status"] + arguments, environment: env)
    }

    private func json(_ r: TestSupport.ProcessResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
        return try XCTUnwrap(object as? [String: Any], r.stdout)
    }

    private func healthyHost(_ db: TestDatabase, _ host: String = "web-1") throws {
        _ = try db.connect().query("""
            INSERT INTO collector.heartbeat (host, ts, pid, version, uptime_secs, rss_bytes, buffered_rows, dropped_rows)
            VALUES ($1, now() - interval '3 seconds', 4242, '0.9.0', 120, 12345678, 0, 0);
            """, [host])
        _ = try db.connect().query("""
            INSERT INTO collector.plugin_stats (host, plugin, tick, runs, failures, last_run_at, last_duration_ms)
            VALUES ($1, 'system_metrics', 'sys', 10, 0, now(), 1.5)
            """, [host])
    }

    /// What the acceptance check does right after `migrate`: valid JSON, exit ≤ 3.
    func testFreshlyMigratedDatabase() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let mine = try status(db, ["--json"])
        XCTAssertEqual(mine.status, 2, "no heartbeat from this host is critical: \(mine.stderr)")
        let report = try json(mine)
        XCTAssertEqual(report["level"] as? String, "critical")
        let hosts = try XCTUnwrap(report["hosts"] as? [[String: Any]])
        XCTAssertEqual(hosts.first?["host"] as? String, "web-1")
        XCTAssertTrue(hosts.first?["heartbeat"] is NSNull)

        let all = try status(db, ["--all", "--json"])
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertEqual((try json(all)["hosts"] as? [Any])?.count, 0)

        let text = try status(db, ["--all"])
        XCTAssertEqual(text.status, 0)
        XCTAssertTrue(text.stdout.contains("no host has written"), text.stdout)
    }

    func testExitStatusFollowsTheWorstFinding() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        try healthyHost(db)
        var r = try status(db, [])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("host web-1"), r.stdout)
        XCTAssertTrue(r.stdout.contains("system_metrics/sys"), r.stdout)
        XCTAssertFalse(r.stdout.contains("\u{1B}["), "no escape codes into a pipe")

        try db.execute("""
            INSERT INTO collector.alerts (host, analyzer, key, type, severity, title)
            VALUES ('web-1', 'rules', 'disk:/', 'disk_full', 'warn', 'Disk / at 91%');
            INSERT INTO collector.recommendations (host, analyzer, key, category, severity, title, action)
            VALUES ('web-1', 'rules', 'bloat:t', 'table_bloat', 'info', 'Vacuum t', E'1. VACUUM (ANALYZE) t;\n2. check autovacuum');
            INSERT INTO collector.insights (host, analyzer, key, type, severity, title)
            VALUES ('web-1', 'intel', 'cpu', 'anomaly', 'info', 'CPU spike');
            """)
        r = try status(db, ["--json"])
        XCTAssertEqual(r.status, 1, r.stdout)
        let host = try XCTUnwrap((try json(r)["hosts"] as? [[String: Any]])?.first)
        XCTAssertEqual((host["alerts"] as? [Any])?.count, 1)
        let rec = try XCTUnwrap((host["recommendations"] as? [[String: Any]])?.first)
        XCTAssertEqual(rec["first_action"] as? String, "1. VACUUM (ANALYZE) t;")
        XCTAssertEqual((host["insights_24h"] as? [Any])?.count, 1)

        try db.execute("""
            INSERT INTO collector.alerts (host, analyzer, key, type, severity, title)
            VALUES ('web-1', 'rules', 'mem', 'memory', 'critical', E'Memory \\u001b[31mexhausted');
            """)
        r = try status(db, [])
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stdout.contains("Memory  [31mexhausted"), "control characters from the database are blanked: \(r.stdout)")
        // Another host, healthy, is unaffected; --all sees both and takes the worst.
        try healthyHost(db, "db-1")
        XCTAssertEqual(try status(db, ["--host", "db-1"]).status, 0)
        let all = try json(try status(db, ["--all", "--json"]))
        XCTAssertEqual((all["hosts"] as? [[String: Any]])?.compactMap { $0["host"] as? String }, ["db-1", "web-1"])
        XCTAssertEqual(all["exit_status"] as? Int, 2)
    }

    func testStaleHeartbeatIsCritical() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        try healthyHost(db)
        try db.execute("UPDATE collector.heartbeat SET ts = now() - interval '10 minutes'")
        let r = try status(db, ["--json"])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stdout.contains("heartbeat stale"), r.stdout)
    }

    func testFiguresProcessesLogSourcesAndSLOs() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        try healthyHost(db)
        try db.execute("""
            INSERT INTO collector.system_metrics_raw (host, ts, cpu_pct, mem_used_pct, mem_total_bytes, load_1m, disk_used_pct_max)
            VALUES ('web-1', now() - interval '5 seconds', 37.5, 61.25, 8589934592, 0.75, 71.2);
            INSERT INTO collector.process_metrics_raw (host, ts, process_name, process_count, missing, cpu_pct, rss_bytes)
            VALUES ('web-1', now(), 'nginx', 3, false, 1.5, 1048576), ('web-1', now(), 'api', 0, true, NULL, NULL);
            INSERT INTO collector.log_entries (host, ts, source, level, message, context)
            SELECT 'web-1', now() - i * interval '1 second', 'api', 'info', 'line ' || i,
                   CASE WHEN i % 4 = 0 THEN '{"unparsed": true}'::jsonb END
            FROM generate_series(1, 8) i;
            INSERT INTO collector.log_positions (host, source, source_type, path) VALUES ('web-1', 'auth', 'file', '/var/log/auth.log');
            INSERT INTO collector.slo_tracking (host, slo_name, target, actual, met, budget_consumed_pct)
            VALUES ('web-1', 'api_uptime', 99.9, 99.5, false, 140);
            """)
        let r = try status(db, ["--json"])
        XCTAssertEqual(r.status, 1, "a missing process and a missed SLO are warnings: \(r.stdout)")
        let host = try XCTUnwrap((try json(r)["hosts"] as? [[String: Any]])?.first)
        let system = try XCTUnwrap(host["system"] as? [String: Any])
        XCTAssertEqual(system["cpu_pct"] as? Double, 37.5)
        XCTAssertEqual((host["processes"] as? [[String: Any]])?.map { $0["name"] as? String }, ["api", "nginx"])
        let sources = try XCTUnwrap(host["log_sources"] as? [[String: Any]])
        XCTAssertEqual(sources.map { $0["source"] as? String }, ["api", "auth"])
        XCTAssertEqual(sources[0]["rows_last_hour"] as? Int, 8)
        XCTAssertEqual(sources[0]["unparsed_share"] as? Double, 0.25)
        XCTAssertTrue(sources[1]["last_row_at"] is NSNull)
        let slo = try XCTUnwrap((host["slos"] as? [[String: Any]])?.first)
        XCTAssertEqual(slo["budget_remaining_pct"] as? Double, 0)
        XCTAssertEqual(slo["met"] as? Bool, false)

        // Without the plugin-owned and intelligence tables the sections are empty, not errors.
        try db.execute("DROP TABLE collector.slo_tracking; DROP TABLE collector.process_metrics_raw CASCADE")
        let bare = try status(db, ["--json"])
        XCTAssertEqual(bare.status, 0, bare.stdout + bare.stderr)
    }

    /// Which ticks are disabled only this machine's stats.json knows: status reads it for its own host.
    func testDisabledTickFromStatsJSON() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        try healthyHost(db)
        let dir = try TestSupport.makeTempDir("status")
        try TestSupport.write("""
            {"written_at_us":1,"buffered_rows":0,"buffered_bytes":0,"counters":{},
             "ticks":{"system_metrics/sys":{"runs":3,"failures":3,"consecutive_failures":0,"skipped":0,"backoff_secs":0,"last_duration_ms":1,"max_duration_ms":1,"disabled":true,"last_error":"x"}}}
            """, to: dir + "/stats.json")
        try TestSupport.write("[collector]\nstate_dir = \"\(dir)\"\n", to: dir + "/c.toml")
        let r = try status(db, ["--json", "--config", dir + "/c.toml"])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("system_metrics/sys is disabled"), r.stdout)
        XCTAssertTrue(r.stdout.contains("\"disabled\":true"), r.stdout)
        // Another host's ticks are not this machine's.
        XCTAssertEqual(try status(db, ["--json", "--config", dir + "/c.toml"], extra: ["COLLECTOR_HOSTNAME": "other"]).status, 2)
    }

    func testUnreachableDatabaseExitsThreeWithJSON() throws {
        let r = try TestSupport.collector(["status", "--json"], environment: [
            "DB_HOST": "127.0.0.1", "DB_PORT": "1", "DB_NAME": "none", "DB_USER": "nobody", "DB_SSLMODE": "disable",
        ])
        XCTAssertEqual(r.status, 3, r.stdout + r.stderr)
        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        XCTAssertNotNil(object["error"] as? String)
        let text = try TestSupport.collector(["status"], environment: ["DB_HOST": "127.0.0.1", "DB_PORT": "1", "DB_SSLMODE": "disable"])
        XCTAssertEqual(text.status, 3)
        XCTAssertTrue(text.stderr.contains("error: database"), text.stderr)
    }

    func testUsage() throws {
        XCTAssertEqual(try TestSupport.collector(["status", "--all", "--host", "x"]).status, 64)
        let help = try TestSupport.collector(["status", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("--json"), help.stdout)
    }
}

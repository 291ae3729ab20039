import CollectorTestSupport
import Foundation
import SystemMetricsCore
import XCTest
@testable import CollectorCore
@testable import IntelligenceCore
import PluginKit

/// The health rules through the host (libIntelligence.so, the host's
/// FindingStore), each condition produced for real on the test's database:
/// the finding opens with its key, evidence and command, updates rather than
/// duplicates, keeps its acknowledgement, and resolves when the condition goes.
final class RulesDBTests: XCTestCase {
    let host = "rules-a"

    func harness(_ db: TestDatabase, _ rule: String, _ toml: String = "") throws -> IntelligenceHarness {
        try IntelligenceHarness(db, hostname: host, analyzer: rule, toml: toml)
    }

    func open(_ db: TestDatabase, _ table: String = "recommendations", analyzer: String) throws -> [[String: String]] {
        try db.namedRows("""
            SELECT key, severity, title, description, action, context::text AS context, occurrences::text AS occurrences,
                   acknowledged::text AS acknowledged
              FROM collector.\(table) WHERE analyzer = $1 AND status = 'open' ORDER BY key
            """, ["intelligence.\(analyzer)"])
    }

    /// Waits until the cumulative statistics show `condition` (they are flushed
    /// when a session ends, and read through a snapshot).
    func waitForStats(_ db: TestDatabase, _ condition: String, _ what: String) throws {
        try db.waitUntil("SELECT \(condition)", timeout: 20, what)
    }

    func testTableBloatOpensUpdatesKeepsAcknowledgementAndResolves() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        try db.execute("CREATE TABLE orders (id int PRIMARY KEY, total int) WITH (autovacuum_enabled = false)")
        try db.execute("INSERT INTO orders SELECT g, g FROM generate_series(1, 20000) g")
        try db.execute("UPDATE orders SET total = total + 1 WHERE id <= 10000")
        try waitForStats(db, "n_dead_tup >= 10000 FROM pg_stat_user_tables WHERE relname = 'orders'", "dead tuples")
        let bloat = try harness(db, "table_bloat")
        bloat.run()
        var rows = try open(db, analyzer: "table_bloat")
        XCTAssertEqual(rows.map { $0["key"]! }, ["table_bloat:public.orders"])
        let r = try XCTUnwrap(rows.first)
        XCTAssertTrue(r["title"]!.contains("50 % dead tuples"), r["title"]!)
        XCTAssertTrue(r["action"]!.hasPrefix("1. Reclaim the space now: VACUUM (ANALYZE, VERBOSE) public.orders;"), r["action"]!)
        XCTAssertTrue(r["action"]!.contains("2. Autovacuum is off for this table: ALTER TABLE public.orders RESET (autovacuum_enabled);"))
        XCTAssertTrue(r["description"]!.contains("dead tuples: 10000"), r["description"]!)
        XCTAssertTrue(r["context"]!.contains(#""dead_tuples": 10000"#), r["context"]!)

        // Watchdog: the same table as an alert.
        let watchdog = try harness(db, "table_health")
        watchdog.run()
        XCTAssertEqual(try open(db, "alerts", analyzer: "table_health").map { $0["key"]! },
                       ["table_dead_tuples:public.orders", "table_not_vacuumed:public.orders"])

        // Updated, not duplicated; the operator's acknowledgement survives.
        try db.execute("UPDATE collector.recommendations SET acknowledged = true, acknowledged_at = now() WHERE key = 'table_bloat:public.orders'")
        bloat.run()
        rows = try open(db, analyzer: "table_bloat")
        XCTAssertEqual(rows.count, 1)
        XCTAssertEqual(rows[0]["occurrences"], "2")
        XCTAssertEqual(rows[0]["acknowledged"], "true")

        // Hysteresis: 15 % dead is below the 20 % that raises it but above the
        // 10 % that clears it: the open one stays open.
        try db.execute("VACUUM orders")
        try db.execute("UPDATE orders SET total = total + 1 WHERE id <= 3000")
        try waitForStats(db, "n_dead_tup = 3000 FROM pg_stat_user_tables WHERE relname = 'orders'", "3000 dead tuples")
        bloat.run()
        XCTAssertEqual(try open(db, analyzer: "table_bloat").first?["occurrences"], "3")

        try db.execute("VACUUM orders")
        try waitForStats(db, "n_dead_tup = 0 FROM pg_stat_user_tables WHERE relname = 'orders'", "the vacuum")
        bloat.run()
        watchdog.run()
        XCTAssertEqual(try open(db, analyzer: "table_bloat").count, 0)
        XCTAssertEqual(try open(db, "alerts", analyzer: "table_health").count, 0)
        XCTAssertEqual(try db.scalar("SELECT status FROM collector.recommendations WHERE key = 'table_bloat:public.orders'"), "resolved")

        // Below the raise threshold, a table with no open finding raises none.
        try db.execute("UPDATE orders SET total = total + 1 WHERE id <= 3000")
        try waitForStats(db, "n_dead_tup = 3000 FROM pg_stat_user_tables WHERE relname = 'orders'", "3000 dead tuples again")
        bloat.run()
        XCTAssertEqual(try open(db, analyzer: "table_bloat").count, 0)
    }

    func testDuplicateAndInvalidIndexes() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        try db.execute("CREATE TABLE items (id int PRIMARY KEY, sku text, shop int, made date)")
        try db.execute("INSERT INTO items SELECT g, 'sku' || g, g % 7, date '2026-01-01' + g % 300 FROM generate_series(1, 1000) g")
        try db.execute("CREATE INDEX items_shop ON items (shop)")
        try db.execute("CREATE INDEX items_shop_made ON items (shop, made)")       // covers items_shop
        try db.execute("CREATE INDEX items_id ON items (id)")                       // same as the primary key's
        try db.execute("CREATE UNIQUE INDEX items_sku_shop ON items (sku, shop)")   // unique: kept
        try db.execute("CREATE INDEX items_sku ON items (sku)")                     // covered by the unique one
        // A CREATE UNIQUE INDEX CONCURRENTLY that fails on duplicate keys leaves an invalid index.
        XCTAssertThrowsError(try db.execute("CREATE UNIQUE INDEX CONCURRENTLY items_made_uq ON items (made)"))

        try harness(db, "duplicate_index").run()
        let duplicates = try open(db, analyzer: "duplicate_index")
        XCTAssertEqual(duplicates.map { $0["key"]! },
                       ["duplicate_index:items_id", "duplicate_index:items_shop", "duplicate_index:items_sku"])
        XCTAssertTrue(duplicates[1]["action"]!.contains("DROP INDEX CONCURRENTLY items_shop;"), duplicates[1]["action"]!)
        XCTAssertTrue(duplicates[1]["title"]!.contains("covered by items_shop_made"), duplicates[1]["title"]!)

        let invalid = try harness(db, "invalid_index")
        invalid.run()
        let bad = try open(db, analyzer: "invalid_index")
        XCTAssertEqual(bad.map { $0["key"]! }, ["invalid_index:items_made_uq"])
        XCTAssertTrue(bad[0]["action"]!.contains("DROP INDEX CONCURRENTLY items_made_uq;"))
        XCTAssertTrue(bad[0]["action"]!.contains("CREATE UNIQUE INDEX CONCURRENTLY items_made_uq ON public.items USING btree (made);"), bad[0]["action"]!)
        XCTAssertTrue(bad[0]["action"]!.contains("HAVING count(*) > 1"))

        try db.execute("DROP INDEX items_made_uq")
        invalid.run()
        XCTAssertEqual(try open(db, analyzer: "invalid_index").count, 0)
    }

    func testUnusedIndexWaitsForOldStatistics() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        try db.execute("CREATE TABLE events (id bigint, payload_id bigint)")
        try db.execute("INSERT INTO events SELECT g, g * 7 FROM generate_series(1, 500000) g")
        try db.execute("CREATE INDEX events_payload ON events (payload_id)")   // about 11 MB, never scanned
        try db.execute("CREATE UNIQUE INDEX events_id ON events (id)")         // unique: never advised
        XCTAssertGreaterThan(Int(try db.scalar("SELECT pg_relation_size('events_payload')") ?? "0") ?? 0, 10 << 20)
        try waitForStats(db, "count(*) = 2 FROM pg_stat_user_indexes WHERE relname = 'events'", "index statistics")

        // The statistics of a new cluster are days younger than the default 7: no advice.
        try harness(db, "unused_index").run()
        XCTAssertEqual(try open(db, analyzer: "unused_index").count, 0)

        // Statistics old enough (the age the rule asks for lowered to 0 days).
        let aged = try harness(db, "unused_index", "[plugin.intelligence.rules.unused_index]\nstats_min_age_days = 0\n")
        aged.run()
        let rows = try open(db, analyzer: "unused_index")
        XCTAssertEqual(rows.map { $0["key"]! }, ["unused_index:events_payload"])
        XCTAssertTrue(rows[0]["action"]!.contains("DROP INDEX CONCURRENTLY events_payload;"))
        XCTAssertTrue(rows[0]["action"]!.contains("CREATE INDEX CONCURRENTLY events_payload ON public.events USING btree (payload_id)"))

        // Used once: no longer unused.
        try db.execute("SET enable_seqscan = off; SELECT * FROM events WHERE payload_id = 70")
        try waitForStats(db, "idx_scan > 0 FROM pg_stat_user_indexes WHERE indexrelname = 'events_payload'", "an index scan")
        aged.run()
        XCTAssertEqual(try open(db, analyzer: "unused_index").count, 0)
    }

    func testSequenceNearItsMaximum() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        try db.execute("CREATE TABLE tickets (id serial PRIMARY KEY, note text)")
        try db.execute("SELECT setval('tickets_id_seq', 2000000000)")   // 93 % of int4
        try db.execute("CREATE SEQUENCE spare AS bigint")
        try db.execute("SELECT nextval('spare')")
        let rule = try harness(db, "sequence_exhaustion")
        rule.run()
        let rows = try open(db, analyzer: "sequence_exhaustion")
        XCTAssertEqual(rows.map { $0["key"]! }, ["sequence_exhaustion:public.tickets_id_seq"])
        XCTAssertEqual(rows[0]["severity"], "warn")
        XCTAssertTrue(rows[0]["action"]!.contains("ALTER TABLE tickets ALTER COLUMN id TYPE bigint; ALTER SEQUENCE public.tickets_id_seq AS bigint;"),
                      rows[0]["action"]!)
        XCTAssertTrue(rows[0]["context"]!.contains(#""owned_by": "tickets.id""#), rows[0]["context"]!)

        try db.execute("ALTER TABLE tickets ALTER COLUMN id TYPE bigint")
        try db.execute("ALTER SEQUENCE tickets_id_seq AS bigint")
        rule.run()
        XCTAssertEqual(try open(db, analyzer: "sequence_exhaustion").count, 0)
    }

    /// In a fleet writing to one database, the database rules run on one host:
    /// the first by name with a fresh heartbeat. Another host leading, this
    /// one reports nothing (its copies resolve); when that host's heartbeat
    /// goes stale, this one takes over. `always` runs them here regardless, and
    /// the host rules are not affected.
    func testDatabaseRulesRunOnTheLeadHostOfAFleet() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        try db.execute("CREATE TABLE tickets (id serial PRIMARY KEY, note text)")
        try db.execute("SELECT setval('tickets_id_seq', 2000000000)")   // 93 % of int4
        let rule = try harness(db, "sequence_exhaustion")
        let openKeys = { try self.open(db, analyzer: "sequence_exhaustion").map { $0["key"]! } }
        rule.run()
        XCTAssertEqual(try openKeys(), ["sequence_exhaustion:public.tickets_id_seq"], "alone, this host leads")

        // rules-0 sorts first and is alive: it leads, and this host's copy resolves.
        try db.execute("INSERT INTO collector.heartbeat (host, ts) VALUES ('rules-0', now()), ('rules-b', now())")
        rule.run()
        XCTAssertEqual(try openKeys(), [])
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.recommendations WHERE analyzer = 'intelligence.sequence_exhaustion' AND status = 'resolved'"), "1")
        // `always`: every host runs them.
        try IntelligenceHarness(db, hostname: host, analyzer: "sequence_exhaustion", toml: "[plugin.intelligence]\ndatabase_rules = \"always\"\n").run()
        XCTAssertEqual(try openKeys(), ["sequence_exhaustion:public.tickets_id_seq"])
        rule.run()
        XCTAssertEqual(try openKeys(), [])

        // rules-0 stops (its last heartbeat older than the window): this host takes over.
        try db.execute("UPDATE collector.heartbeat SET ts = now() - interval '10 minutes' WHERE host = 'rules-0'")
        rule.run()
        XCTAssertEqual(try openKeys(), ["sequence_exhaustion:public.tickets_id_seq"], "rules-a now sorts first among the live hosts")

        // `never`: no host runs them; a bad value names the key.
        try IntelligenceHarness(db, hostname: host, analyzer: "sequence_exhaustion", toml: "[plugin.intelligence]\ndatabase_rules = \"never\"\n").run()
        XCTAssertEqual(try openKeys(), [])
        XCTAssertThrowsError(try IntelligenceConfiguration.read { $0 == "database_rules" ? .string("sometimes") : nil }) { error in
            XCTAssertEqual((error as? PluginConfigError)?.key, "plugin.intelligence.database_rules")
        }
        XCTAssertEqual(RuleCatalogue.all.filter { $0.scope == .host }.map(\.name).sorted(),
                       ["api", "api_health", "process", "process_health", "proxy"], "rules over this host's own rows run on every host")
    }

    func testIdleTransactionAndLongQuery() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let toml = """
            [plugin.intelligence.rules.idle_in_transaction]
            secs = 1
            [plugin.intelligence.rules.long_query]
            secs = 1
            """
        // A second session left idle inside a transaction.
        let idle = try db.connect()
        let idlePid = try XCTUnwrap(try idle.query("SELECT pg_backend_pid()", []).string(0, 0))
        _ = try idle.execute("BEGIN")
        _ = try idle.execute("SELECT 1")
        // A third one running pg_sleep past the limit.
        let sleeper = try db.connect()
        let sleeperPid = try XCTUnwrap(try sleeper.query("SELECT pg_backend_pid()", []).string(0, 0))
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? sleeper.execute("SELECT pg_sleep(30)")
            done.signal()
        }
        Thread.sleep(forTimeInterval: 2.5)

        let idleRule = try harness(db, "idle_in_transaction", toml)
        idleRule.run()
        let idleRows = try open(db, analyzer: "idle_in_transaction")
        XCTAssertEqual(idleRows.map { $0["key"]! }, ["idle_in_transaction:\(idlePid)"])
        XCTAssertTrue(idleRows[0]["action"]!.contains("SELECT pg_terminate_backend(\(idlePid));"))
        XCTAssertTrue(idleRows[0]["context"]!.contains(#""last_query": "SELECT 1""#), idleRows[0]["context"]!)

        let longRule = try harness(db, "long_query", toml)
        longRule.run()
        let longRows = try open(db, analyzer: "long_query")
        XCTAssertEqual(longRows.map { $0["key"]! }, ["long_query:\(sleeperPid)"])
        XCTAssertTrue(longRows[0]["action"]!.contains("SELECT pg_cancel_backend(\(sleeperPid));"))
        XCTAssertTrue(longRows[0]["title"]!.contains("SELECT pg_sleep(30)"), longRows[0]["title"]!)

        _ = try idle.execute("COMMIT")
        try db.execute("SELECT pg_cancel_backend(\(sleeperPid))")
        XCTAssertEqual(done.wait(timeout: .now() + 10), .success)
        idleRule.run()
        longRule.run()
        XCTAssertEqual(try open(db, analyzer: "idle_in_transaction").count, 0)
        XCTAssertEqual(try open(db, analyzer: "long_query").count, 0)
    }

    func testInactiveReplicationSlot() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let slot = "pqc_rules_\(UInt32.random(in: 0...UInt32.max))"
        try TestDatabase.admin("SELECT pg_create_physical_replication_slot('\(slot)', true)")
        defer { try? TestDatabase.admin("SELECT pg_drop_replication_slot('\(slot)') FROM pg_replication_slots WHERE slot_name = '\(slot)'") }
        let rule = try harness(db, "replication_slot")
        rule.run()
        let rows = try open(db, analyzer: "replication_slot").filter { $0["key"] == "replication_slot:\(slot)" }
        XCTAssertEqual(rows.count, 1)
        XCTAssertTrue(rows[0]["title"]!.contains("is inactive"), rows[0]["title"]!)
        XCTAssertTrue(rows[0]["action"]!.contains("SELECT pg_drop_replication_slot('\(slot)');"))
        try TestDatabase.admin("SELECT pg_drop_replication_slot('\(slot)')")
        rule.run()
        XCTAssertEqual(try open(db, analyzer: "replication_slot").filter { $0["key"] == "replication_slot:\(slot)" }.count, 0)
    }

    func testWraparoundThresholdsAndSkippedRule() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        // A fresh cluster's XID ages are small: a warn threshold of a millionth
        // of autovacuum_freeze_max_age makes this database's age "old".
        try harness(db, "xid_wraparound", "[plugin.intelligence.rules.xid_wraparound]\nwarn_pct = 0.000001\n").run()
        let rows = try open(db, analyzer: "xid_wraparound")
        let mine = try XCTUnwrap(rows.first { $0["key"] == "xid_wraparound:database:\(db.name)" })
        XCTAssertEqual(mine["severity"], "warn")
        XCTAssertTrue(mine["action"]!.contains("vacuumdb --freeze"))
        // With the defaults nothing of a new cluster qualifies.
        try harness(db, "xid_wraparound").run()
        XCTAssertEqual(try open(db, analyzer: "xid_wraparound").count, 0)

        // No pg_stat_statements in this database: slow_query cannot run, says so
        // once, reports nothing, and the run is not a failure.
        var lines: [String] = []
        let runner = RuleRunner(rule: StatementRules.slowQuery, settings: nil, hostname: host, sql: try SLOAnalyzerDBTests.DirectSQL(db),
                                log: { _, line in lines.append(line) })
        XCTAssertTrue(try runner.run(now: 0) { _ in XCTFail("no findings") }.skipped)
        XCTAssertTrue(try runner.run(now: 0) { _ in XCTFail("no findings") }.skipped)
        XCTAssertEqual(lines.count, 1)
        XCTAssertTrue(lines[0].hasPrefix("rule slow_query skipped: a relation it reads does not exist"), lines[0])
        try harness(db, "slow_query").run()
    }

    func testSlowQueryNamesTheIndexItsPredicateNeeds() throws {
        let db = try TestDatabase.create(migrated: true, statStatements: true)
        defer { db.drop() }
        try db.execute("CREATE TABLE purchases (id int PRIMARY KEY, customer_id int, status text, amount int)")
        try db.execute("INSERT INTO purchases SELECT g, g % 5000, CASE WHEN g % 3 = 0 THEN 'paid' ELSE 'open' END, g FROM generate_series(1, 100000) g")
        let c = try db.connect()
        for i in 0..<6 {
            _ = try c.query("SELECT id, amount FROM purchases WHERE customer_id = $1 AND status = $2", [String(i), "paid"])
        }
        // "Slow" here is anything over 0.01 ms: the rule, not the machine, is under test.
        try harness(db, "slow_query", "[plugin.intelligence.rules.slow_query]\nmean_ms = 0.01\nclear_ms = 0\n").run()
        let all = try open(db, analyzer: "slow_query")
        let rows = all.filter { $0["title"]!.contains("FROM purchases") }
        XCTAssertEqual(rows.count, 1, "\(all.map { $0["title"]! })")
        let action = try XCTUnwrap(rows.first?["action"])
        XCTAssertTrue(action.hasPrefix("1. Its predicate asks for an index that does not exist: CREATE INDEX CONCURRENTLY ON purchases (customer_id, status);"), action)
        XCTAssertTrue(rows[0]["context"]!.contains("suggested_index"))
    }

    /// A real busy loop and a real exit, sampled by SystemMetrics' own collector
    /// into process_metrics_raw.
    func testProcessRulesOnARealChild() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let name = "pqcbusy\(getpid() % 100_000)"
        let binary = NSTemporaryDirectory() + name
        try? FileManager.default.removeItem(atPath: binary)
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: "/bin/sh").resolvingSymlinksInPath().path, toPath: binary)
        defer { try? FileManager.default.removeItem(atPath: binary) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: binary)
        child.arguments = ["-c", "while :; do :; done"]
        try child.run()
        defer { if child.isRunning { child.terminate() } }

        var collector = SystemCollector(configuration: SystemCollectorConfiguration(watchedProcessNames: [name]))
        func sample() throws {
            let s = collector.sample()
            for group in s.processes { try insert(db, SystemTables.processRow(group, nowMicros: 0), layout: SystemTables.process) }
        }
        _ = collector.sample()
        Thread.sleep(forTimeInterval: 1.5)
        try sample()

        try harness(db, "process").run()
        XCTAssertEqual(try open(db, analyzer: "process").map { $0["key"]! }, ["process_cpu:\(name)", "process_restart:\(name)"])
        let health = try harness(db, "process_health")
        health.run()
        XCTAssertEqual(try open(db, "alerts", analyzer: "process_health").map { $0["key"]! }, ["process_cpu_high:\(name)"])

        child.terminate()
        child.waitUntilExit()
        try sample()
        health.run()
        let alerts = try open(db, "alerts", analyzer: "process_health")
        XCTAssertEqual(alerts.map { $0["key"]! }, ["process_missing:\(name)"])
        XCTAssertEqual(alerts.first?["severity"], "critical")
        try harness(db, "process").run()
        XCTAssertEqual(try open(db, analyzer: "process").count, 0)
    }

    func testAPIRules() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        // Two samples a minute apart: 400 requests, 40 errors (10 %), 700 ms average.
        try db.execute("""
            INSERT INTO collector.api_metrics_raw (host, ts, requests_total, errors_total, error_rate_pct, latency_avg_ms)
            VALUES ('\(host)', now() - interval '70 seconds', 1000, 10, 1, 100),
                   ('\(host)', now() - interval '10 seconds', 1400, 50, 10, 700)
            """)
        try harness(db, "api").run()
        XCTAssertEqual(try open(db, analyzer: "api").map { $0["key"]! }, ["api_error_rate:api", "api_latency:api"])
        try harness(db, "api_health").run()
        let alerts = try open(db, "alerts", analyzer: "api_health")
        XCTAssertEqual(alerts.map { $0["key"]! }, ["api_error_rate_high:api"])
        XCTAssertTrue(alerts[0]["title"]!.contains("40 errors in 400 requests (10 %)"), alerts[0]["title"]!)
    }

    /// Every rule runs on an empty database without failing (its SQL is valid
    /// on this server version) and reports nothing it should not.
    func testEveryRuleRunsOnThisServer() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        for rule in RuleCatalogue.all {
            try harness(db, rule.name).run()
        }
    }

    func testDisabledRuleIsNotRegisteredAndBadValuesNameTheKey() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        XCTAssertThrowsError(try harness(db, "table_bloat", "[plugin.intelligence.rules.table_bloat]\nenabled = false\n"))
        XCTAssertThrowsError(try RuleSettings.read(RuleCatalogue.all) { $0 == "rules.table_bloat.raise_pct" ? .string("high") : nil }) { error in
            XCTAssertEqual((error as? PluginConfigError)?.key, "plugin.intelligence.rules.table_bloat.raise_pct")
        }
        XCTAssertThrowsError(try RuleSettings.read(RuleCatalogue.all) { $0 == "rules.cache_hit.raise_pct" ? .int(120) : nil })
        let s = try RuleSettings.read(RuleCatalogue.all) { $0 == "rules.slow_query.mean_ms" ? .int(250) : nil }
        XCTAssertEqual(s["slow_query"]?.parameters["mean_ms"], 250)
        XCTAssertEqual(s["slow_query"]?.parameters["clear_ms"], 50)
    }

    /// INSERT of a plugin row (what the writer's COPY would store).
    func insert(_ db: TestDatabase, _ row: Row, layout: TableLayout) throws {
        var columns = ["host", "ts"], values = ["'\(host)'", "now()"]
        for (column, value) in row.cells {
            columns.append(column)
            switch value {
            case .null: values.append("NULL")
            case .bool(let b): values.append(b ? "true" : "false")
            case .int(let n): values.append(String(n))
            case .double(let d): values.append(d.isFinite ? String(d) : "NULL")
            case .text(let s): values.append("'\(s.replacingOccurrences(of: "'", with: "''"))'")
            case .timestamp(let us): values.append("to_timestamp(\(Double(us) / 1e6))")
            case .json(let j): values.append("'\(j.replacingOccurrences(of: "'", with: "''"))'::jsonb")
            }
        }
        try db.execute("INSERT INTO \(layout.table) (\(columns.joined(separator: ", "))) VALUES (\(values.joined(separator: ", ")))")
    }
}

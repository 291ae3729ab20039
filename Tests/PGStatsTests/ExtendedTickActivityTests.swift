import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// The pg_extended tick against real activity: pgbench, a table with dead
/// tuples, an unused index and a bloated one, and a replication slot.
final class ExtendedTickActivityTests: XCTestCase {
    var db: TestDatabase!
    var slot = ""

    override func setUpWithError() throws {
        db = try TestDatabase.create(migrated: true, statStatements: true)
        slot = "\(db.name)_slot"
    }

    override func tearDown() {
        if !slot.isEmpty {
            try? TestDatabase.admin("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '\(slot)'")
        }
        db?.drop()
    }

    /// Generates the activity every assertion below refers to.
    private func generateActivity() throws {
        // Reserved before pgbench writes WAL, so the slot retains it.
        try TestDatabase.admin("SELECT pg_create_physical_replication_slot('\(slot)', true)")
        try ClusterTools.pgbench(db, ["-i", "-s", "1", "-q"])
        try ClusterTools.pgbench(db, ["-T", "3", "-c", "2"])
        try db.execute("""
            CREATE TABLE churn (id int PRIMARY KEY, payload text) WITH (autovacuum_enabled = off);
            INSERT INTO churn SELECT g, repeat('x', 50) FROM generate_series(1, 1000) g;
            DELETE FROM churn WHERE id % 2 = 0;
            CREATE TABLE lonely (id int, note text) WITH (autovacuum_enabled = off);
            INSERT INTO lonely SELECT g, 'note ' || g FROM generate_series(1, 5000) g;
            CREATE INDEX lonely_note_idx ON lonely (note);
            CREATE TABLE bloated (id int) WITH (autovacuum_enabled = off);
            INSERT INTO bloated SELECT g FROM generate_series(1, 100000) g;
            CREATE INDEX bloated_id_idx ON bloated (id);
            DELETE FROM bloated WHERE id % 10 <> 0;
            """)
        // VACUUM cannot run in a multi-statement string (implicit transaction).
        try db.execute("VACUUM ANALYZE bloated")
        try db.execute("ANALYZE lonely")
        // Table statistics reach the shared stats a moment after the backend goes idle.
        try db.waitUntil("SELECT coalesce((SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'churn'), 0) > 0",
                         "churn's dead tuples in pg_stat_user_tables")
    }

    func testExtendedTickRowsReflectTheActivity() throws {
        try generateActivity()
        // Scope "database": other databases' workloads in the shared test cluster cannot crowd pgbench out.
        let harness = try PluginHarness(db, section: ["top_statements": .int(50), "statement_scope": .string("database")])
        XCTAssertEqual(try harness.run("extended"), .ok)
        XCTAssertGreaterThan(harness.flush(), 0)

        // Dead tuples of the churn table: 1000 inserted, every second one deleted.
        let churn = try XCTUnwrap(try db.namedRows("""
            SELECT host, database_name, n_live_tup, n_dead_tup, dead_tup_ratio, n_tup_ins, n_tup_del, total_size_bytes, relfrozenxid_age
              FROM collector.table_metrics_raw WHERE schema_name = 'public' AND table_name = 'churn'
            """).first, "a table_metrics_raw row for churn")
        XCTAssertEqual(churn["host"], PluginHarness.hostname)
        XCTAssertEqual(churn["database_name"], db.name)
        XCTAssertEqual(churn["n_dead_tup"], "500")
        XCTAssertEqual(churn["n_live_tup"], "500")
        XCTAssertEqual(churn["dead_tup_ratio"].flatMap(Double.init), 1.0)
        XCTAssertEqual(churn["n_tup_ins"], "1000")
        XCTAssertEqual(churn["n_tup_del"], "500")
        XCTAssertGreaterThan(Int(churn["total_size_bytes"] ?? "") ?? 0, 0)
        XCTAssertGreaterThan(Int(churn["relfrozenxid_age"] ?? "") ?? 0, 0)
        let accounts = try XCTUnwrap(try db.namedRows("""
            SELECT n_live_tup, n_tup_upd, last_analyze FROM collector.table_metrics_raw WHERE table_name = 'pgbench_accounts'
            """).first)
        XCTAssertEqual(Double(accounts["n_live_tup"] ?? "") ?? 0, 100_000, accuracy: 1000, "pgbench -s 1 has 100000 accounts (ANALYZE estimates)")
        XCTAssertGreaterThan(Int(accounts["n_tup_upd"] ?? "") ?? 0, 0, "pgbench updated accounts")
        XCTAssertNotNil(accounts["last_analyze"], "pgbench -i analyzes its tables; the timestamp is stored")

        // The unused index was never scanned; the primary key pgbench uses was.
        let indexes = Dictionary(uniqueKeysWithValues: try db.namedRows("""
            SELECT index_name, table_name, idx_scan, index_size_bytes, bloat_pct, bloat_bytes, is_unique, is_primary, is_valid
              FROM collector.index_metrics_raw
            """).map { ($0["index_name"] ?? "", $0) })
        let lonely = try XCTUnwrap(indexes["lonely_note_idx"], "the unused index is reported: \(indexes.keys.sorted())")
        XCTAssertEqual(lonely["idx_scan"], "0")
        XCTAssertEqual(lonely["table_name"], "lonely")
        XCTAssertEqual(lonely["is_unique"], "f")
        XCTAssertEqual(lonely["is_valid"], "t")
        let pkey = try XCTUnwrap(indexes["pgbench_accounts_pkey"])
        XCTAssertGreaterThan(Int(pkey["idx_scan"] ?? "") ?? 0, 0)
        XCTAssertEqual(pkey["is_primary"], "t")
        XCTAssertGreaterThan(Int(pkey["index_size_bytes"] ?? "") ?? 0, 0)

        // The bloat estimate tells a freshly built index from one with 90% of its entries gone.
        let fresh = try XCTUnwrap(lonely["bloat_pct"].flatMap(Double.init), "a fresh, analyzed index has an estimate")
        XCTAssertLessThan(fresh, 20, "a freshly built index is not bloated")
        let bloated = try XCTUnwrap(indexes["bloated_id_idx"])
        let bloatPct = try XCTUnwrap(bloated["bloat_pct"].flatMap(Double.init))
        XCTAssertGreaterThan(bloatPct, 60, "90% of the entries were deleted and vacuumed away")
        XCTAssertGreaterThan(Int(bloated["bloat_bytes"] ?? "") ?? 0, 1_000_000)

        // IO: the accounts heap was read through shared buffers.
        let io = try XCTUnwrap(try db.namedRows("""
            SELECT heap_blks_hit, heap_blks_read, heap_hit_ratio, idx_blks_hit FROM collector.io_metrics_raw WHERE table_name = 'pgbench_accounts'
            """).first)
        XCTAssertGreaterThan(Int(io["heap_blks_hit"] ?? "") ?? 0, 0)
        let ratio = try XCTUnwrap(io["heap_hit_ratio"].flatMap(Double.init))
        XCTAssertTrue((0.0...1.0).contains(ratio), "heap hit ratio \(ratio)")
        let hits = Double(io["heap_blks_hit"] ?? "") ?? 0, reads = Double(io["heap_blks_read"] ?? "") ?? 0
        XCTAssertEqual(ratio, hits / (hits + reads), accuracy: 1e-9)

        // Statements: pgbench's, ranked by total time, as many as configured at most.
        let statements = try db.namedRows("""
            SELECT rank, database_name, username, queryid, query, calls, rows, total_exec_time_ms, mean_exec_time_ms,
                   toplevel, shared_blks_hit, wal_bytes
              FROM collector.statement_metrics_raw ORDER BY rank
            """)
        XCTAssertGreaterThan(statements.count, 0)
        XCTAssertLessThanOrEqual(statements.count, 50)
        XCTAssertEqual(statements.map { Int($0["rank"] ?? "") ?? 0 }, Array(1...statements.count))
        let times = statements.map { Double($0["total_exec_time_ms"] ?? "") ?? -1 }
        XCTAssertEqual(times, times.sorted(by: >), "rank 1 has the highest total time")
        XCTAssertEqual(Set(statements.map { $0["database_name"] ?? "" }), [db.name], "scope \"database\"")
        let update = try XCTUnwrap(statements.first { ($0["query"] ?? "").hasPrefix("UPDATE pgbench_accounts") },
                                   "pgbench's UPDATE is among the statements: \(statements.map { $0["query"] ?? "" })")
        XCTAssertEqual(update["database_name"], db.name)
        XCTAssertEqual(update["username"], db.config.user)
        XCTAssertNotNil(update["queryid"])
        XCTAssertEqual(update["toplevel"], "t")
        XCTAssertGreaterThan(Int(update["calls"] ?? "") ?? 0, 10)
        XCTAssertEqual(update["rows"], update["calls"], "each pgbench UPDATE touches one row")
        XCTAssertGreaterThan(Int(update["wal_bytes"] ?? "") ?? 0, 0)
        XCTAssertGreaterThan(Double(update["mean_exec_time_ms"] ?? "") ?? 0, 0)

        // Databases: this one and the rest of the cluster, with xid age.
        let databases = Dictionary(uniqueKeysWithValues: try db.namedRows("""
            SELECT database_name, xid_age, mxid_age, xid_wraparound_pct, database_size_bytes, datallowconn
              FROM collector.database_metrics_raw
            """).map { ($0["database_name"] ?? "", $0) })
        let mine = try XCTUnwrap(databases[db.name])
        let age = try XCTUnwrap(mine["xid_age"].flatMap(Int.init))
        XCTAssertGreaterThan(age, 0)
        XCTAssertEqual(Double(mine["xid_wraparound_pct"] ?? "") ?? -1, Double(age) / 2_147_483_648 * 100, accuracy: 1e-9)
        XCTAssertGreaterThan(Int(mine["database_size_bytes"] ?? "") ?? 0, 10_000_000, "pgbench -s 1 is ~15 MB")
        XCTAssertEqual(mine["datallowconn"], "t")
        XCTAssertEqual(databases["template0"]?["datallowconn"], "f")

        // The slot reserved before pgbench retains the WAL pgbench wrote.
        let slotRow = try XCTUnwrap(try db.namedRows("""
            SELECT slot_type, active, restart_lsn, retained_wal_bytes, wal_status, temporary
              FROM collector.replication_slot_metrics_raw WHERE slot_name = $1
            """, [slot]).first)
        XCTAssertEqual(slotRow["slot_type"], "physical")
        XCTAssertEqual(slotRow["active"], "f")
        XCTAssertEqual(slotRow["temporary"], "f")
        XCTAssertNotNil(slotRow["restart_lsn"])
        XCTAssertEqual(slotRow["wal_status"], "reserved")
        XCTAssertGreaterThan(Int(slotRow["retained_wal_bytes"] ?? "") ?? 0, 1_000_000, "pgbench -i wrote megabytes of WAL")

        // One sample time for the whole tick, across tables.
        XCTAssertEqual(try db.scalar("""
            SELECT count(DISTINCT ts) FROM (
              SELECT ts FROM collector.table_metrics_raw UNION ALL SELECT ts FROM collector.index_metrics_raw
              UNION ALL SELECT ts FROM collector.io_metrics_raw UNION ALL SELECT ts FROM collector.statement_metrics_raw
              UNION ALL SELECT ts FROM collector.database_metrics_raw UNION ALL SELECT ts FROM collector.replication_slot_metrics_raw) t
            """), "1")
    }

    func testClusterScopeRanksStatementsOfEveryDatabase() throws {
        try ClusterTools.pgbench(db, ["-i", "-s", "1", "-q"])
        // The default scope is the cluster; this test's own CREATE DATABASE ran in database "postgres".
        let harness = try PluginHarness(db, section: ["top_statements": .int(1000)])
        XCTAssertEqual(try harness.run("extended"), .ok)
        harness.flush()
        let databases = Set(try db.namedRows("SELECT DISTINCT database_name FROM collector.statement_metrics_raw").compactMap { $0["database_name"] })
        XCTAssertTrue(databases.contains(db.name), "\(databases)")
        XCTAssertTrue(databases.contains("postgres"), "\(databases)")
    }

    func testTopStatementsFollowsTheConfiguredLimit() throws {
        try ClusterTools.pgbench(db, ["-i", "-s", "1", "-q"])
        try ClusterTools.pgbench(db, ["-t", "20", "-c", "1"])
        let harness = try PluginHarness(db, section: ["top_statements": .int(3)])
        XCTAssertEqual(try harness.run("extended"), .ok)
        harness.flush()
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.statement_metrics_raw"), "3")
        XCTAssertEqual(try db.scalar("SELECT string_agg(rank::text, ',' ORDER BY rank) FROM collector.statement_metrics_raw"), "1,2,3")
    }

    func testDefaultTopStatementsIsTwenty() throws {
        // More than 20 distinct statements, so the default limit shows.
        for i in 0..<30 { try db.execute("SELECT \(i) AS c\(i)") }
        let harness = try PluginHarness(db)
        XCTAssertEqual(try harness.run("extended"), .ok)
        harness.flush()
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.statement_metrics_raw"), "20")
    }
}

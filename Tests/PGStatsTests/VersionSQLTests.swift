import CollectorTestSupport
import XCTest
@testable import CollectorCore
@testable import PGStatsCore

/// The SQL each PostgreSQL release gets. The test cluster is one release (each
/// of the matrix in turn, scripts/test.sh), so the other releases' statements
/// run against views shaped like theirs (put ahead of pg_catalog on the
/// search_path), which catches misspelt or misplaced columns in the version
/// branches. The views are built from whatever the cluster's release has.
final class VersionSQLTests: XCTestCase {
    var db: TestDatabase!

    override func setUpWithError() throws { db = try TestDatabase.create(migrated: true, statStatements: TestDatabase.statStatementsAvailable) }
    override func tearDown() { db?.drop() }

    private func facts(_ version: Int, statements: StatementViewShape? = nil) -> ServerFacts {
        ServerFacts(version: ServerVersion(version), statements: statements, readsAllStats: true)
    }

    private func sql(_ query: some TierQuery, _ facts: ServerFacts, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard case .statement(let text) = query.sql(for: facts) else {
            throw TestFailure("\(query.tier) has no statement for \(facts.version)")
        }
        return text
    }

    /// Runs `query` as built for `facts` with `searchPath`, returning its rows.
    private func run(_ query: some TierQuery, _ facts: ServerFacts, searchPath: String? = nil) throws -> PGResult {
        let c = try db.connect()
        if let searchPath { _ = try c.execute("SET search_path = \(searchPath)") }
        return try c.query(try sql(query, facts), query.parameters)
    }

    private func value(_ r: PGResult, _ column: String, row: Int = 0) -> String? {
        guard let c = (0..<r.columnCount).first(where: { r.columnName($0).map { String(cString: $0) } == column }) else { return nil }
        return r.string(row, c)
    }

    /// Whether the cluster's `schema.view` has `column`.
    private func has(_ schema: String, _ view: String, _ column: String) throws -> Bool {
        try db.scalar("""
            SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = $2 AND NOT attisdropped
            """, ["\(schema).\(view)", column]) == "1"
    }

    func testEveryTierRunsOnThisServer() throws {
        let version = Int(try XCTUnwrap(try db.scalar("SHOW server_version_num"))) ?? 0
        let shape = try StatementShapes.installed(db)
        XCTAssertEqual(shape != nil, TestDatabase.statStatementsAvailable)
        let f = facts(version, statements: shape)
        let queries: [any TierQuery] = [
            ConnectionStatsQuery(), DatabaseStatsQuery(), BackgroundWriterQuery(), WALStatsQuery(), LockStatsQuery(),
            DatabaseAgeQuery(), TableStatsQuery(limit: 10), IndexStatsQuery(limit: 10), TableIOQuery(limit: 10),
            ReplicationQuery(), ReplicationSlotQuery(), StatementStatsQuery(limit: 10, scope: .cluster), StatementStatsQuery(limit: 10, scope: .database),
        ]
        for query in queries {
            guard case .statement = query.sql(for: f) else { continue }   // no pg_stat_statements in this build
            XCTAssertNoThrow(try run(query, f), "\(query.tier)")
        }
    }

    func testPostgres17CheckpointerView() throws {
        try db.execute("""
            CREATE SCHEMA pg17;
            CREATE VIEW pg17.pg_stat_bgwriter AS
              SELECT 1::int8 AS buffers_clean, 2::int8 AS maxwritten_clean, 3::int8 AS buffers_alloc, now() AS stats_reset;
            CREATE VIEW pg17.pg_stat_checkpointer AS
              SELECT 4::int8 AS num_timed, 5::int8 AS num_requested, 0::int8 AS restartpoints_timed, 0::int8 AS restartpoints_req,
                     0::int8 AS restartpoints_done, 6.5::float8 AS write_time, 7.5::float8 AS sync_time, 8::int8 AS buffers_written,
                     '2026-01-01 00:00:00+00'::timestamptz AS stats_reset;
            """)
        // 16 added last_idx_scan: on 14 and 15 the view gets one.
        let lastScan = try has("pg_catalog", "pg_stat_user_indexes", "last_idx_scan") ? "" : ", now() AS last_idx_scan"
        try db.execute("CREATE VIEW pg17.pg_stat_user_indexes AS SELECT *\(lastScan) FROM pg_catalog.pg_stat_user_indexes")
        let r = try run(BackgroundWriterQuery(), facts(170004), searchPath: "pg17, pg_catalog")
        XCTAssertEqual(value(r, "checkpoints_timed"), "4")
        XCTAssertEqual(value(r, "checkpoints_req"), "5")
        XCTAssertEqual(value(r, "checkpoint_write_time_ms"), "6.5")
        XCTAssertEqual(value(r, "buffers_checkpoint"), "8")
        XCTAssertEqual(value(r, "buffers_clean"), "1")
        XCTAssertNil(value(r, "buffers_backend"), "gone in 17")
        XCTAssertEqual(value(r, "checkpointer_stats_reset"), "1767225600000000", "the checkpointer's own reset time")
        XCTAssertThrowsError(try run(BackgroundWriterQuery(), facts(160000), searchPath: "pg17, pg_catalog"),
                             "the 16 statement fails on a 17-shaped view: the branch matters")

        try db.execute("CREATE TABLE t (id int PRIMARY KEY)")
        let indexes = try run(IndexStatsQuery(limit: 10), facts(160000), searchPath: "pg17, pg_catalog")
        XCTAssertNotNil(value(indexes, "last_idx_scan"), "16+ reads last_idx_scan")
        let old = try run(IndexStatsQuery(limit: 10), facts(150000))
        XCTAssertNil(value(old, "last_idx_scan"))
    }

    func testPostgres13HasNoWALView() throws {
        XCTAssertEqual(WALStatsQuery().sql(for: facts(130012)), .unsupported)
        // 14 to 17 read wal_write and wal_sync; on an 18 cluster a 17-shaped view has them.
        if try !has("pg_catalog", "pg_stat_wal", "wal_write") {
            try db.execute("""
                CREATE SCHEMA pg14;
                CREATE VIEW pg14.pg_stat_wal AS SELECT *, 1::int8 AS wal_write, 2::int8 AS wal_sync FROM pg_catalog.pg_stat_wal
                """)
        }
        XCTAssertNoThrow(try run(WALStatsQuery(), facts(140000), searchPath: "pg14, pg_catalog"))
        guard case .statement(let v18) = WALStatsQuery().sql(for: facts(180000)) else { return XCTFail() }
        XCTAssertTrue(v18.contains("NULL::int8 AS wal_write"), "18 moved wal_write to pg_stat_io")
    }

    func testStatementViewNamingOfEachExtensionVersion() throws {
        guard TestDatabase.statStatementsAvailable else {
            throw XCTSkip("\(TestDatabase.serverRelease) of this matrix has no pg_stat_statements (its build ships no contrib)")
        }
        try db.execute("SELECT count(*) FROM pg_class")   // at least one statement recorded
        // 1.11 (PostgreSQL 17) renamed blk_read_time/blk_write_time to shared_blk_*; read whichever is installed.
        let renamed = try has("public", "pg_stat_statements", "shared_blk_read_time")
        let readTime = renamed ? "shared_blk_read_time" : "blk_read_time", writeTime = renamed ? "shared_blk_write_time" : "blk_write_time"
        // 1.7 and older (PostgreSQL 12): *_time names, no planning, WAL or toplevel columns.
        try db.execute("""
            CREATE SCHEMA pgss17;
            CREATE VIEW pgss17.pg_stat_statements AS
              SELECT userid, dbid, queryid, query, calls, total_exec_time AS total_time, min_exec_time AS min_time,
                     max_exec_time AS max_time, mean_exec_time AS mean_time, stddev_exec_time AS stddev_time, rows,
                     shared_blks_hit, shared_blks_read, shared_blks_dirtied, shared_blks_written, local_blks_hit,
                     local_blks_read, local_blks_dirtied, local_blks_written, temp_blks_read, temp_blks_written,
                     \(readTime) AS blk_read_time, \(writeTime) AS blk_write_time
                FROM public.pg_stat_statements;
            CREATE SCHEMA pgss111;
            CREATE VIEW pgss111.pg_stat_statements AS
              SELECT userid, dbid, toplevel, queryid, query, plans, total_plan_time, calls, total_exec_time, min_exec_time,
                     max_exec_time, mean_exec_time, stddev_exec_time, rows, shared_blks_hit, shared_blks_read,
                     shared_blks_dirtied, shared_blks_written, local_blks_hit, local_blks_read, temp_blks_read,
                     temp_blks_written, \(readTime) AS shared_blk_read_time, \(writeTime) AS shared_blk_write_time,
                     wal_records, wal_fpi, wal_bytes
                FROM public.pg_stat_statements;
            """)
        let legacy = try XCTUnwrap(try StatementShapes.shape(db, schema: "pgss17"))
        XCTAssertFalse(legacy.usesExecTimeNames)
        let text = try sql(StatementStatsQuery(limit: 5, scope: .cluster), facts(150000, statements: legacy))
        XCTAssertTrue(text.contains("s.total_time AS total_exec_time_ms"), text)
        XCTAssertTrue(text.contains("NULL::bool AS toplevel"), text)
        let legacyRows = try run(StatementStatsQuery(limit: 5, scope: .database), facts(150000, statements: legacy))
        XCTAssertGreaterThan(legacyRows.rowCount, 0)
        XCTAssertNotNil(value(legacyRows, "total_exec_time_ms"))
        XCTAssertNil(value(legacyRows, "total_plan_time_ms"))

        let v17 = try XCTUnwrap(try StatementShapes.shape(db, schema: "pgss111"))
        let modern = try sql(StatementStatsQuery(limit: 5, scope: .cluster), facts(170000, statements: v17))
        XCTAssertTrue(modern.contains("s.shared_blk_read_time AS blk_read_time_ms"), modern)
        let modernRows = try run(StatementStatsQuery(limit: 5, scope: .database), facts(170000, statements: v17))
        XCTAssertGreaterThan(modernRows.rowCount, 0)
        XCTAssertNotNil(value(modernRows, "blk_read_time_ms"))
        XCTAssertEqual(value(modernRows, "rank"), "1")
    }
}

/// pg_stat_statements view shapes read from a test database's catalog.
enum StatementShapes {
    static func shape(_ db: TestDatabase, schema: String) throws -> StatementViewShape? {
        let columns = try db.namedRows("""
            SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'pg_stat_statements'
            """, [schema]).compactMap { $0["column_name"] }
        return columns.isEmpty ? nil : StatementViewShape(schema: schema, columns: Set(columns))
    }

    /// The installed extension's shape, as the plugin's probe detects it.
    static func installed(_ db: TestDatabase) throws -> StatementViewShape? {
        let c = try db.connect()
        let r = try c.query(ServerFactsProbe.sql)
        let rows = ResultRows(columns: (0..<r.columnCount).map { r.columnName($0).map { String(cString: $0) } ?? "" },
                              rows: (0..<r.rowCount).map { row in (0..<r.columnCount).map { r.string(row, $0) } })
        let facts = try ServerFactsProbe.read(StaticSession(result: rows))
        return facts.statements
    }
}

/// Answers every statement with one fixed result.
struct StaticSession: SQLSession {
    let result: ResultRows
    func query(_ sql: String, _ params: [String?]) throws(QueryError) -> ResultRows { result }
}

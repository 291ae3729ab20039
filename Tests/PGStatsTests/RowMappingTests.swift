import CollectorTestSupport
import CollectorCore
import XCTest
@testable import PGStatsCore
import PluginKit

/// Every column of one `db_metrics_raw` row by name, on the real server: the
/// rows are filled by column name from the tier queries, so a query column
/// whose name stops matching its table column (or a tier that stops running)
/// shows up here as a NULL column. The second app tick is used so rates and
/// deltas have a previous sample.
final class RowMappingTests: XCTestCase {
    func testEveryDatabaseColumnOfARealRowByName() throws {
        let db = try TestDatabase.create(migrated: true, statStatements: TestDatabase.statStatementsAvailable)
        defer { db.drop() }
        try db.waitForStatisticsEntry()
        let harness = try PluginHarness(db)
        XCTAssertEqual(try harness.run("app"), .ok)
        harness.flush()
        let blocks = try db.scalar("SELECT blks_hit + blks_read FROM collector.db_metrics_raw") ?? "0"
        try db.execute("CREATE TABLE t AS SELECT g FROM generate_series(1, 1000) g")
        // Up to 14 the statistics collector counts asynchronously: wait until it has (at once on 15+).
        try db.waitUntil("SELECT blks_hit + blks_read > \(blocks) FROM pg_stat_database WHERE datname = current_database()",
                         "the new table's block reads counted")
        XCTAssertEqual(try harness.run("app"), .ok)
        harness.flush()
        let row = try XCTUnwrap(try db.namedRows("SELECT * FROM collector.db_metrics_raw ORDER BY ts DESC LIMIT 1").first)
        // NULL for a reason on an idle throwaway cluster: no reset yet, no query
        // or transaction running but the sampler's own.
        // And the columns this server's release lacks (buffers_backend from 17, wal_write from 18...).
        let release = try db.connect().serverVersion
        let facts = ServerFacts(version: ServerVersion(release), statements: nil, readsAllStats: true)
        let gone = [ConnectionStatsQuery(), DatabaseStatsQuery(), BackgroundWriterQuery(), WALStatsQuery(), LockStatsQuery()]
            .flatMap { (query: any TierQuery) -> [String] in
                guard case .statement(let sql) = query.sql(for: facts) else { return [] }
                return VersionMatrixTests.nullColumns(sql)
            }
        let mayBeNull = Set(["stats_reset", "longest_query_secs", "longest_xact_secs"] + gone)
        for column in StatsTables.database.columnNames where !mayBeNull.contains(column) {
            XCTAssertNotNil(row[column], "db_metrics_raw.\(column) is NULL")
        }
        XCTAssertEqual(row["database_name"], db.name)
        XCTAssertEqual(row["server_version_num"], try db.scalar("SHOW server_version_num"))
    }
}

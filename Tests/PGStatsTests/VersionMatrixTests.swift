import CollectorTestSupport
import Foundation
import XCTest
@testable import CollectorCore
@testable import PGStatsCore

/// What each metric tier collects on the suite's server, for the version matrix
/// (docs/postgresql-versions.md). Every tier's statement, as the plugin builds it
/// from its probe of this server, must run here; the test records per tier
/// whether it is collected (✓), which of its columns this release lacks (NULL),
/// or why it is skipped. scripts/test.sh sets PQC_MATRIX_DIR and runs this on
/// every version; scripts/pg-matrix-doc.sh renders the files into the doc.
final class VersionMatrixTests: XCTestCase {
    /// One tier's statement, the way the plugin's ticks build them.
    static let queries: [any TierQuery] = [
        ConnectionStatsQuery(), DatabaseStatsQuery(), BackgroundWriterQuery(), WALStatsQuery(), LockStatsQuery(),
        DatabaseAgeQuery(), TableStatsQuery(limit: 10), IndexStatsQuery(limit: 10), TableIOQuery(limit: 10),
        ReplicationQuery(), ReplicationSlotQuery(), StatementStatsQuery(limit: 10, scope: .cluster),
    ]

    /// Columns a statement sets to a typed NULL (`NULL::int8 AS wal_write`): this release lacks them.
    static func nullColumns(_ sql: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"NULL::[a-z0-9_]+(?:\[\])? AS ([a-z0-9_]+)"#)
        let range = NSRange(sql.startIndex..., in: sql)
        return regex.matches(in: sql, range: range).compactMap { m in Range(m.range(at: 1), in: sql).map { String(sql[$0]) } }
    }

    func testEveryTierOnThisServer() throws {
        let db = try TestDatabase.create(statStatements: TestDatabase.statStatementsAvailable)
        defer { db.drop() }
        try db.execute("CREATE TABLE matrix_t (id int PRIMARY KEY); INSERT INTO matrix_t VALUES (1); SELECT count(*) FROM matrix_t")
        let c = try db.connect()
        let probe = try c.query(ServerFactsProbe.sql)
        let rows = ResultRows(columns: (0..<probe.columnCount).map { probe.columnName($0).map { String(cString: $0) } ?? "" },
                              rows: (0..<probe.rowCount).map { row in (0..<probe.columnCount).map { probe.string(row, $0) } })
        let facts = try ServerFactsProbe.read(StaticSession(result: rows))
        XCTAssertEqual(facts.version.number, c.serverVersion)
        XCTAssertEqual(facts.statements != nil, TestDatabase.statStatementsAvailable, "the probe sees pg_stat_statements where the build ships it")
        XCTAssertEqual(Set(Self.queries.map(\.tier)), Set(StatsTier.allCases), "every tier is in the matrix")

        var lines: [String] = []
        for query in Self.queries {
            let tier = query.tier
            switch query.sql(for: facts) {
            case .unsupported:
                lines.append("\(tier)\t\(tier.rawValue)\tskipped\tnot in PostgreSQL \(facts.version.major)")
            case .unavailable:
                let reason = tier == .statements && !TestDatabase.statStatementsAvailable
                    ? "pg_stat_statements not in this build" : "unavailable"
                lines.append("\(tier)\t\(tier.rawValue)\tskipped\t\(reason)")
            case .statement(let sql):
                do {
                    let r = try c.query(sql, query.parameters)
                    _ = r.rowCount
                    lines.append("\(tier)\t\(tier.rawValue)\tok\t\(Self.nullColumns(sql).joined(separator: ","))")
                } catch {
                    XCTFail("\(tier.rawValue) fails on PostgreSQL \(facts.version): \(error)")
                    lines.append("\(tier)\t\(tier.rawValue)\tfailed\t\(error)".replacingOccurrences(of: "\n", with: " "))
                }
            }
        }

        guard let dir = TestDatabase.environment["PQC_MATRIX_DIR"] else { return }
        let release = try db.scalar("SHOW server_version") ?? "?"
        let extVersion = try db.scalar("SELECT extversion FROM pg_extension WHERE extname = 'pg_stat_statements'") ?? "-"
        let header = "#\t\(facts.version.major)\t\(release)\t\(extVersion)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try ([header] + lines).joined(separator: "\n").appending("\n")
            .write(toFile: "\(dir)/tiers-\(facts.version.major).tsv", atomically: true, encoding: .utf8)
    }
}

import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// query_readonly (ABI 1.3) and the idle check after every plugin statement.
final class PluginSQLTests: XCTestCase {
    private func problem(_ sql: String) -> String? { sql.withCString { PluginSQL.readOnlyProblem($0) } }

    func testOnlyOneSelectOrWithStatementPasses() {
        for ok in ["SELECT 1", "  select 1;  ", "-- why\nWITH x AS (SELECT 1) SELECT * FROM x", "/* c */ SELECT ';' AS semi",
                   "SELECT $$; DELETE$$", "SELECT \"a;b\" FROM t", "SELECT $1::int"] {
            XCTAssertNil(problem(ok), ok)
        }
        for bad in ["DELETE FROM t", "SELECT 1; DELETE FROM t", "", "  ;", "UPDATE t SET a = 1", "SELECT 1; SELECT 2", "selectx 1"] {
            XCTAssertNotNil(problem(bad), bad)
        }
        XCTAssertEqual(problem("INSERT INTO t VALUES (1)"), "only SELECT or WITH ... SELECT is allowed, not 'INSERT'")
    }

    func testReadOnlyTransactionAndIdleCheck() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let c = try db.connect()
        try c.query("CREATE TABLE t (a int)")
        try c.query("INSERT INTO t VALUES (1), (2)")
        func run(_ sql: String, readOnly: Bool) throws -> PGResult {
            let text = strdup(sql)!
            defer { free(text) }
            return try PluginSQL.run(c, sql: text, params: nil, count: 0, readOnly: readOnly)
        }
        XCTAssertEqual(try run("SELECT count(*) FROM t", readOnly: true).string(0, 0), "2")
        // A data-modifying CTE passes the keyword check, and the READ ONLY transaction stops it.
        XCTAssertThrowsError(try run("WITH d AS (DELETE FROM t RETURNING 1) SELECT count(*) FROM d", readOnly: true)) { error in
            XCTAssertEqual((error as? PGError)?.sqlstate, "25006", "\(error)")
        }
        XCTAssertTrue(c.isIdle)
        XCTAssertEqual(try c.query("SELECT count(*) FROM t").string(0, 0), "2")
        // A plain query that opens a transaction is rolled back and fails.
        XCTAssertThrowsError(try run("BEGIN", readOnly: false)) { error in
            XCTAssertTrue("\(error)".contains("left a transaction open"), "\(error)")
        }
        XCTAssertTrue(c.isIdle)
        // A failing statement leaves the connection usable.
        XCTAssertThrowsError(try run("SELECT * FROM missing", readOnly: true))
        XCTAssertTrue(c.isIdle)
        XCTAssertEqual(try run("SELECT 3", readOnly: true).string(0, 0), "3")
    }
}

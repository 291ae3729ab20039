import XCTest
@testable import IntelligenceCore

/// The index a statement's predicate asks for, from pg_stat_statements'
/// normalised text: suggested only when the statement makes it clear.
final class IndexSuggestionTests: XCTestCase {
    func suggest(_ sql: String) -> String? { IndexSuggestion.from(statement: sql)?.ddl }

    func testClearPredicates() {
        XCTAssertEqual(suggest("SELECT * FROM orders WHERE customer_id = $1"), "CREATE INDEX CONCURRENTLY ON orders (customer_id)")
        XCTAssertEqual(suggest("select id, total from public.orders o where o.status = $1 and o.customer_id = $2 order by id limit $3"),
                       "CREATE INDEX CONCURRENTLY ON public.orders (status, customer_id)")
        // Equality columns first, then one range column.
        XCTAssertEqual(suggest("SELECT count(*) FROM events WHERE created_at >= $1 AND tenant = $2 AND created_at < $3"),
                       "CREATE INDEX CONCURRENTLY ON events (tenant, created_at)")
        XCTAssertEqual(suggest("UPDATE jobs SET state = $1 WHERE queue = $2 AND id IN ($3, $4)"), "CREATE INDEX CONCURRENTLY ON jobs (queue, id)")
        XCTAssertEqual(suggest("DELETE FROM sessions WHERE expires BETWEEN $1 AND $2"), "CREATE INDEX CONCURRENTLY ON sessions (expires)")
        XCTAssertEqual(suggest(#"SELECT * FROM "Users" u WHERE u."Email" = $1"#), #"CREATE INDEX CONCURRENTLY ON "Users" ("Email")"#)
        XCTAssertEqual(IndexSuggestion.from(statement: #"SELECT 1 FROM t WHERE "Mixed" = $1 AND plain = $2"#)?.catalogColumns, ["Mixed", "plain"])
    }

    func testUnclearPredicatesSuggestNothing() {
        for sql in [
            "SELECT * FROM a JOIN b ON a.id = b.a_id WHERE b.x = $1",            // a join
            "SELECT * FROM a, b WHERE a.x = $1",                                 // two tables
            "SELECT * FROM a WHERE x = $1 OR y = $2",                            // OR
            "SELECT * FROM a WHERE lower(email) = $1",                           // a function of a column
            "SELECT * FROM a WHERE x IN (SELECT y FROM b)",                      // a subquery
            "SELECT * FROM a WHERE x <> $1",                                     // not selective
            "SELECT * FROM a",                                                   // no predicate
            "INSERT INTO a VALUES ($1)",
            "WITH c AS (SELECT 1) SELECT * FROM a WHERE x = $1",
            "SELECT * FROM a WHERE b.x = $1",                                    // another table's column
            "SELECT * FROM a WHERE x = y",                                       // column to column
            "",
            "SELECT * FROM",
            "SELECT * FROM a WHERE",
            "SELECT * FROM a WHERE x BETWEEN $1",
            "SELECT * FROM a WHERE x IN (",
        ] {
            XCTAssertNil(suggest(sql), sql)
        }
    }

    func testHysteresis() {
        let env = { (open: Set<String>) in
            RuleEnvironment(hostname: "h", now: 0, parameters: ["raise": 20, "clear": 10], openKeys: open, lookup: { _, _ in [] })
        }
        XCTAssertFalse(env([]).above("k", 15, raise: "raise", clear: "clear"))
        XCTAssertTrue(env(["k"]).above("k", 15, raise: "raise", clear: "clear"))
        XCTAssertFalse(env(["k"]).above("k", 10, raise: "raise", clear: "clear"))
        XCTAssertTrue(env([]).above("k", 21, raise: "raise", clear: "clear"))
        XCTAssertFalse(env([]).above("k", .nan, raise: "raise", clear: "clear"))
        XCTAssertTrue(env([]).below("k", 9, raise: "clear", clear: "raise"))
        XCTAssertTrue(env(["k"]).below("k", 15, raise: "clear", clear: "raise"))
        XCTAssertFalse(env(["k"]).below("k", 20, raise: "clear", clear: "raise"))
    }
}

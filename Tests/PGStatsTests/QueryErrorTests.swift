import XCTest
@testable import PGStatsCore
import PluginKit

final class QueryErrorTests: XCTestCase {
    func testClassification() {
        func kind(_ message: String, lost: Bool = false) -> QueryError.Kind {
            QueryError.classify(connectionLost: lost, message: message).kind
        }
        XCTAssertEqual(kind("database unavailable; reconnecting in 4s", lost: true), .connection)
        XCTAssertEqual(kind("SQLSTATE 42703: column \"checkpoints_timed\" does not exist"), .undefinedObject)
        XCTAssertEqual(kind("SQLSTATE 42P01: relation \"pg_stat_wal\" does not exist"), .undefinedObject)
        XCTAssertEqual(kind("SQLSTATE 42883: function foo() does not exist"), .undefinedObject)
        XCTAssertEqual(kind("SQLSTATE 42501: permission denied for view pg_stat_statements"), .privilege)
        XCTAssertEqual(kind("SQLSTATE 55000: pg_stat_statements must be loaded via shared_preload_libraries"), .prerequisite)
        XCTAssertEqual(kind("SQLSTATE 57014: canceling statement due to statement timeout"), .other)
        XCTAssertEqual(kind("something without a state"), .other)
        XCTAssertEqual(QueryError.sqlstate(in: "SQLSTATE 42P01: x"), "42P01")
        XCTAssertNil(QueryError.sqlstate(in: "SQLSTATE 42: x"))
    }

    func testColumnTypesConvertPostgresText() {
        XCTAssertEqual(ColumnType.int.value(from: "42"), .int(42))
        XCTAssertEqual(ColumnType.int.value(from: "1234.0"), .int(1234), "numeric results (pg_lsn differences, sums)")
        XCTAssertEqual(ColumnType.int.value(from: nil), .null)
        XCTAssertEqual(ColumnType.int.value(from: "abc"), .null)
        XCTAssertEqual(ColumnType.double.value(from: "0.25"), .double(0.25))
        XCTAssertEqual(ColumnType.bool.value(from: "t"), .bool(true))
        XCTAssertEqual(ColumnType.bool.value(from: "f"), .bool(false))
        XCTAssertEqual(ColumnType.timestamp.value(from: "1700000000000000"), .timestamp(micros: 1_700_000_000_000_000))
        XCTAssertEqual(ColumnType.lsn.value(from: "0/16B3748"), .text("0/16B3748"))
        XCTAssertEqual(ColumnType.json.value(from: "{\"Lock\":2}"), .json("{\"Lock\":2}"))
    }

    func testConfigurationDefaultsAndValidation() {
        let log = LogRecorder()
        XCTAssertEqual(PGStatsConfiguration.read({ _ in nil }, log: log.sink).topStatements, 20)
        let values: [String: ConfigValue] = ["top_statements": .int(5), "max_relations": .int(300)]
        let c = PGStatsConfiguration.read({ values[$0] }, log: log.sink)
        XCTAssertEqual(c.topStatements, 5)
        XCTAssertEqual(c.maxRelations, 300)
        XCTAssertTrue(log.warnings.isEmpty)
        let bad: [String: ConfigValue] = ["top_statements": .string("many"), "max_relations": .int(0)]
        let d = PGStatsConfiguration.read({ bad[$0] }, log: log.sink)
        XCTAssertEqual(d, PGStatsConfiguration())
        XCTAssertEqual(log.warnings.count, 2)
        XCTAssertEqual(PGStatsConfiguration().statementScope, .cluster)
        let scoped: [String: ConfigValue] = ["statement_scope": .string("database")]
        XCTAssertEqual(PGStatsConfiguration.read({ scoped[$0] }, log: log.sink).statementScope, .database)
        let wrong: [String: ConfigValue] = ["statement_scope": .string("galaxy")]
        XCTAssertEqual(PGStatsConfiguration.read({ wrong[$0] }, log: log.sink).statementScope, .cluster)
        XCTAssertEqual(log.warnings.count, 3)
    }
}

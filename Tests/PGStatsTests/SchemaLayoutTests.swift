import CollectorTestSupport
import PluginKit
import XCTest
@testable import CollectorCore
@testable import PGStatsCore

/// The plugin's table layouts against the migrated schema: every column of
/// every target table is filled, with a value kind the column type takes.
final class SchemaLayoutTests: XCTestCase {
    func testLayoutsCoverEveryColumnWithAMatchingType() throws {
        let db = try TestDatabase.create(migrated: true, statStatements: TestDatabase.statStatementsAvailable)
        defer { db.drop() }
        let accepted: [ColumnType: Set<String>] = [
            .int: ["bigint", "integer"], .double: ["double precision"], .text: ["text"], .bool: ["boolean"],
            .timestamp: ["timestamp with time zone"], .json: ["jsonb"], .lsn: ["pg_lsn"],
        ]
        for layout in StatsTables.all {
            let parts = layout.table.split(separator: ".").map(String.init)
            let columns = try db.namedRows("""
                SELECT column_name, data_type FROM information_schema.columns
                 WHERE table_schema = $1 AND table_name = $2 AND column_name <> 'host'
                """, [parts[0], parts[1]])
            XCTAssertFalse(columns.isEmpty, "\(layout.table) exists")
            let schema = Dictionary(uniqueKeysWithValues: columns.map { ($0["column_name"] ?? "", $0["data_type"] ?? "") })
            XCTAssertEqual(Set(layout.columnNames), Set(schema.keys), "\(layout.table): the plugin fills every column")
            XCTAssertEqual(layout.columnNames.count, Set(layout.columnNames).count, "\(layout.table): no column twice")
            for column in layout.columns {
                guard let type = schema[column.name] else { continue }
                XCTAssertTrue(accepted[column.type]?.contains(type) ?? false, "\(layout.table).\(column.name): \(column.type) into \(type)")
            }
        }
    }
}

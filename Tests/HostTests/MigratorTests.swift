import CollectorTestSupport
import XCTest
@testable import CollectorCore

final class MigratorTests: XCTestCase {
    func testEmbeddedMigrationsMatchTheFiles() throws {
        let dir = TestSupport.repoRoot.appendingPathComponent("migrations")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".sql") }.sorted()
        XCTAssertEqual(EmbeddedMigrations.all.map(\.name), files.map { String($0.dropLast(4)) },
                       "run scripts/embed-migrations.sh after changing migrations/")
        for (migration, file) in zip(EmbeddedMigrations.all, files) {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            XCTAssertEqual(migration.sql, String(text.dropLast(text.hasSuffix("\n") ? 1 : 0)),
                           "\(file) differs from the embedded copy: run scripts/embed-migrations.sh")
        }
    }

    func testApplyOnEmptyDatabaseThenNoOpThenRefuseTampered() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let c = try db.connect()
        let first = try Migrator(connection: c).apply(EmbeddedMigrations.all)
        XCTAssertEqual(first, EmbeddedMigrations.all.map(\.name))
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.schema_migrations"), String(EmbeddedMigrations.all.count))
        XCTAssertEqual(try Migrator(connection: c).apply(EmbeddedMigrations.all), [], "re-running is a no-op")

        var tampered = EmbeddedMigrations.all
        tampered[0] = Migration(name: tampered[0].name, sql: tampered[0].sql + "\n-- edited")
        XCTAssertThrowsError(try Migrator(connection: c).apply(tampered)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("001_collector_schema was applied with checksum"), text)
            XCTAssertTrue(text.contains("must not change"), text)
        }
    }

    func testFailingMigrationRollsBackAndIsNotRecorded() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let c = try db.connect()
        let bad = Migration(name: "plugin_x/001_bad", sql: "CREATE TABLE collector.half_done (a int); SELECT no_such_function();")
        XCTAssertThrowsError(try Migrator(connection: c).apply([bad])) { error in
            XCTAssertTrue("\(error)".contains("plugin_x/001_bad"), "\(error)")
        }
        XCTAssertEqual(try db.scalar("SELECT to_regclass('collector.half_done') IS NULL"), "t")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.schema_migrations"), "0")
    }
}

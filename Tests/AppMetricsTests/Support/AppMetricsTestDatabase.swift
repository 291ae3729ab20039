import Foundation
import XCTest
@testable import Host

/// A fresh database for one test in the cluster `cat /tmp/pgenv` / scripts/test.sh
/// describes (PGHOST, PGPORT, PGUSER), with the collector schema applied.
/// Without a cluster the test is skipped, unless PQC_TEST_REQUIRE_DB=1 makes
/// that a failure (CI).
struct AppMetricsTestDatabase {
    let config: DatabaseConfig
    let name: String

    static func create() throws -> AppMetricsTestDatabase {
        let env = ProcessInfo.processInfo.environment
        guard let port = env["PGPORT"].flatMap(Int.init) else {
            if env["PQC_TEST_REQUIRE_DB"] == "1" { throw ServerError("PQC_TEST_REQUIRE_DB=1 but PGPORT is unset") }
            throw XCTSkip("no test PostgreSQL (PGPORT unset): run scripts/test.sh or source /tmp/pgenv")
        }
        var admin = DatabaseConfig()
        admin.host = env["PGHOST"] ?? "127.0.0.1"
        admin.port = port
        admin.user = env["PGUSER"] ?? "postgres"
        admin.name = "postgres"
        admin.password = ""
        admin.sslmode = "disable"
        let name = "t_appmetrics_\(UInt32.random(in: 0...UInt32.max))_\(getpid())"
        try PGConnection(conninfo: ConnectionString.make(admin)).execute("CREATE DATABASE \(name)")
        var config = admin
        config.name = name
        let db = AppMetricsTestDatabase(config: config, name: name)
        _ = try Migrator(connection: db.connect()).apply(EmbeddedMigrations.all)
        return db
    }

    func connect() throws -> PGConnection { try PGConnection(conninfo: ConnectionString.make(config)) }

    /// Every row of `sql` as text cells (nil = NULL).
    func rows(_ sql: String, _ params: [String?] = []) throws -> [[String?]] {
        let result = try connect().query(sql, params)
        return (0..<result.rowCount).map { r in (0..<result.columnCount).map { c in result.string(r, c) } }
    }

    func scalar(_ sql: String, _ params: [String?] = []) throws -> String? {
        try connect().query(sql, params).string(0, 0)
    }

    func drop() {
        var admin = config
        admin.name = "postgres"
        _ = try? PGConnection(conninfo: ConnectionString.make(admin)).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

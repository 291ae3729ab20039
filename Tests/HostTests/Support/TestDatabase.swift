import Foundation
import XCTest
@testable import Host

/// A database of its own for one test, in the cluster scripts/test.sh started.
/// Without that cluster, DB tests skip, unless PQC_TEST_REQUIRE_DB=1 (CI) makes
/// a missing cluster a failure.
struct TestDatabase {
    let config: DatabaseConfig
    let name: String

    static func create(file: StaticString = #filePath, line: UInt = #line) throws -> TestDatabase {
        let env = ProcessInfo.processInfo.environment
        guard let port = env["PGPORT"].flatMap(Int.init), env["PQC_PG_DIR"] != nil else {
            if env["PQC_TEST_REQUIRE_DB"] == "1" { throw TestError("PQC_TEST_REQUIRE_DB=1 but no test cluster (PGPORT/PQC_PG_DIR unset)") }
            throw XCTSkip("no test PostgreSQL: run scripts/test.sh")
        }
        var admin = DatabaseConfig()
        admin.host = env["PGHOST"] ?? "127.0.0.1"
        admin.port = port
        admin.user = env["PGUSER"] ?? "postgres"
        admin.name = "postgres"
        admin.password = ""
        admin.sslmode = "disable"
        let name = "t_\(UInt32.random(in: 0...UInt32.max))_\(getpid())"
        let conn = try PGConnection(conninfo: ConnectionString.make(admin))
        try conn.execute("CREATE DATABASE \(name)")
        var config = admin
        config.name = name
        return TestDatabase(config: config, name: name)
    }

    func connect() throws -> PGConnection { try PGConnection(conninfo: ConnectionString.make(config)) }

    /// First column of the first row as text.
    func scalar(_ sql: String, _ params: [String?] = []) throws -> String? {
        try connect().query(sql, params).string(0, 0)
    }

    /// Environment for a collector subprocess pointed at this database.
    var environment: [String: String] {
        ["DB_HOST": config.host, "DB_PORT": String(config.port), "DB_NAME": config.name, "DB_USER": config.user, "DB_PASS": "",
         "DB_SSLMODE": "disable"]
    }

    func drop() {
        var admin = config
        admin.name = "postgres"
        _ = try? PGConnection(conninfo: ConnectionString.make(admin)).execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

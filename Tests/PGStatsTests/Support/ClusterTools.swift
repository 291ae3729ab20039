import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// The cluster's client programs (pgbench, pg_receivewal), from PQC_PG_BIN.
enum ClusterTools {
    static func binary(_ name: String) throws -> String {
        let env = TestDatabase.environment
        let candidates = [env["PQC_PG_BIN"].map { $0 + "/" + name }, "/usr/lib/postgresql/15/bin/\(name)"].compactMap { $0 }
        guard let path = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw TestFailure("\(name) not found (set PQC_PG_BIN)")
        }
        return path
    }

    static func connectionArguments(_ config: DatabaseConfig) -> [String] {
        ["-h", config.host, "-p", String(config.port), "-U", config.user]
    }

    /// Runs pgbench against the test database and fails on a non-zero exit.
    static func pgbench(_ db: TestDatabase, _ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try binary("pgbench"))
        p.arguments = connectionArguments(db.config) + arguments + [db.name]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let output = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw TestFailure("pgbench \(arguments) failed: \(String(decoding: output, as: UTF8.self))")
        }
    }

    /// Starts pg_receivewal streaming from `slot` into a temporary directory.
    static func startReceiver(_ db: TestDatabase, slot: String, directory: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: try binary("pg_receivewal"))
        p.arguments = connectionArguments(db.config) + ["-D", directory, "-S", slot, "-n", "--no-sync"]
        p.standardError = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        return p
    }
}

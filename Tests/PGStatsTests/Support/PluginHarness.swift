import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// libPGStats.so loaded in-process the way the daemon loads it (PluginLoader),
/// with real database lanes and a real batch writer whose flushes the test
/// triggers, so rows land in the test database's collector tables.
struct PluginHarness {
    static let hostname = "pgstats-test-host"

    let services: HostServices
    let plugin: PluginRuntime
    let stats: StatsRegistry

    /// - Parameters:
    ///   - queryDatabase: where the ticks' SQL runs (default: the test database);
    ///     rows are always written to the test database, as the collector's role.
    ///   - section: the `[plugin.pg_stats]` table.
    init(_ db: TestDatabase, queryDatabase: DatabaseConfig? = nil, section: [String: ConfigNode] = [:]) throws {
        var config = try ConfigLoader.load(toml: "", environment: [:]).config
        config.database = db.config
        config.collector.hostname = Self.hostname
        config.plugins.files = [try Self.pluginPath()]
        config.pluginSections["pg_stats"] = .table(section)
        let stats = StatsRegistry()
        let queries = queryDatabase ?? db.config
        let lanes: [Lane: DatabaseLane] = [
            .fast: DatabaseLane(lane: .fast, config: queries, statementTimeoutMs: 30_000),
            .slow: DatabaseLane(lane: .slow, config: queries, statementTimeoutMs: 60_000),
        ]
        let writerLane = DatabaseLane(lane: .fast, config: db.config, statementTimeoutMs: 30_000)
        let writer = BatchWriter(lane: writerLane, batchSize: 1_000_000, flushIntervalMs: 3_600_000, maxBytes: 64 << 20, stats: stats)
        let services = HostServices(config: config, stats: stats, writer: writer, lanes: lanes)
        let report = PluginLoader(services: services).loadAll()
        guard let plugin = report.loaded.first(where: { $0.name == "pg_stats" }) else {
            throw TestFailure("pg_stats was not loaded: \(report.refused.map(\.description))")
        }
        self.services = services
        self.plugin = plugin
        self.stats = stats
    }

    /// The built plugin: PQC_TEST_BIN_DIR (scripts/test.sh), else next to this test binary.
    static func pluginPath() throws -> String {
        var dir = TestDatabase.environment["PQC_TEST_BIN_DIR"] ?? ""
        if dir.isEmpty {
            var buffer = [CChar](repeating: 0, count: 4096)
            let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
            guard n > 0 else { throw TestFailure("cannot resolve /proc/self/exe") }
            dir = (String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) as NSString).deletingLastPathComponent
        }
        let path = dir + "/libPGStats.so"
        guard FileManager.default.fileExists(atPath: path) else { throw TestFailure("\(path) is missing: run swift build first") }
        return path
    }

    func job(_ tick: String) throws -> TickJob {
        guard let registration = plugin.ticks.first(where: { $0.name == tick }) else {
            throw TestFailure("no tick \(tick); registered: \(plugin.ticks.map(\.name))")
        }
        return TickPlanner.job(for: registration, plugin: plugin, config: services.config)
    }

    /// Runs one tick on this thread, as a scheduler worker would.
    @discardableResult
    func run(_ tick: String) throws -> TickOutcome { try job(tick).run() }

    /// Writes every queued row; fails the test if the server rejected any.
    @discardableResult
    func flush(file: StaticString = #filePath, line: UInt = #line) -> Int {
        let written = services.writer.flush()
        XCTAssertEqual(services.writer.bufferedRows, 0, "every row was written", file: file, line: line)
        XCTAssertEqual(stats.counter("writer.rejected_rows"), 0, "no table rejected a row (column/type mismatch)", file: file, line: line)
        return written
    }
}

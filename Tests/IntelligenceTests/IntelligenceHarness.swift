import CollectorTestSupport
import Foundation
import XCTest
@testable import CollectorCore

/// libIntelligence.so loaded the way the daemon loads it, one of its analyzers
/// run as a scheduler job with the host's FindingStore.
struct IntelligenceHarness {
    let services: HostServices
    let plugin: PluginRuntime
    let job: TickJob

    init(_ db: TestDatabase, hostname: String, analyzer name: String, toml: String = "") throws {
        // In the TOML, not only in the struct: plugins read collector.hostname from the resolved tree.
        var config = try ConfigLoader.load(toml: "[collector]\nhostname = \"\(hostname)\"\n" + toml, environment: [:]).config
        config.database = db.config
        config.collector.hostname = hostname
        config.plugins.files = [try Self.pluginPath()]
        let stats = StatsRegistry()
        let lanes: [Lane: DatabaseLane] = [
            .fast: DatabaseLane(lane: .fast, config: db.config, statementTimeoutMs: 30_000),
            .slow: DatabaseLane(lane: .slow, config: db.config, statementTimeoutMs: 60_000),
        ]
        let writer = BatchWriter(lane: lanes[.fast], batchSize: 10_000, flushIntervalMs: 3_600_000, maxBytes: 16 << 20, stats: stats)
        services = HostServices(config: config, stats: stats, writer: writer, lanes: lanes)
        let report = PluginLoader(services: services).loadAll()
        guard let plugin = report.loaded.first(where: { $0.name == "intelligence" }) else {
            throw TestFailure("intelligence was not loaded: \(report.refused.map(\.description))")
        }
        guard let analyzer = plugin.analyzers.first(where: { $0.name == name }) else {
            throw TestFailure("no \(name) analyzer; registered: \(plugin.analyzers.map(\.name))")
        }
        self.plugin = plugin
        job = TickPlanner.job(for: analyzer, plugin: plugin, config: config,
                              sink: FindingStore(hostname: hostname, lanes: lanes))
    }

    static func pluginPath() throws -> String {
        var dir = TestDatabase.environment["PQC_TEST_BIN_DIR"] ?? ""
        if dir.isEmpty { dir = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent().path }
        let path = dir + "/libIntelligence.so"
        guard FileManager.default.fileExists(atPath: path) else { throw TestFailure("\(path) is missing: run swift build first") }
        return path
    }

    /// One analyzer run; returns its wall time in ms.
    @discardableResult
    func run(file: StaticString = #filePath, line: UInt = #line) -> Double {
        let start = Date()
        let outcome = job.run()
        XCTAssertEqual(outcome, .ok, file: file, line: line)
        return Date().timeIntervalSince(start) * 1000
    }
}

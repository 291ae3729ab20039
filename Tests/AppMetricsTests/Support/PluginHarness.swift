import Foundation
import CollectorTestSupport
import ByteKit
import XCTest
@testable import AppMetricsCore
@testable import CollectorCore

/// Runs libAppMetrics.so in-process the way the daemon does: PluginLoader with
/// `plugins.files = [copy]`, the tick as a scheduler job, rows through a real
/// BatchWriter and database lane.
struct PluginHarness {
    let plugin: PluginRuntime
    let job: TickJob
    let writer: BatchWriter

    static let hostname = "appmetrics-test-host"

    /// `scrape` is the body of the `[scrape]` section.
    init(scrape: String, extraTOML: String = "", database: TestDatabase?) throws {
        LogCapture.install()
        var config = try ConfigLoader.load(toml: "[scrape]\n\(scrape)\n\(extraTOML)", environment: [:]).config
        config.plugins.files = [try Self.pluginCopy()]
        config.collector.hostname = Self.hostname
        let stats = StatsRegistry()
        var lanes: [Lane: DatabaseLane] = [:]
        if let database {
            config.database = database.config
            lanes[.fast] = DatabaseLane(lane: .fast, config: database.config, statementTimeoutMs: 30_000)
        }
        writer = BatchWriter(lane: lanes[.fast], batchSize: 10_000, flushIntervalMs: 600_000, maxBytes: 32 << 20, stats: stats)
        let services = HostServices(config: config, stats: stats, writer: writer, lanes: lanes)
        let report = PluginLoader(services: services).loadAll()
        guard report.refused.isEmpty, let plugin = report.loaded.first(where: { $0.name == "app_metrics" }) else {
            throw ServerError("libAppMetrics.so not loaded: \(report.refused.map(\.description))")
        }
        guard let tick = plugin.ticks.first(where: { $0.name == "scrape" }) else { throw ServerError("no scrape tick registered") }
        self.plugin = plugin
        self.job = TickPlanner.job(for: tick, plugin: plugin, config: config)
    }

    /// Runs the tick once; returns its outcome and how long it took (monotonic clock).
    func run() -> (outcome: TickOutcome, millis: Double) {
        let start = MonotonicClock.nowNanos()
        let outcome = job.run()
        return (outcome, Double(MonotonicClock.nowNanos() - start) / 1e6)
    }

    /// Warnings (and errors) the plugin logged since the last `LogCapture.clear()`.
    static func warnings() -> [String] {
        LogCapture.entries(atLeast: .warning).map(\.message)
    }

    // MARK: the library

    /// Where `swift build` put the plugin: PQC_TEST_BIN_DIR, else next to the test bundle.
    static var builtLibrary: String {
        if let dir = ProcessInfo.processInfo.environment["PQC_TEST_BIN_DIR"], !dir.isEmpty { return dir + "/libAppMetrics.so" }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        // Inside a .xctest bundle directory (macOS layout), step out of it.
        while dir.path.contains(".xctest") { dir = dir.deletingLastPathComponent() }
        return dir.appendingPathComponent("libAppMetrics.so").path
    }

    /// The loader refuses plugins in group/world-writable directories (a build
    /// directory may be one), so tests load a 0644 copy from a private 0755 directory.
    static func pluginCopy() throws -> String {
        let source = builtLibrary
        let dir = copyDirectory
        guard FileManager.default.fileExists(atPath: source) else {
            throw ServerError("\(source) not found: run `swift build` first (or set PQC_TEST_BIN_DIR)")
        }
        let target = dir + "/libAppMetrics.so"
        if !FileManager.default.fileExists(atPath: target) {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            chmod(dir, 0o755)
            try FileManager.default.copyItem(atPath: source, toPath: target)
            chmod(target, 0o644)
        }
        return target
    }

    private static var copyDirectory: String { NSTemporaryDirectory() + "appmetrics-plugin-\(getpid())" }

    /// Removes the copy (the library stays mapped: the host never dlclose()s).
    static func removeCopy() {
        try? FileManager.default.removeItem(atPath: copyDirectory)
    }
}

/// Fixture files under Tests/AppMetricsTests/Fixtures.
enum Fixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func json(_ name: String) throws -> JSONValue {
        switch JSONParser.parse(try bytes(name)) {
        case .success(let value): return value
        case .failure(let error): throw ServerError("fixture \(name) does not parse: \(error)")
        }
    }
}

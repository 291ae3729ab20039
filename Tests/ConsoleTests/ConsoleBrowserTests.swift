import CollectorCore
import CollectorTestSupport
import ConsoleKit
import Foundation
import Logging
import XCTest

/// Every page in a real browser: headless Chromium (Debian's package, installed
/// by scripts/setup.sh) driven by scripts/console-browser-check.py crawls the
/// console from the fleet page and fails on a console error, a CSP violation,
/// a failed subresource or a broken link. `PQC_CONSOLE_SCREENSHOTS=docs` also
/// writes the screenshots the README shows.
final class ConsoleBrowserTests: XCTestCase {
    func testEveryPageLoadsCleanlyInChromium() throws {
        let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
        if chromium == nil {
            if ProcessInfo.processInfo.environment["PQC_TEST_REQUIRE_BROWSER"] == "1" { XCTFail("chromium is not installed") }
            throw XCTSkip("chromium is not installed (scripts/setup.sh installs it)")
        }
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        var generator = HistoryGenerator()
        generator.hosts = 4
        generator.logRows = 20_000
        try generator.fill(try db.connect())

        var settings = ConsoleSettings()
        settings.port = 0
        settings.localHost = "host-01"
        settings.statsPath = "/nonexistent/stats.json"
        // The crawl takes ~30 s: heartbeats written at the start must not turn stale half-way.
        settings.heartbeatSecs = 60
        let database = ConsoleDatabase(config: db.config, size: 2)
        defer { database.shutdown() }
        var logger = Logging.Logger(label: "browser-test")
        logger.logLevel = .critical
        let box = PortBox()
        let app = ConsoleServer(database: database, settings: settings).makeApplication(logger: logger) { box.set($0) }
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { task.cancel() }
        let port = try box.wait()

        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var arguments = [repo.appendingPathComponent("scripts/console-browser-check.py").path, "http://127.0.0.1:\(port)/", "--max-pages", "80"]
        if let dir = ProcessInfo.processInfo.environment["PQC_CONSOLE_SCREENSHOTS"], !dir.isEmpty {
            arguments += ["--screenshots", dir.hasPrefix("/") ? dir : repo.appendingPathComponent(dir).path]
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3"] + arguments
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let report = String(decoding: data, as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, report)
        XCTAssertTrue(report.contains("ok 200 http://127.0.0.1:\(port)/host/host-01"), report)
        XCTAssertTrue(report.contains("/logs"), report)
    }
}

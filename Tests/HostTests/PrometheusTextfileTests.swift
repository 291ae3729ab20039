import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// `[collector] prometheus_textfile`: the daemon rewrites a node_exporter
/// textfile with its tick and writer figures next to stats.json.
final class PrometheusTextfileTests: XCTestCase {
    func testDaemonWritesTheTextfile() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let dir = try TestSupport.makeTempDir("textfile")
        let plugins = dir + "/plugins"
        mkdir(plugins, 0o755)
        let (p, err) = try DaemonTests.start(config: """
            [intervals]
            heartbeat_secs = 1
            watchdog_secs = 1
            [collector]
            hostname = "prom-host"
            flush_interval_ms = 500
            state_dir = "\(dir)/state"
            prometheus_textfile = "\(dir)/collector.prom"
            [plugins]
            dir = "\(plugins)"
            [logs]
            enabled = false
            """, dir: dir, db: db)
        let deadline = Date().addingTimeInterval(15)
        var text = ""
        while Date() < deadline {
            text = (try? String(contentsOfFile: dir + "/collector.prom", encoding: .utf8)) ?? ""
            if text.contains("pqc_tick_runs_total{host=\"prom-host\",plugin=\"host\",tick=\"heartbeat\"}") { break }
            usleep(200_000)
        }
        _ = DaemonTests.terminate(p)
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(text.contains("# TYPE pqc_tick_runs_total counter"), text + log)
        XCTAssertTrue(text.contains("pqc_tick_runs_total{host=\"prom-host\",plugin=\"host\",tick=\"heartbeat\"}"), text)
        XCTAssertTrue(text.contains("# TYPE pqc_writer_buffered_bytes gauge"), text)
        XCTAssertTrue(text.contains("pqc_tick_max_duration_seconds{host=\"prom-host\",plugin=\"host\",tick=\"heartbeat\"}"), text)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/collector.prom.tmp"), "written by rename")
        try Self.checkExposition(text)
    }

    func testPrometheusTextEscapesLabelsAndNames() {
        var p = PrometheusText()
        p.family("a.b-c", .gauge, "help with \\ and\nnewline")
        p.sample("a.b-c", [("source", "x\"y\\z\nw")], 1.5)
        XCTAssertEqual(p.text, "# HELP a_b_c help with \\\\ and\\nnewline\n# TYPE a_b_c gauge\na_b_c{source=\"x\\\"y\\\\z\\nw\"} 1.5\n")
        XCTAssertEqual(PrometheusText.number(.infinity), "+Inf")
        XCTAssertEqual(PrometheusText.number(3), "3")
    }

    /// Every sample follows its family's TYPE line, families are not split, values are numbers.
    static func checkExposition(_ text: String) throws {
        var typed: Set<String> = []
        var done: Set<String> = []
        var current = ""
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") { typed.insert(String(line.split(separator: " ")[2])); continue }
            if line.hasPrefix("#") { continue }
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            XCTAssertTrue(typed.contains(name), "no TYPE before \(line)")
            if name != current {
                XCTAssertFalse(done.contains(name), "\(name) split")
                done.insert(current)
                current = name
            }
            XCTAssertNotNil(Double(line.split(separator: " ").last.map(String.init) ?? ""), String(line))
        }
    }
}

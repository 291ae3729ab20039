import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// libAppMetrics.so loaded in-process by the host's loader, scraping a
/// loopback server, its rows flushed by the host's writer into PostgreSQL.
final class AppMetricsPluginTests: XCTestCase {
    private var server: LoopbackHTTPServer!
    private var db: TestDatabase?

    override func setUpWithError() throws {
        server = try LoopbackHTTPServer()
        db = try TestDatabase.create(migrated: true)
        LogCapture.install()
        LogCapture.clear()
    }

    override func tearDown() {
        server?.stop()
        db?.drop()
    }

    override class func tearDown() {
        PluginHarness.removeCopy()
    }

    private func harness(api: String = "/api", proxy: String? = "/proxy", timeoutMs: Int = 500) throws -> PluginHarness {
        let proxyURL = proxy.map { server.url($0) } ?? ""
        return try PluginHarness(
            scrape: "api_metrics_url = \"\(server.url(api))\"\nproxy_metrics_url = \"\(proxyURL)\"\ntimeout_ms = \(timeoutMs)",
            database: db)
    }

    /// How many cells of row `t` are not NULL.
    private static let nonNullCells = "(SELECT count(*) FROM jsonb_each(to_jsonb(t)) WHERE value <> 'null'::jsonb)"

    private func database() throws -> TestDatabase { try XCTUnwrap(db) }

    /// Rows of `table` in insertion (ts) order, selected columns as text.
    private func rows(_ table: String, _ columns: String) throws -> [[String?]] {
        try database().rows("SELECT \(columns) FROM collector.\(table) AS t ORDER BY ts")
    }

    // MARK: fixtures → rows

    func testFixtureJSONLandsInBothTablesWithRates() throws {
        server.script("/api", [.json(200, try Fixture.bytes("api_metrics_1.json")), .json(200, try Fixture.bytes("api_metrics_2.json"))])
        server.script("/proxy", [.json(200, try Fixture.bytes("proxy_metrics_1.json")), .json(200, try Fixture.bytes("proxy_metrics_2.json"))])
        let h = try harness()

        // Bounds on the plugin's own interval between its two samples, from outside.
        let t0 = MonotonicClock.nowNanos()
        XCTAssertEqual(h.run().outcome, .ok)
        let t1 = MonotonicClock.nowNanos()
        usleep(300_000)
        let t2 = MonotonicClock.nowNanos()
        XCTAssertEqual(h.run().outcome, .ok)
        let t3 = MonotonicClock.nowNanos()
        XCTAssertEqual(h.writer.flush(), 4)
        XCTAssertEqual(server.requests, ["/api", "/proxy", "/api", "/proxy"])

        let api = try rows("api_metrics_raw", """
            host, up, http_status, requests_total, requests_per_sec, errors_total, error_rate_pct, status_2xx_total, status_5xx_total,
            latency_avg_ms, latency_p50_ms, latency_p95_ms, latency_p99_ms, latency_max_ms, active_connections,
            cache_hits_total, cache_hit_ratio, cache_entries, cache_size_bytes, uptime_secs, scrape_ms,
            extra->>'version', extra->'requests'->'by_method'->>'POST', extra ? 'latency_ms', jsonb_typeof(extra->'endpoints')
            """)
        XCTAssertEqual(api.count, 2)
        XCTAssertEqual(Array(api[0][0...3]), [PluginHarness.hostname, "t", "200", "1250000"])
        XCTAssertNil(api[0][4], "no rate on the priming sample")
        XCTAssertEqual(api[0][5], "1875")
        XCTAssertNil(api[0][6], "no interval error rate on the priming sample")
        XCTAssertEqual(Array(api[0][7...19]), ["1231000", "1875", "12.4", "8.2", "34.9", "118.3", "2041", "37",
                                               "980000", "0.98", "4096", "52428800", "86400.5"])
        let scrapeMs = try XCTUnwrap(Double(try XCTUnwrap(api[0][20])))
        XCTAssertTrue(scrapeMs > 0 && scrapeMs < 500, "scrape_ms \(scrapeMs)")
        XCTAssertEqual(Array(api[0][21...24]), ["2.4.1", "150000", "f", "array"], "unrecognised members are in extra, used ones are not")

        // 400 requests between the samples; the plugin's interval lies within [t2 - t1, t3 - t0].
        let rate = try XCTUnwrap(Double(try XCTUnwrap(api[1][4])))
        XCTAssertGreaterThanOrEqual(rate, 400 / (Double(t3 - t0) / 1e9) - 1e-9)
        XCTAssertLessThanOrEqual(rate, 400 / (Double(t2 - t1) / 1e9) + 1e-9)
        XCTAssertEqual(api[1][6], "2.5", "10 errors in 400 requests")
        XCTAssertEqual(api[1][3], "1250400")

        let proxy = try rows("proxy_metrics_raw", """
            host, up, http_status, connections_active, connections_total, requests_total, requests_per_sec, errors_total,
            tls_handshakes_total, tls_handshake_failures_total, tls_handshake_avg_ms, rate_limited_total, rate_limit_allowed_total,
            blocked_ips, upstream_requests_total, upstream_errors_total, upstream_latency_avg_ms, upstream_latency_p50_ms,
            upstream_latency_p95_ms, upstream_latency_p99_ms, bytes_in_total, bytes_out_total, uptime_secs,
            extra->'tls'->'protocols'->>'TLSv1.3', extra->'backends'->>'static', extra ? 'rate_limit'
            """)
        XCTAssertEqual(proxy.count, 2)
        XCTAssertEqual(proxy[0], [PluginHarness.hostname, "t", "200", "128", "5400321", "8100000", nil, "2430",
                                  "5400100", "312", "3.8", "1000", "8099000", "3", "8097570", "118", "11.9", "7.6",
                                  "33", "110.4", "9876543210", "123456789012", "172800", "5390000", "healthy", "f"])
        let proxyRate = try XCTUnwrap(Double(try XCTUnwrap(proxy[1][6])))
        XCTAssertGreaterThanOrEqual(proxyRate, 600 / (Double(t3 - t0) / 1e9) - 1e-9)
        XCTAssertLessThanOrEqual(proxyRate, 600 / (Double(t2 - t1) / 1e9) + 1e-9)
        XCTAssertEqual(proxy[1][13], "4")
        XCTAssertEqual(proxy[1][24], "degraded")
        XCTAssertTrue(PluginHarness.warnings().isEmpty, PluginHarness.warnings().joined(separator: "\n"))
    }

    func testDeclaredColumnsAreExactlyTheMigrationsColumns() throws {
        let h = try harness()
        for table in ["api_metrics_raw", "proxy_metrics_raw"] {
            let declared = try XCTUnwrap(h.plugin.tables.first { $0.target.table == "collector.\(table)" })
            let schema = try database().rows("""
                SELECT column_name FROM information_schema.columns
                WHERE table_schema = 'collector' AND table_name = $1 ORDER BY ordinal_position
                """, [table]).compactMap { $0[0] }
            XCTAssertEqual(schema.count, declared.target.columns.count, table)
            XCTAssertEqual(Set(declared.target.columns), Set(schema), table)
            XCTAssertEqual(Array(declared.target.columns.prefix(2)), ["host", "ts"], "the host fills host and ts")
        }
    }

    // MARK: failures are data

    func testErrorStatusIsADownRowAndOneWarning() throws {
        server.script("/api", [.json(500, #"{"error":"internal"}"#), .json(500, ""), .json(500, ""),
                               .json(200, try Fixture.bytes("api_metrics_1.json"))])
        server.script("/proxy", [.json(200, try Fixture.bytes("proxy_metrics_1.json"))])
        let h = try harness()
        for _ in 0..<4 { XCTAssertEqual(h.run().outcome, .ok, "a down endpoint is not a tick failure") }
        XCTAssertEqual(h.writer.flush(), 8)

        let api = try rows("api_metrics_raw", "up, http_status, scrape_ms IS NOT NULL, requests_total, latency_p95_ms, extra, \(Self.nonNullCells)")
        XCTAssertEqual(api.count, 4)
        for row in api.prefix(3) {
            // host, ts, up, scrape_ms, http_status: nothing else.
            XCTAssertEqual(row, ["f", "500", "t", nil, nil, nil, "5"])
        }
        XCTAssertEqual(Array(api[3][0...1]), ["t", "200"])
        XCTAssertEqual(api[3][3], "1250000")
        XCTAssertEqual(try rows("proxy_metrics_raw", "up").map { $0[0] }, ["t", "t", "t", "t"], "the proxy is independent")

        let warnings = PluginHarness.warnings()
        XCTAssertEqual(warnings.count, 1, warnings.joined(separator: "\n"))
        XCTAssertTrue(warnings.first?.contains("answered HTTP 500") ?? false)
        let infos = LogCapture.entries(atLeast: .info).filter { $0.level == .info }.map(\.message)
        XCTAssertTrue(infos.contains { $0.contains("answering again") }, "recovery is logged: \(infos)")
    }

    func testMalformedJSONWarnsOnceWithASnippetAndWritesNoRow() throws {
        let malformed = try Fixture.bytes("api_metrics_malformed.json")
        server.script("/api", [.json(200, malformed)])
        server.script("/proxy", [.json(200, try Fixture.bytes("proxy_metrics_1.json"))])
        let h = try harness()
        for _ in 0..<3 { XCTAssertEqual(h.run().outcome, .ok) }
        XCTAssertEqual(h.writer.flush(), 3, "proxy rows only")
        XCTAssertEqual(try database().scalar("SELECT count(*) FROM collector.api_metrics_raw"), "0")
        XCTAssertEqual(try database().scalar("SELECT count(*) FROM collector.proxy_metrics_raw"), "3")

        let warnings = PluginHarness.warnings()
        XCTAssertEqual(warnings.count, 1, warnings.joined(separator: "\n"))
        let warning = try XCTUnwrap(warnings.first)
        XCTAssertTrue(warning.contains("malformed JSON (expected a string key at byte 69)"), warning)
        // The first 80 bytes, escaped; nothing past them.
        let head = String(decoding: malformed.prefix(80), as: UTF8.self).replacingOccurrences(of: "\"", with: "\\\"")
        XCTAssertTrue(warning.contains("\"\(head)\"... (\(malformed.count) bytes)"), warning)
        XCTAssertFalse(warning.contains("tail bytes"), "bytes past the snippet are not logged")
    }

    func testHangingEndpointIsCutAtTheTimeout() throws {
        server.script("/api", [.hang])
        let h = try harness(proxy: nil, timeoutMs: 500)
        let (outcome, millis) = h.run()
        XCTAssertEqual(outcome, .ok)
        XCTAssertGreaterThanOrEqual(millis, 480, "the GET waited for its timeout")
        XCTAssertLessThan(millis, 500 + 250, "and not much longer")
        XCTAssertEqual(h.writer.flush(), 1)
        let api = try rows("api_metrics_raw", "up, http_status, scrape_ms, \(Self.nonNullCells)")
        XCTAssertEqual(api.count, 1)
        XCTAssertEqual(api[0][0], "f")
        XCTAssertNil(api[0][1], "no HTTP status arrived")
        let scrapeMs = try XCTUnwrap(Double(try XCTUnwrap(api[0][2])))
        XCTAssertTrue((480..<750).contains(scrapeMs), "scrape_ms \(scrapeMs)")
        XCTAssertEqual(api[0][3], "4", "host, ts, up, scrape_ms")
        XCTAssertEqual(server.requests, ["/api"], "an empty proxy URL disables the proxy")
        XCTAssertEqual(try database().scalar("SELECT count(*) FROM collector.proxy_metrics_raw"), "0")
        let warnings = PluginHarness.warnings()
        XCTAssertEqual(warnings.count, 1, warnings.joined(separator: "\n"))
        XCTAssertTrue(warnings.first?.contains("is unreachable") ?? false, warnings.first ?? "")
    }

    func testUnreachableEndpointIsADownRowEveryTickButOneWarning() throws {
        // A port nothing listens on: bind one, then free it.
        let closed = try LoopbackHTTPServer()
        let deadURL = closed.url("/metrics")
        closed.stop()
        server.script("/proxy", [.json(200, try Fixture.bytes("proxy_metrics_1.json"))])
        let h = try PluginHarness(
            scrape: "api_metrics_url = \"\(deadURL)\"\nproxy_metrics_url = \"\(server.url("/proxy"))\"\ntimeout_ms = 500",
            database: db)
        for _ in 0..<3 {
            let (outcome, millis) = h.run()
            XCTAssertEqual(outcome, .ok)
            XCTAssertLessThan(millis, 500, "a refused connection fails fast")
        }
        XCTAssertEqual(h.writer.flush(), 6)
        let api = try rows("api_metrics_raw", "up, http_status, scrape_ms IS NOT NULL, \(Self.nonNullCells)")
        XCTAssertEqual(api, Array(repeating: ["f", nil, "t", "4"], count: 3))
        let warnings = PluginHarness.warnings()
        XCTAssertEqual(warnings.count, 1, warnings.joined(separator: "\n"))
        XCTAssertTrue(warnings.first?.contains("unreachable") ?? false)
    }

    func testNonObjectAndBinaryBodiesNeverCrashTheTick() throws {
        let binary = (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        server.script("/api", [.json(200, "[1,2,3]"), .json(200, binary), .json(200, ""),
                               .json(200, String(repeating: "[", count: 100_000)),
                               .raw(Array("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n{\"a\"".utf8))])
        server.script("/proxy", [.json(204, "")])
        let h = try harness()
        for _ in 0..<5 { XCTAssertEqual(h.run().outcome, .ok) }
        XCTAssertEqual(h.writer.flush(), 0, "no row from any of them (a 204 has no JSON either)")
        XCTAssertEqual(server.requests.count, 10)
        // Five different malformed bodies are one condition: one warning per endpoint.
        let warnings = PluginHarness.warnings()
        XCTAssertEqual(warnings.count, 2, warnings.joined(separator: "\n"))
        XCTAssertTrue(warnings[0].contains("api metrics endpoint") && warnings[0].contains("not an object"), warnings[0])
        XCTAssertTrue(warnings[1].contains("proxy metrics endpoint") && warnings[1].contains("empty body"), warnings[1])
    }
}

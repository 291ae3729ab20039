import PluginKit
import ByteKit
import XCTest
@testable import AppMetricsCore

/// The scrape logic driven by a scripted fetcher and a fake clock: no sockets.
final class ScrapeLogicTests: XCTestCase {
    /// Replies and clock readings for one endpoint, consumed in order.
    final class Script: @unchecked Sendable {
        var replies: [FetchResult]
        var clock: UInt64 = 1_000_000_000
        var step: UInt64 = 3_000_000 // each clock read advances 3 ms
        var urls: [String] = []
        var timeouts: [UInt32] = []

        init(_ replies: [FetchResult]) { self.replies = replies }

        var fetcher: HTTPFetcher {
            HTTPFetcher(
                get: { url, timeout in
                    self.urls.append(url)
                    self.timeouts.append(timeout)
                    return self.replies.isEmpty ? .unreachable("script exhausted") : self.replies.removeFirst()
                },
                monotonicNanos: {
                    self.clock += self.step
                    return self.clock
                })
        }
    }

    final class Logs: @unchecked Sendable {
        var lines: [(PluginLogLevel, String)] = []
        var log: ScrapeLog { { self.lines.append(($0, $1)) } }
        var warnings: [String] { lines.filter { $0.0 == .warn || $0.0 == .error }.map(\.1) }
    }

    private static let ok = FetchResult.response(status: 200, body: Array(#"{"requests_total": 5}"#.utf8))

    func testEachFailureKindIsLoggedOncePerChange() {
        let script = Script([
            Self.ok,
            .response(status: 500, body: Array("oops".utf8)),
            .response(status: 500, body: []),
            .response(status: 503, body: []),
            .unreachable("connect refused"),
            .unreachable("timed out"),
            .response(status: 200, body: Array("{bad".utf8)),
            .response(status: 200, body: Array("[1]".utf8)),
            Self.ok,
            Self.ok,
        ])
        let logs = Logs()
        var scraper = MetricsScraper(endpoint: "api", url: "http://127.0.0.1:1/metrics", timeoutMs: 750)
        var outcomes: [ScrapeOutcome] = []
        for _ in 0..<10 { outcomes.append(scraper.scrape(script.fetcher, log: logs.log)) }

        let info = { (status: Int?) in ScrapeInfo(scrapeMs: 3, httpStatus: status) }
        XCTAssertEqual(outcomes[1], .down(info(500)))
        XCTAssertEqual(outcomes[3], .down(info(503)))
        XCTAssertEqual(outcomes[4], .down(info(nil)))
        XCTAssertEqual(outcomes[6], .noRow)
        XCTAssertEqual(outcomes[7], .noRow, "valid JSON that is not an object is no row either")
        guard case .up(let document, let upInfo, _) = outcomes[9] else { return XCTFail("\(outcomes[9])") }
        XCTAssertEqual(upInfo, info(200))
        XCTAssertEqual(document["requests_total"], .number(JSONNumber(literal: "5", isIntegerLiteral: true)))

        let warnings = logs.warnings
        XCTAssertEqual(warnings.count, 4, warnings.joined(separator: "\n"))
        XCTAssertTrue(warnings[0].contains("HTTP 500"), warnings[0])
        XCTAssertTrue(warnings[1].contains("HTTP 503"), warnings[1])
        XCTAssertTrue(warnings[2].contains("unreachable: connect refused"), warnings[2])
        XCTAssertTrue(warnings[3].contains("malformed JSON") && warnings[3].contains("\"{bad\""), warnings[3])
        let recoveries = logs.lines.filter { $0.0 == .info }.map(\.1)
        XCTAssertEqual(recoveries.count, 1, "the first success is not news; the recovery is")
        XCTAssertTrue(recoveries[0].contains("answering again"))
        XCTAssertEqual(Set(script.timeouts), [750])
        XCTAssertEqual(Set(script.urls), ["http://127.0.0.1:1/metrics"])
    }

    func testRefusedURLLogsAnErrorOnceAndWritesNothing() {
        let script = Script([.refused("only http:// URLs"), .refused("only http:// URLs")])
        let logs = Logs()
        var scraper = MetricsScraper(endpoint: "proxy", url: "http://x/", timeoutMs: 100)
        XCTAssertEqual(scraper.scrape(script.fetcher, log: logs.log), .noRow)
        XCTAssertEqual(scraper.scrape(script.fetcher, log: logs.log), .noRow)
        XCTAssertEqual(logs.lines.count, 1)
        XCTAssertEqual(logs.lines.first?.0, .error)
    }

    func testApiRowsCarryIntervalRates() throws {
        let script = Script([
            .response(status: 200, body: try Fixture.bytes("api_metrics_1.json")),
            .response(status: 200, body: try Fixture.bytes("api_metrics_2.json")),
            .response(status: 502, body: []),
            .response(status: 200, body: Array(#"{"requests_total": 100, "errors_total": 1, "uptime_secs": 5}"#.utf8)),
        ])
        script.step = 5_000_000_000 // 5 s per clock read: 10 s between the two samples' completion
        let logs = Logs()
        var recorder = ApiRecorder(scraper: MetricsScraper(endpoint: "api", url: "http://a/", timeoutMs: 2000), extraMaxBytes: 100_000)

        let first = try XCTUnwrap(recorder.sample(script.fetcher, log: logs.log))
        XCTAssertEqual(first["up"], .bool(true))
        XCTAssertEqual(first["requests_total"], .int(1_250_000))
        XCTAssertEqual(first["requests_per_sec"], .null, "the priming sample has no rate")
        XCTAssertEqual(first["error_rate_pct"], .null)
        XCTAssertEqual(first["cache_hit_ratio"], .double(0.98))
        XCTAssertEqual(first["scrape_ms"], .double(5000))

        let second = try XCTUnwrap(recorder.sample(script.fetcher, log: logs.log))
        XCTAssertEqual(second["requests_per_sec"], .double(40), "400 requests in 10 s")
        XCTAssertEqual(second["error_rate_pct"], .double(2.5), "10 errors in 400 requests")

        let down = try XCTUnwrap(recorder.sample(script.fetcher, log: logs.log))
        XCTAssertEqual(down["up"], .bool(false))
        XCTAssertEqual(down["http_status"], .int(502))
        XCTAssertEqual(down.values(for: ApiMetricsTable.layout).filter { $0 != .null }.count, 3, "only up, scrape_ms and http_status")

        let restarted = try XCTUnwrap(recorder.sample(script.fetcher, log: logs.log))
        XCTAssertEqual(restarted["requests_total"], .int(100))
        XCTAssertEqual(restarted["requests_per_sec"], .null, "the counter dropped: re-primed, no negative rate")
        XCTAssertEqual(restarted["error_rate_pct"], .null)
        XCTAssertEqual(restarted["extra"], .null, "nothing unrecognised")
    }

    func testReportedFiguresAreFallbacks() throws {
        var recorder = ApiRecorder(scraper: MetricsScraper(endpoint: "api", url: "http://a/", timeoutMs: 2000), extraMaxBytes: 0)
        let flat = ApiMetrics(document: try Fixture.json("api_metrics_flat.json"))
        var derived = recorder.derive(flat, atNanos: 1)
        XCTAssertNil(derived.requestsPerSec, "a counter is present: its rate (none yet) is used, not the endpoint's")
        XCTAssertEqual(try XCTUnwrap(derived.errorRatePct), 0.42, accuracy: 1e-12, "the endpoint's own error rate, as a percentage")
        var noCounter = ApiMetrics()
        noCounter.reportedRequestsPerSec = 12
        derived = recorder.derive(noCounter, atNanos: 2)
        XCTAssertEqual(derived.requestsPerSec, 12)
        XCTAssertNil(derived.errorRatePct)
    }

    func testErrorRateFromServerErrorsWhenNoErrorCounter() throws {
        var recorder = ApiRecorder(scraper: MetricsScraper(endpoint: "api", url: "http://a/", timeoutMs: 2000), extraMaxBytes: 0)
        let doc = { (text: String) in ApiMetrics(document: try JSONParser.parse(Array(text.utf8)).get()) }
        _ = recorder.derive(try doc(#"{"requests_total": 1000, "status_5xx_total": 10}"#), atNanos: 1_000_000_000)
        let derived = recorder.derive(try doc(#"{"requests_total": 1200, "status_5xx_total": 15}"#), atNanos: 3_000_000_000)
        XCTAssertEqual(derived.requestsPerSec, 100)
        XCTAssertEqual(derived.errorRatePct, 2.5)
        let idle = recorder.derive(try doc(#"{"requests_total": 1200, "status_5xx_total": 15}"#), atNanos: 5_000_000_000)
        XCTAssertEqual(idle.requestsPerSec, 0)
        XCTAssertNil(idle.errorRatePct, "no request in the interval: no error rate")
    }

    func testProxyRowRateFromRequestCounter() throws {
        let script = Script([
            .response(status: 200, body: try Fixture.bytes("proxy_metrics_1.json")),
            .response(status: 200, body: try Fixture.bytes("proxy_metrics_2.json")),
        ])
        script.step = 5_000_000_000
        var recorder = ProxyRecorder(scraper: MetricsScraper(endpoint: "proxy", url: "http://p/", timeoutMs: 2000), extraMaxBytes: 100_000)
        let logs = Logs()
        let first = try XCTUnwrap(recorder.sample(script.fetcher, log: logs.log))
        XCTAssertEqual(first["requests_per_sec"], .null)
        XCTAssertEqual(first["blocked_ips"], .int(3))
        let second = try XCTUnwrap(recorder.sample(script.fetcher, log: logs.log))
        XCTAssertEqual(second["requests_per_sec"], .double(60), "600 requests in 10 s")
        XCTAssertEqual(second["blocked_ips"], .int(4))
        guard case .json(let extra) = second["extra"] else { return XCTFail("extra is not JSON") }
        XCTAssertTrue(extra.contains(#""backends":{"api":"healthy","static":"degraded"}"#), extra)
        XCTAssertTrue(logs.lines.isEmpty)
    }

    func testColumnListsAreStable() {
        let api = ApiMetricsTable.layout.columnNames, proxy = ProxyMetricsTable.layout.columnNames
        XCTAssertEqual(api.count, 25)
        XCTAssertEqual(proxy.count, 24)
        XCTAssertEqual(api.first, "up")
        XCTAssertEqual(api.last, "extra")
        XCTAssertEqual(Set(api).count, api.count)
        XCTAssertEqual(Set(proxy).count, proxy.count)
    }

    func testExtraIsCapped() {
        let big = JSONValue.object((0..<50).map { JSONMember(key: "k\($0)", value: .string(String(repeating: "x", count: 100))) })
        guard case .json(let text) = ExtraColumn.cell(big, maxBytes: 1000) else { return XCTFail() }
        XCTAssertTrue(text.hasPrefix(#"{"truncated":true,"bytes":"#), text)
        XCTAssertTrue(text.contains(#""keys":["k0","k1","#), text)
        XCTAssertLessThan(text.utf8.count, 1000)
        XCTAssertEqual(ExtraColumn.cell(big, maxBytes: 0), .null, "0 disables extra")
        XCTAssertEqual(ExtraColumn.cell(.object([JSONMember(key: "a", value: .null)]), maxBytes: 100), .json(#"{"a":null}"#))
    }

    func testBodySnippetIsShortAndEscaped() {
        let body: [UInt8] = Array("{\"a\":\t\"".utf8) + [0x00, 0xFF, 0x0A] + Array(repeating: UInt8(ascii: "z"), count: 200)
        let snippet = BodySnippet.make(body)
        XCTAssertTrue(snippet.hasPrefix(#""{\"a\":\t\"\x00\xFF\nzzz"#), snippet)
        XCTAssertTrue(snippet.hasSuffix("\"... (210 bytes)"), snippet)
        XCTAssertEqual(snippet.filter { $0 == "z" }.count, 80 - 10)
        XCTAssertEqual(BodySnippet.make(Array("ok".utf8)), "\"ok\"")
    }

    func testSettingsFromConfig() throws {
        let global: [String: ConfigValue] = [
            "scrape.api_metrics_url": .string("  http://127.0.0.1:3003/metrics "),
            "scrape.proxy_metrics_url": .string(""),
            "scrape.timeout_ms": .int(500),
        ]
        let s = try ScrapeSettings(global: { key, _ in global[key] }, plugin: { $0 == "extra_max_bytes" ? .int(0) : nil })
        XCTAssertEqual(s, ScrapeSettings(apiURL: "http://127.0.0.1:3003/metrics", proxyURL: "", timeoutMs: 500, extraMaxBytes: 0))
        let defaults = try ScrapeSettings(global: { _, _ in nil }, plugin: { _ in nil })
        XCTAssertEqual(defaults.apiURL, "http://127.0.0.1:3003/metrics", "the spec's URLs are the plugin's defaults")
        XCTAssertEqual(defaults.proxyURL, "http://127.0.0.1:8082/metrics/json")
        XCTAssertEqual(defaults.timeoutMs, 2000)
        XCTAssertEqual(defaults.extraMaxBytes, 16_384)
    }

    /// The plugin owns [scrape]: a bad value is an error naming the key (the host exits 2 on it).
    func testBadSettingsNameTheirKey() {
        func key(_ global: [String: ConfigValue]) -> String? {
            do {
                _ = try ScrapeSettings(global: { k, _ in global[k] }, plugin: { _ in nil })
                return nil
            } catch { return error.key }
        }
        XCTAssertEqual(key(["scrape.timeout_ms": .int(5)]), "scrape.timeout_ms")
        XCTAssertEqual(key(["scrape.timeout_ms": .string("fast")]), "scrape.timeout_ms")
        XCTAssertEqual(key(["scrape.api_metrics_url": .int(1)]), "scrape.api_metrics_url")
        XCTAssertNil(key(["scrape.timeout_ms": .int(60_000)]))
    }

    func testTickDisablesEmptyAndNonHTTPEndpoints() {
        let logs = Logs()
        let tick = AppMetricsTick(settings: ScrapeSettings(apiURL: "https://api/metrics", proxyURL: ""), log: logs.log)
        XCTAssertNil(tick.api)
        XCTAssertNil(tick.proxy)
        XCTAssertTrue(logs.lines.contains { $0.0 == .error && $0.1.contains("not an http:// URL") })
        XCTAssertTrue(logs.lines.contains { $0.0 == .warn && $0.1.contains("no metrics endpoint") })
        let script = Script([])
        var mutableTick = tick
        var emitted = 0
        let result = mutableTick.run(script.fetcher, log: logs.log) { _, _ in emitted += 1 }
        XCTAssertEqual(result, .ok)
        XCTAssertEqual(emitted, 0)
        XCTAssertTrue(script.urls.isEmpty, "nothing is fetched")
    }
}

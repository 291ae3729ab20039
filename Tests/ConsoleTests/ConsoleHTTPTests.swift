import CollectorCore
import CollectorTestSupport
@testable import ConsoleKit
import Foundation
import Logging
import XCTest

/// The console over HTTP, against a real database filled by `HistoryGenerator`:
/// every page, escaping of hostile database text, the CSRF and token gates, and
/// the /metrics format.
final class ConsoleHTTPTests: XCTestCase {
    nonisolated(unsafe) static var db: TestDatabase?

    override class func setUp() {
        super.setUp()
        do {
            let db = try TestDatabase.create(migrated: true)
            var generator = HistoryGenerator()
            generator.hosts = 3
            try generator.fill(try db.connect())
            // A log line with terminal escapes and characters that are not valid
            // in HTML, as a hostile client would write into a log.
            _ = try db.connect().query("""
                INSERT INTO collector.log_entries (host, ts, source, level, message, context)
                VALUES ('host-01', now() - interval '1 minute', 'auth', 'error', $1, jsonb_build_object('client_ip', $2::text))
                """, ["evil \u{1B}[31m\u{7F} \u{85}<b>bold</b> \(String(decoding: [0x66, 0xFF, 0xFE, 0x6F], as: UTF8.self))",
                      "\"><svg onload=alert(3)>"])
            // A pattern the log_patterns analyzer grouped by template.
            _ = try db.connect().execute("""
                UPDATE collector.log_patterns SET template_id = 7, template = 'request <*> served in <*> ms'
                WHERE host = 'host-01' AND fingerprint = 'a1b2c3d4e5f60000'
                """)
            self.db = db
        } catch {
            XCTFail("database: \(error)")
        }
    }

    override class func tearDown() {
        db?.drop()
        super.tearDown()
    }

    /// Runs a console on an ephemeral port for `body`.
    private func withConsole(token: String = "", statsPath: String = "/nonexistent/stats.json", dbConfig: DatabaseConfig? = nil,
                             configure: (inout ConsoleSettings) -> Void = { _ in },
                             _ body: (HTTPProbe, ConsoleSettings) throws -> Void) throws {
        let db = try XCTUnwrap(Self.db)
        var settings = ConsoleSettings()
        configure(&settings)
        settings.port = 0
        settings.token = token
        settings.statsPath = statsPath
        settings.localHost = "host-01"
        let database = ConsoleDatabase(config: dbConfig ?? db.config, size: 2)
        defer { database.shutdown() }
        let server = ConsoleServer(database: database, settings: settings)
        let ready = PortBox()
        var logger = Logging.Logger(label: "test")
        logger.logLevel = .critical // cancelling the server task at the end logs a shutdown error
        let app = server.makeApplication(logger: logger) { port in ready.set(port) }
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { task.cancel() }
        let port = try ready.wait()
        try body(HTTPProbe(port: port), settings)
    }

    func testEveryPageRenders() throws {
        try withConsole { http, _ in
            let pages = ["/", "/host/host-01", "/alerts", "/alerts?severity=critical&status=all&q=disk", "/recommendations",
                         "/recommendations?host=host-02", "/slos", "/slos?host=host-01", "/logs", "/logs?level=error&q=evil",
                         "/logs?source=auth&host=host-01&from=2000-01-01T00:00&to=2100-01-01T00:00&page=1", "/health"]
                + ChartRange.allCases.map { "/host/host-02?range=\($0.rawValue)" }
            for page in pages {
                let r = try http.get(page)
                XCTAssertEqual(r.status, 200, page)
                XCTAssertEqual(r.header("Content-Type"), "text/html; charset=utf-8", page)
                XCTAssertEqual(r.header("Content-Security-Policy"), ConsoleServer.contentSecurityPolicy, page)
                XCTAssertEqual(r.header("X-Content-Type-Options"), "nosniff")
                XCTAssertTrue(r.body.hasPrefix("<!DOCTYPE html>"), page)
                XCTAssertTrue(r.body.hasSuffix("</html>\n"), page)
                XCTAssertFalse(r.body.contains("<script"), "no script on \(page)")
                XCTAssertFalse(r.body.contains("style=\""), "no inline style on \(page) (CSP)")
            }
            let fleet = try http.get("/").body
            XCTAssertTrue(fleet.contains("href=\"/host/host-01\""), fleet)
            XCTAssertTrue(fleet.contains("critical"), "host-03's heartbeat is 20 minutes old")
            XCTAssertTrue(try http.get("/host/host%2D01").body.contains("Host host-01"), "path segments are percent-decoded")
            let host = try http.get("/host/host-01?range=24h").body
            XCTAssertTrue(host.contains("<polyline class=\"line\""), "charts drawn from raw rows")
            XCTAssertTrue(host.contains("<circle class=\"mark\""), "anomaly markers from insights")
            XCTAssertTrue(try http.get("/host/host-01?range=1y").body.contains("<polyline"), "daily rollups")
            let recs = try http.get("/recommendations").body
            XCTAssertTrue(recs.contains("<pre><code>VACUUM (VERBOSE, ANALYZE) public.orders;</code></pre>"), recs)
            XCTAssertTrue(try http.get("/logs?host=host-01").body.contains("request &lt;*&gt; served in &lt;*&gt; ms"), "a pattern's template")
            let slos = try http.get("/slos").body
            XCTAssertTrue(slos.contains("api_latency_p95"))
            XCTAssertTrue(slos.contains("api_uptime: error budget remaining"), "budget remaining charted")
            XCTAssertTrue(slos.contains("api_uptime: burn rate") && slos.contains("<span class=\"k3\">3d</span>"), "burn rates of the 1 h, 6 h, 3 d windows")
            XCTAssertTrue(slos.contains("<polyline class=\"line l2\"") && slos.contains("<line class=\"ref\""), "three lines and the pace of 1")
            XCTAssertEqual(try http.get("/static/console.css").status, 200)
            XCTAssertEqual(try http.get("/no-such-page").status, 404)
        }
    }

    func testDatabaseTextIsEscaped() throws {
        try withConsole { http, _ in
            for page in ["/", "/host/host-01", "/alerts", "/recommendations", "/logs?level=error", "/logs?q=login", "/health"] {
                let body = try http.get(page).body
                XCTAssertFalse(body.contains("<script>alert"), page)
                XCTAssertFalse(body.contains("<img src=x"), page)
                XCTAssertFalse(body.contains("<svg onload"), page)
                XCTAssertFalse(body.contains("<b>bold"), page)
                XCTAssertFalse(body.contains("\u{1B}"), "no raw control characters on \(page)")
            }
            let alerts = try http.get("/alerts").body
            XCTAssertTrue(alerts.contains("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), alerts)
            let logs = try http.get("/logs?level=error&q=evil+%1B%5B31m").body
            XCTAssertTrue(logs.contains("value=\"evil \u{FFFD}[31m\""), "a form's + is a space, %XX decoded, the value escaped")
            XCTAssertTrue(logs.contains("evil \u{FFFD}[31m\u{FFFD} \u{FFFD}&lt;b&gt;bold&lt;/b&gt; f\u{FFFD}\u{FFFD}o"), logs)
            XCTAssertTrue(logs.contains("&quot;&gt;&lt;svg onload=alert(3)&gt;"), "context JSON escaped too")
        }
        // Invalid UTF-8 never reaches a page as such: Swift repairs it when the text is decoded.
        XCTAssertEqual(HTML.escape(String(decoding: [0x3C, 0xFF, 0x22, 0xC3], as: UTF8.self)), "&lt;\u{FFFD}&quot;\u{FFFD}")
    }

    /// The CSRF token of a fresh browser session: the cookie the recommendations page sets, and the token in its form.
    private func csrfSession(_ http: HTTPProbe, headers: [String: String] = [:]) throws -> (cookie: String, token: String) {
        let page = try http.get("/recommendations", headers: headers)
        XCTAssertEqual(page.status, 200)
        let setCookie = try XCTUnwrap(page.header("Set-Cookie"), "a page with a form starts a CSRF session")
        XCTAssertTrue(setCookie.hasPrefix("pqc_csrf=") && setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie)
        let cookie = String(setCookie.split(separator: ";")[0])
        let token = String(cookie.dropFirst("pqc_csrf=".count))
        XCTAssertTrue(page.body.contains("name=\"csrf\" value=\"\(token)\""), "the form carries the session's token")
        return (cookie, token)
    }

    func testAcknowledgingNeedsTheCSRFToken() throws {
        let db = try XCTUnwrap(Self.db)
        let id = try XCTUnwrap(try db.scalar("SELECT id FROM collector.recommendations WHERE host = 'host-02'"))
        try withConsole { http, _ in
            let (cookie, token) = try csrfSession(http)
            let (otherCookie, otherToken) = try csrfSession(http)
            XCTAssertNotEqual(token, otherToken, "each browser session gets its own token")
            let path = "/recommendations/\(id)/ack"
            // Refused: no token, a wrong one, a token without its cookie, another session's token, a cross-site POST.
            XCTAssertEqual(try http.post(path, form: ["acknowledged": "true"], headers: ["Cookie": cookie]).status, 403)
            XCTAssertEqual(try http.post(path, form: ["acknowledged": "true", "csrf": "0123"], headers: ["Cookie": cookie]).status, 403)
            XCTAssertEqual(try http.post(path, form: ["acknowledged": "true", "csrf": String(repeating: "0", count: 32)],
                                         headers: ["Cookie": cookie]).status, 403)
            XCTAssertEqual(try http.post(path, form: ["acknowledged": "true", "csrf": token]).status, 403)
            XCTAssertEqual(try http.post(path, form: ["acknowledged": "true", "csrf": otherToken], headers: ["Cookie": cookie]).status, 403)
            XCTAssertEqual(try http.post(path, form: ["acknowledged": "true", "csrf": token], headers: ["Cookie": otherCookie]).status, 403)
            XCTAssertEqual(try http.post(path, form: ["acknowledged": "true", "csrf": token],
                                         headers: ["Cookie": cookie, "Origin": "http://evil.example"]).status, 403)
            XCTAssertEqual(try http.post(path, form: ["acknowledged": "true", "csrf": token],
                                         headers: ["Cookie": cookie, "Sec-Fetch-Site": "cross-site"]).status, 403)
            XCTAssertEqual(try db.scalar("SELECT acknowledged FROM collector.recommendations WHERE id = $1", [id]), "f")

            // The session keeps its token: a page loaded with the cookie sets none and carries the same one.
            let again = try http.get("/recommendations?host=host-02", headers: ["Cookie": cookie])
            XCTAssertNil(again.header("Set-Cookie"))
            XCTAssertTrue(again.body.contains("name=\"csrf\" value=\"\(token)\""))
            let ok = try http.post(path, form: ["acknowledged": "true", "csrf": token],
                                   headers: ["Cookie": cookie, "Origin": "http://127.0.0.1:\(http.port)", "Sec-Fetch-Site": "same-origin"])
            XCTAssertEqual(ok.status, 303)
            XCTAssertEqual(ok.header("Location"), "/recommendations?done=ack")
            XCTAssertEqual(try db.scalar("SELECT acknowledged::text || ' ' || acknowledged_by FROM collector.recommendations WHERE id = $1", [id]), "true console")
            // Hidden while acknowledged, listed on request.
            XCTAssertFalse(try http.get("/recommendations?host=host-02").body.contains("Un-acknowledge"))
            XCTAssertTrue(try http.get("/recommendations?host=host-02&ack=show").body.contains("Un-acknowledge"))
            XCTAssertEqual(try http.post(path, form: ["acknowledged": "false", "csrf": otherToken], headers: ["Cookie": otherCookie]).status, 303)
            XCTAssertEqual(try db.scalar("SELECT acknowledged FROM collector.recommendations WHERE id = $1", [id]), "f")
            XCTAssertEqual(try http.post("/recommendations/999999/ack", form: ["csrf": token], headers: ["Cookie": cookie]).status, 404)
        }
    }

    func testConfiguredTokenGuardsEveryPage() throws {
        let db = try XCTUnwrap(Self.db)
        let id = try XCTUnwrap(try db.scalar("SELECT id FROM collector.recommendations WHERE host = 'host-03'"))
        try withConsole(token: "s3cret-token") { http, _ in
            let page = try http.get("/")
            XCTAssertEqual(page.status, 303)
            XCTAssertEqual(page.header("Location"), "/login")
            XCTAssertEqual(try http.get("/metrics").status, 401)
            XCTAssertEqual(try http.get("/login").status, 200)
            // A POST with a valid CSRF session but no credential is refused and changes nothing.
            let csrf = try csrfSession(http, headers: ["Authorization": "Bearer s3cret-token"])
            XCTAssertEqual(try http.post("/recommendations/\(id)/ack", form: ["acknowledged": "true", "csrf": csrf.token],
                                         headers: ["Cookie": csrf.cookie]).status, 303)
            XCTAssertEqual(try db.scalar("SELECT acknowledged FROM collector.recommendations WHERE id = $1", [id]), "f")
            XCTAssertEqual(try http.get("/", headers: ["Authorization": "Bearer wrong"]).status, 303)
            XCTAssertEqual(try http.get("/", headers: ["Authorization": "Bearer s3cret-token"]).status, 200)
            XCTAssertEqual(try http.get("/metrics", headers: ["Authorization": "Bearer s3cret-token"]).status, 200)
            XCTAssertEqual(try http.post("/login", form: ["token": "nope"]).status, 401)
            let login = try http.post("/login", form: ["token": "s3cret-token"])
            XCTAssertEqual(login.status, 303)
            let cookie = try XCTUnwrap(login.header("Set-Cookie"))
            XCTAssertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie)
            let session = String(cookie.split(separator: ";")[0])
            XCTAssertEqual(try http.get("/health", headers: ["Cookie": session]).status, 200)
            XCTAssertEqual(try http.post("/recommendations/\(id)/ack", form: ["acknowledged": "true", "csrf": csrf.token],
                                         headers: ["Cookie": session + "; " + csrf.cookie]).status, 303)
            XCTAssertEqual(try db.scalar("SELECT acknowledged FROM collector.recommendations WHERE id = $1", [id]), "t")
        }
    }

    func testMetricsExposition() throws {
        let dir = NSTemporaryDirectory() + "console-stats-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try """
            {"written_at_us":1764370000000000,"buffered_rows":3,"buffered_bytes":512,"counters":{"writer.rows_written":1200,"writer.flushes":40,"writer.rejected_rows":0,"writer.dropped_rows":0,"logs.rows_committed":77},
             "ticks":{"system_metrics/sys":{"runs":10,"failures":0,"consecutive_failures":0,"skipped":0,"backoff_secs":0,"last_duration_ms":1.5,"max_duration_ms":4.25,"disabled":false,"last_error":null}}}
            """.write(toFile: dir + "/stats.json", atomically: true, encoding: .utf8)
        try withConsole(statsPath: dir + "/stats.json") { http, _ in
            let r = try http.get("/metrics")
            XCTAssertEqual(r.status, 200)
            XCTAssertEqual(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8")
            var typed: [String: String] = [:]
            var finished: Set<String> = []
            var current = ""
            for line in r.body.split(separator: "\n").map(String.init) {
                if line.hasPrefix("# TYPE ") {
                    let parts = line.split(separator: " ")
                    XCTAssertEqual(parts.count, 4, line)
                    XCTAssertTrue(["counter", "gauge"].contains(String(parts[3])), line)
                    typed[String(parts[2])] = String(parts[3])
                    continue
                }
                if line.hasPrefix("#") { continue }
                let name = String(line.prefix { $0 != "{" && $0 != " " })
                XCTAssertNotNil(typed[name], "sample before its # TYPE: \(line)")
                if name != current {
                    XCTAssertFalse(finished.contains(name), "family \(name) split into two groups")
                    finished.insert(current)
                    current = name
                }
                let value = try XCTUnwrap(line.split(separator: " ").last)
                XCTAssertNotNil(Double(value), line)
                if typed[name] == "counter" { XCTAssertTrue(name.hasSuffix("_total"), name) }
            }
            XCTAssertTrue(r.body.contains("pqc_tick_runs_total{host=\"host-01\",plugin=\"system_metrics\",tick=\"sys\"} 8640"), r.body)
            XCTAssertTrue(r.body.contains("pqc_tick_backoff_seconds{host=\"host-01\",plugin=\"app_metrics\",tick=\"scrape\"} 40"))
            XCTAssertTrue(r.body.contains("pqc_writer_rows_written_total{host=\"host-01\"} 1200"))
            XCTAssertTrue(r.body.contains("pqc_writer_buffered_bytes{host=\"host-01\"} 512"))
            XCTAssertTrue(r.body.contains("pqc_stats_tick_max_duration_seconds{host=\"host-01\",plugin=\"system_metrics\",tick=\"sys\"} 0.00425"))
            XCTAssertTrue(r.body.contains("pqc_log_rows_last_hour{host=\"host-01\",source=\"auth\"}"))
            XCTAssertTrue(r.body.contains("pqc_log_source_lag_seconds{host=\"host-01\",source=\"postgresql\"}"))
            XCTAssertTrue(r.body.contains("pqc_heartbeat_age_seconds{host=\"host-03\"}"))
        }
    }

    /// A read-only role sees every page; acknowledging is refused with a message saying why.
    func testReadOnlyRole() throws {
        let db = try XCTUnwrap(Self.db)
        let role = "console_ro_\(getpid())"
        try TestDatabase.admin("DROP ROLE IF EXISTS \(role); CREATE ROLE \(role) LOGIN")
        defer { try? TestDatabase.admin("DROP OWNED BY \(role) CASCADE; DROP ROLE IF EXISTS \(role)") }
        try db.execute("GRANT USAGE ON SCHEMA collector TO \(role); GRANT SELECT ON ALL TABLES IN SCHEMA collector TO \(role)")
        defer { try? db.execute("REVOKE ALL ON ALL TABLES IN SCHEMA collector FROM \(role); REVOKE USAGE ON SCHEMA collector FROM \(role)") }
        var config = db.config
        config.user = role
        let id = try XCTUnwrap(try db.scalar("SELECT id FROM collector.recommendations WHERE host = 'host-01'"))
        try withConsole(dbConfig: config) { http, _ in
            for page in ["/", "/host/host-01", "/alerts", "/recommendations", "/slos", "/logs", "/health", "/metrics"] {
                XCTAssertEqual(try http.get(page).status, 200, page)
            }
            let csrf = try csrfSession(http)
            let r = try http.post("/recommendations/\(id)/ack", form: ["acknowledged": "true", "csrf": csrf.token], headers: ["Cookie": csrf.cookie])
            XCTAssertEqual(r.status, 403)
            XCTAssertTrue(r.body.contains("read-only"), r.body)
        }
    }

    func testUnreachableDatabaseIsA503() throws {
        var config = DatabaseConfig()
        config.host = "127.0.0.1"
        config.port = 1
        config.sslmode = "disable"
        try withConsole(dbConfig: config) { http, _ in
            XCTAssertEqual(try http.get("/").status, 503)
            XCTAssertEqual(try http.get("/metrics").status, 503)
            XCTAssertEqual(try http.get("/static/console.css").status, 200)
        }
    }

    func testNonLoopbackListenNeedsAToken() async throws {
        let status = await ConsoleCommand.run(["--listen", "0.0.0.0:0", "--config", "/dev/null"])
        XCTAssertEqual(status, 2)
        XCTAssertEqual(ConsoleCommand.parseListen("[::1]:8470"), .init(host: "::1", port: 8470))
        XCTAssertNil(ConsoleCommand.parseListen("8470"))
    }

    func testLogSearchIsAlwaysTimeBounded() {
        struct P: QueryParameterSource {
            var d: [String: String]
            func get(_ name: String) -> String? { d[name] }
        }
        let now = 1_764_370_000.0
        let q = ConsoleServer.logQuery(P(d: [:]), now: now)
        XCTAssertEqual(q.to - q.from, 3600, "default: the last hour")
        let wide = ConsoleServer.logQuery(P(d: ["from": "2000-01-01T00:00", "to": "2100-01-01T00:00"]), now: now)
        XCTAssertLessThanOrEqual(wide.to, now + 60)
        XCTAssertEqual(wide.to - wide.from, ConsoleServer.maxLogSpan)
        let text = ConsoleServer.logQuery(P(d: ["from": "2000-01-01T00:00", "q": "x"]), now: now)
        XCTAssertEqual(text.to - text.from, ConsoleServer.maxLogSpan, "a text search too: each request reads a bounded number of rows")
        let bad = ConsoleServer.logQuery(P(d: ["from": "garbage", "page": "-4"]), now: now)
        XCTAssertEqual(bad.page, 0)
        XCTAssertEqual(bad.to - bad.from, 3600)
    }
}

extension ConsoleHTTPTests {
    /// A search whose matches are rare reads a bounded number of rows per
    /// request, says how far back it got and links to the rest; following the
    /// links finds every match exactly once.
    func testLogSearchReadsABoundedNumberOfRowsPerRequest() throws {
        let db = try XCTUnwrap(Self.db)
        // 5,000 rows over a week (~30 an hour): a budget of 2,000 rows covers about 2.8 days.
        let from = "2000-01-01T00:00"
        let expected = try XCTUnwrap(Int(try db.scalar("SELECT count(*) FROM collector.log_entries WHERE strpos(lower(message), 'login') > 0") ?? ""))
        try withConsole(configure: { $0.logScanRows = 2_000; $0.logAggregateRows = 100 }) { http, _ in
            var path = "/logs?from=\(from)&q=login"
            var found = 0, requests = 0
            while requests < 10 {
                requests += 1
                let r = try http.get(path)
                XCTAssertEqual(r.status, 200)
                let table = r.body.components(separatedBy: "<h2>Patterns</h2>")[0]
                found += table.components(separatedBy: "<td class=\"msg\">login failed").count - 1
                guard let range = r.body.range(of: "\">search before ") else { break }
                XCTAssertTrue(r.body.contains("Searched back to "), "the page says where the scan stopped")
                let start = try XCTUnwrap(r.body[..<range.lowerBound].range(of: "href=\"/logs?", options: .backwards))
                path = "/logs?" + String(r.body[start.upperBound..<range.lowerBound]).replacingOccurrences(of: "&amp;", with: "&")
                XCTAssertTrue(path.contains("q=login") && path.contains("from=2"), path)
            }
            XCTAssertGreaterThanOrEqual(requests, 3, "a week of rows at 2,000 a request takes several requests")
            XCTAssertLessThan(requests, 10)
            XCTAssertEqual(found, expected, "every match once, none skipped or repeated at the seams")
            let spans = try http.get("/logs?from=\(from)").body
            XCTAssertTrue(spans.contains("sparklines for error, warn and fatal templates since "), spans)
        }
    }

    func testLogVolumeSizesSpans() {
        // 3,600 rows an hour from 10:00 to 12:00 (hours as epoch seconds); 13:00 not rolled up yet.
        var v = LogVolume(coveredFrom: 10 * 3600, hours: [10 * 3600: [3600, 360, 36], 11 * 3600: [3600, 360, 36], 12 * 3600: [3600, 360, 36]])
        XCTAssertEqual(v.rows(.all, from: 10 * 3600, to: 12 * 3600), 7200)
        XCTAssertEqual(v.rows(.all, from: 13 * 3600, to: 13.5 * 3600), 1800, "an hour after the newest rolled-up one is as busy as it")
        XCTAssertEqual(v.rows(.all, from: 5 * 3600, to: 6 * 3600), 0, "an hour without a rollup row before it is quiet")
        XCTAssertEqual(v.spanStart(.all, to: 13 * 3600, from: 0, budget: 5400, minSpan: 60), 11.5 * 3600)
        XCTAssertEqual(v.spanStart(.problems, to: 13 * 3600, from: 12.5 * 3600, budget: 5400, minSpan: 60), 12.5 * 3600, "never before from")
        XCTAssertEqual(v.spanStart(.security, to: 13 * 3600, from: 0, budget: 1, minSpan: 300), 13 * 3600 - 300, "at least minSpan")
        XCTAssertEqual(v.spanStart(.security, to: 13 * 3600, from: 0, budget: 1e9, minSpan: 300), 0, "a quiet log: the whole window")
        v.merge(LogVolume(coveredFrom: 9 * 3600, hours: [9 * 3600: [1, 1, 1], 10 * 3600: [0, 0, 0]]))
        XCTAssertEqual(v.coveredFrom, 9 * 3600)
        XCTAssertEqual(v.rows(.all, from: 9 * 3600, to: 11 * 3600), 3601, "merging keeps the counts it had")
        XCTAssertFalse(LogVolume(coveredFrom: 0).isKnown)
    }
}

/// The port the server bound, handed from its start callback to the test thread.
final class PortBox: @unchecked Sendable {
    private let lock = NSCondition()
    private var port: Int?

    func set(_ p: Int) {
        lock.lock()
        port = p
        lock.broadcast()
        lock.unlock()
    }

    func wait() throws -> Int {
        lock.lock()
        defer { lock.unlock() }
        let deadline = Date().addingTimeInterval(10)
        while port == nil { if !lock.wait(until: deadline) { break } }
        guard let port, port > 0 else { throw HTTPProbe.ProbeError.connect }
        return port
    }
}

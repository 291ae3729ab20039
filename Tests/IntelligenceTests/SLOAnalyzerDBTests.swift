import CollectorTestSupport
import Foundation
import XCTest
@testable import CollectorCore
@testable import IntelligenceCore
import PluginKit

/// The SLO analyzer against the real database: figures on a constructed series
/// checked by hand, burn-rate alerts firing and resolving at the expected runs,
/// and the same analyzer loaded from libIntelligence.so with the host's
/// FindingStore (an alert the analyzer stops reporting is resolved).
final class SLOAnalyzerDBTests: XCTestCase {
    /// The analyzer's SQL on a plain connection (what the host's `query` does).
    final class DirectSQL: IntelSQL {
        let connection: PGConnection
        var statements = 0
        init(_ db: TestDatabase) throws { connection = try db.connect() }
        func query(_ sql: String, _ params: [String?]) throws -> [[String?]] {
            statements += 1
            let r = try connection.query(sql, params)
            return (0..<r.rowCount).map { row in (0..<r.columnCount).map { r.string(row, $0) } }
        }
    }

    /// API rows of `host` every minute, ts = base + k minutes for k in `minutes`:
    /// error rate 0.5 % and p95 100 ms, except where `bad` says (error 5 %, p95
    /// 900 ms) and `down` (the scrape failed: up = false, values NULL).
    static func apiRows(host: String, base: Int64, minutes: ClosedRange<Int64>, bad: [ClosedRange<Int64>] = [],
                        down: [ClosedRange<Int64>] = []) -> String {
        func inAny(_ ranges: [ClosedRange<Int64>]) -> String {
            ranges.isEmpty ? "false" : ranges.map { "k BETWEEN \($0.lowerBound) AND \($0.upperBound)" }.joined(separator: " OR ")
        }
        return """
            INSERT INTO collector.api_metrics_raw (host, ts, up, error_rate_pct, latency_p95_ms)
            SELECT '\(host)', to_timestamp(\(base) + k * 60),
                   NOT (\(inAny(down))),
                   CASE WHEN \(inAny(down)) THEN NULL WHEN \(inAny(bad)) THEN 5 ELSE 0.5 END,
                   CASE WHEN \(inAny(down)) THEN NULL WHEN \(inAny(bad)) THEN 900 ELSE 100 END
            FROM generate_series(\(minutes.lowerBound), \(minutes.upperBound)) k;
            """
    }

    func testFiguresAndBurnRateAlertsOnAConstructedSeries() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let host = "slo-a"
        // T0: a whole hour, a day ago (raw tables have a DEFAULT partition).
        let t0 = (Int64(Date().timeIntervalSince1970) / 3_600 - 24) * 3_600
        let day: Int64 = 1_440
        // 10 days up to T0 (14 400 periods): 100 bad minutes two days before, 20
        // minutes down five days before. Then 8 hours after T0 with an incident
        // in minutes 30-89.
        try db.execute(Self.apiRows(host: host, base: t0, minutes: (-10 * day + 1)...0,
                                    bad: [(-2 * day)...(-2 * day + 99)], down: [(-5 * day)...(-5 * day + 19)]))
        try db.execute(Self.apiRows(host: host, base: t0, minutes: 1...480, bad: [30...89]))
        // Another host's rows in the same tables change nothing.
        try db.execute(Self.apiRows(host: "slo-b", base: t0, minutes: (-day)...480, bad: [(-day)...480]))

        let sql = try DirectSQL(db)
        let analyzer = SLOAnalyzer(hostname: host, slos: SLODefinition.defaults, sql: sql)
        var findings: [Finding] = []
        let first = try analyzer.run(now: t0) { findings.append($0) }
        XCTAssertEqual(first.tracked, 2, "db_cache_hit has no rows: not tracked")
        XCTAssertEqual(first.skipped, [], "every default's table exists once the plugins' migrations ran")

        // By hand: 14 400 periods, 100 bad + 20 down = 120 violations; 99.9 % allows
        // 14.4; 120 / 14.4 = 833.3 % of the budget; 14 280 / 14 400 = 99.1667 %.
        let uptime = try db.namedRows("""
            SELECT target, actual, met, budget_consumed_pct, violations, allowed_violations, total_periods, good_periods,
                   budget_remaining_pct, window_days, condition, extract(epoch FROM ts)::bigint AS ts,
                   extract(epoch FROM window_start)::bigint AS window_start
            FROM collector.slo_tracking WHERE host = $1 AND slo_name = 'api_uptime'
            """, [host])
        XCTAssertEqual(uptime.count, 1)
        let u = try XCTUnwrap(uptime.first)
        XCTAssertEqual(u["target"], "99.9")
        XCTAssertEqual(Double(u["actual"]!)!, 14_280.0 / 14_400 * 100, accuracy: 1e-9)
        XCTAssertEqual(u["met"], "f")
        XCTAssertEqual(u["violations"], "120")
        XCTAssertEqual(u["total_periods"], "14400")
        XCTAssertEqual(u["good_periods"], "14280")
        XCTAssertEqual(Double(u["allowed_violations"]!)!, 14.4, accuracy: 1e-9)
        XCTAssertEqual(Double(u["budget_consumed_pct"]!)!, 120 / 14.4 * 100, accuracy: 1e-9)
        XCTAssertEqual(Double(u["budget_remaining_pct"]!)!, 100 - 120 / 14.4 * 100, accuracy: 1e-9)
        XCTAssertEqual(u["window_days"], "30")
        XCTAssertEqual(u["condition"], "error_rate_pct <= 1 (and up)")
        XCTAssertEqual(u["ts"], String(t0))
        XCTAssertEqual(u["window_start"], String(t0 - 30 * 86_400))
        // Latency: the down minutes are not periods (no value); 100 bad of 14 380.
        let latency = try db.namedRows("SELECT actual, met, violations, total_periods FROM collector.slo_tracking WHERE host = $1 AND slo_name = 'api_latency_p95'", [host])[0]
        XCTAssertEqual(latency["total_periods"], "14380")
        XCTAssertEqual(latency["violations"], "100")
        XCTAssertEqual(latency["met"], "t", "99.30 % ≥ 99 %")
        // One slo_violation insight for api_uptime; no alert (the last 6 hours are clean).
        XCTAssertEqual(findings.map(\.key), ["slo:api_uptime"])
        XCTAssertEqual(findings.first?.type, "slo_violation")
        XCTAssertEqual(findings.first?.severity, .critical)

        // The incident: which rules fire at each run (minutes after T0).
        var firing: [Int64: [String]] = [:]
        for minute: Int64 in [25, 30, 35, 85, 90, 95, 115, 120, 445, 450] {
            var alerts: [String] = []
            try analyzer.run(now: t0 + minute * 60) { f in
                if f.kind == .alert { alerts.append(f.key) }
            }
            firing[minute] = alerts.sorted()
        }
        let uptimeKeys = { (rules: [String]) in rules.map { "slo_burn:api_uptime:\($0)" } }
        // Uptime (0.1 % budget): the first bad minute is 1/60 = 16.7× over 1 h
        // and 1/5 over 5 min: page_1h at once. page_6h (6×) needs 3 bad minutes
        // in 6 h. The 3-day ticket (1×) includes the bad stretch of two days ago.
        XCTAssertEqual(firing[25], [])
        XCTAssertEqual(firing[30], uptimeKeys(["page_1h", "ticket_3d"]).sorted())
        XCTAssertTrue(firing[35]!.contains("slo_burn:api_uptime:page_6h"), "\(firing[35]!)")
        XCTAssertTrue(firing[85]!.contains("slo_burn:api_uptime:page_1h"))
        // Latency's budget is 1 %: its 1-hour page needs 14.4 % bad minutes (9 of 60).
        XCTAssertFalse(firing[35]!.contains("slo_burn:api_latency_p95:page_1h"), "6 of 60 minutes")
        XCTAssertTrue(firing[85]!.contains("slo_burn:api_latency_p95:page_1h"))
        // At 90 the 5-minute window (86-90] still holds 4 bad minutes; at 95 it is
        // clean: page_1h resolves while page_6h (30-minute window) goes on.
        XCTAssertTrue(firing[90]!.contains("slo_burn:api_uptime:page_1h"))
        XCTAssertFalse(firing[95]!.contains("slo_burn:api_uptime:page_1h"), "\(firing[95]!)")
        XCTAssertTrue(firing[95]!.contains("slo_burn:api_uptime:page_6h"))
        XCTAssertTrue(firing[115]!.contains("slo_burn:api_uptime:page_6h"), "the 30-minute window (85-115] holds a bad minute")
        XCTAssertFalse(firing[120]!.contains("slo_burn:api_uptime:page_6h"), "(90-120] is clean")
        XCTAssertTrue(firing[445]!.contains("slo_burn:api_uptime:ticket_3d"), "6 h window (85-445] still holds bad minutes")
        XCTAssertEqual(firing[450], [], "(90-450] is clean: every alert resolved")

        // Burn rates in the tracking rows: at 90 min, 1 h = 59/60 bad / 0.1 %.
        let at90 = try db.namedRows("SELECT burn_rate_1h, burn_rate_5m, exhaustion_hours FROM collector.slo_tracking WHERE host = $1 AND slo_name = 'api_uptime' AND ts = to_timestamp($2)", [host, String(t0 + 90 * 60)])[0]
        XCTAssertEqual(Double(at90["burn_rate_1h"]!)!, 59.0 / 60 / 0.001, accuracy: 1e-6)
        XCTAssertEqual(Double(at90["burn_rate_5m"]!)!, 4.0 / 5 / 0.001, accuracy: 1e-6)
        XCTAssertEqual(at90["exhaustion_hours"], "0", "already overspent")
        // Hourly counts: one row per hour with rows, for this host only.
        XCTAssertEqual(try db.scalar("SELECT sum(total) FROM collector.slo_hourly WHERE host = $1 AND slo_name = 'api_uptime'", [host]),
                       String(14_400 + 450))
        XCTAssertEqual(try db.scalar("SELECT count(DISTINCT host) FROM collector.slo_hourly"), "1")

        // A changed condition recounts: with <= 10 % errors nothing is bad but the 20 down minutes.
        var relaxed = SLODefinition.defaults[0]
        relaxed.threshold = 10
        let recount = SLOAnalyzer(hostname: host, slos: [relaxed], sql: sql)
        try recount.run(now: t0 + 450 * 60) { _ in }
        let last = try db.namedRows("SELECT violations, total_periods FROM collector.slo_tracking WHERE host = $1 AND slo_name = 'api_uptime' ORDER BY ts DESC, id DESC LIMIT 1", [host])[0]
        XCTAssertEqual(last["violations"], "20")
        XCTAssertEqual(last["total_periods"], String(14_400 + 450))
    }

    func testAMissingColumnIsSkippedWithOneLogLine() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        var lines: [String] = []
        let broken = SLODefinition(name: "x", table: "api_metrics_raw", value: .column("no_such_column"),
                                   comparison: .less, threshold: 1, objectivePct: 99)
        let missing = SLODefinition(name: "y", table: "no_such_table", value: .column("v"), comparison: .less, threshold: 1, objectivePct: 99)
        let analyzer = SLOAnalyzer(hostname: "h", slos: [broken, missing], sql: try DirectSQL(db), log: { _, line in lines.append(line) })
        for _ in 0..<3 {
            let s = try analyzer.run(now: Int64(Date().timeIntervalSince1970)) { _ in }
            XCTAssertEqual(s.skipped, ["x", "y"])
        }
        XCTAssertEqual(lines, ["slo x: collector.api_metrics_raw has no column no_such_column; not tracked",
                               "slo y: collector.no_such_table does not exist (yet); not tracked"])
    }

    /// Through the host: libIntelligence.so's `slo` analyzer as a scheduler job.
    func testBurnRateAlertsOpenAndResolveThroughTheHost() throws {
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        let host = "slo-host"
        let now = Int64(Date().timeIntervalSince1970) / 60 * 60
        // The last 2 hours: every minute failing since 20 minutes ago.
        try db.execute(Self.apiRows(host: host, base: now, minutes: -120...0, bad: [-19...0]))
        let harness = try IntelligenceHarness(db, hostname: host, analyzer: "slo",
                                              toml: "[[plugin.intelligence.slos]]\nname = \"db_cache_hit\"\nenabled = false\n")
        harness.run()
        let open = try db.rows("SELECT key, severity, analyzer, status FROM collector.alerts ORDER BY key")
        XCTAssertEqual(open.map { $0[0] ?? "" }, [
            "slo_burn:api_latency_p95:page_1h", "slo_burn:api_latency_p95:page_6h", "slo_burn:api_latency_p95:ticket_3d",
            "slo_burn:api_uptime:page_1h", "slo_burn:api_uptime:page_6h", "slo_burn:api_uptime:ticket_3d",
        ])
        XCTAssertEqual(Set(open.map { $0[2] ?? "" }), ["intelligence.slo"])
        XCTAssertEqual(open.filter { $0[1] == "critical" }.count, 4, "pages are critical, tickets warn")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.insights WHERE type = 'slo_violation'"), "2")
        // Repeated: updated, not duplicated.
        harness.run()
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.alerts"), "6")
        XCTAssertEqual(try db.scalar("SELECT min(occurrences) FROM collector.alerts"), "2")
        // The service recovered (the rows are rewritten good): every alert resolves.
        try db.execute("UPDATE collector.api_metrics_raw SET error_rate_pct = 0.5, latency_p95_ms = 100")
        harness.run()
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.alerts WHERE status = 'open'"), "0")
        XCTAssertEqual(try db.scalar("SELECT count(*) FROM collector.alerts WHERE status = 'resolved'"), "6")
    }
}

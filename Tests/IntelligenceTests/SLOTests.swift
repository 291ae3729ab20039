import Testing

@testable import IntelligenceCore
import PluginKit

@Suite struct SLOConfigurationTests {
    /// A `[plugin.intelligence]` section as the host would serve it, by dotted path.
    static func config(_ entries: [[String: ConfigValue]]) -> (String) -> ConfigValue? {
        var flat: [String: ConfigValue] = ["slos": .array(count: entries.count)]
        for (i, entry) in entries.enumerated() {
            flat["slos.\(i)"] = .table
            for (k, v) in entry { flat["slos.\(i).\(k)"] = v }
        }
        return { flat[$0] }
    }

    @Test func theOriginalsThreeAreTheDefaults() throws {
        let slos = try SLOConfiguration.read({ _ in nil })
        #expect(slos.map(\.name) == ["api_uptime", "api_latency_p95", "db_cache_hit"])
        #expect(slos.allSatisfy { $0.windowDays == 30 && $0.enabled })
        #expect(slos[0].objectivePct == 99.9 && slos[0].upColumn == "up" && slos[0].conditionText == "error_rate_pct <= 1 (and up)")
        #expect(slos[1].conditionText == "latency_p95_ms <= 200")
        #expect(slos[2].conditionText == "cache_hit_ratio >= 0.99")
    }

    @Test func anEntryChangesADefaultByNameOrTurnsItOff() throws {
        let slos = try SLOConfiguration.read(Self.config([
            ["name": .string("api_latency_p95"), "good": .string("<= 350"), "objective": .double(99.5), "window_days": .int(7)],
            ["name": .string("db_cache_hit"), "enabled": .bool(false)],
        ]))
        #expect(slos.count == 3)
        #expect(slos[1].threshold == 350 && slos[1].objectivePct == 99.5 && slos[1].windowDays == 7 && slos[1].table == "api_metrics_raw")
        #expect(!slos[2].enabled)
    }

    @Test func aNewSLOWithARatio() throws {
        let slos = try SLOConfiguration.read(Self.config([[
            "name": .string("proxy_tls"), "table": .string("proxy_metrics_raw"), "ratio": .array(count: 2),
            "ratio.0": .string("tls_handshake_failures_total"), "ratio.1": .string("tls_handshakes_total"),
            "good": .string("< 0.01"), "objective": .int(99),
        ]]))
        let s = try #require(slos.last)
        #expect(s.name == "proxy_tls" && s.value == .ratio("tls_handshake_failures_total", "tls_handshakes_total"))
        #expect(s.comparison == .less && s.threshold == 0.01 && s.objectivePct == 99)
        #expect(s.validSQL.contains("nullif(r.tls_handshakes_total::float8, 0)"))
    }

    @Test(arguments: [
        ([["name": ConfigValue.string("x")]], "plugin.intelligence.slos.0.table"),
        ([["name": .string("x"), "table": .string("api_metrics_raw")]], "plugin.intelligence.slos.0.column"),
        ([["name": .string("x"), "table": .string("api_metrics_raw"), "column": .string("a")]], "plugin.intelligence.slos.0.good"),
        ([["name": .string("x"), "table": .string("t; DROP TABLE x"), "column": .string("a")]], "plugin.intelligence.slos.0.table"),
        ([["name": .string("api_uptime"), "good": .string("about 3")]], "plugin.intelligence.slos.0.good"),
        ([["name": .string("api_uptime"), "objective": .int(100)]], "plugin.intelligence.slos.0.objective"),
        ([["name": .string("api_uptime"), "window_days": .int(0)]], "plugin.intelligence.slos.0.window_days"),
        ([["name": .string("api_uptime")], ["name": .string("api_uptime")]], "plugin.intelligence.slos.1.name"),
        ([["table": .string("x")]], "plugin.intelligence.slos.0.name"),
    ])
    func aBadEntryNamesItsKey(entries: [[String: ConfigValue]], key: String) {
        #expect(throws: PluginConfigError.self) { try SLOConfiguration.read(Self.config(entries)) }
        do {
            _ = try SLOConfiguration.read(Self.config(entries))
        } catch {
            #expect(error.key == key, "\(error.description)")
        }
    }

    @Test func conditionsParse() {
        #expect(SLOConfiguration.parseCondition("<= 200")! == (.lessOrEqual, 200))
        #expect(SLOConfiguration.parseCondition(">=0.99")! == (.greaterOrEqual, 0.99))
        #expect(SLOConfiguration.parseCondition("!= 0")! == (.notEqual, 0))
        #expect(SLOConfiguration.parseCondition("< 1e3")! == (.less, 1000))
        #expect(SLOConfiguration.parseCondition("=> 3") == nil)
        #expect(SLOConfiguration.parseCondition("<= nan") == nil)
    }
}

@Suite struct SLOStatusTests {
    static let day: Int64 = 86_400

    @Test func theWorkbooksBurnRateFactorsFor30Days() {
        let factors = BurnRateRule.defaults.map { $0.factor(windowSeconds: 30 * Self.day) }
        #expect(abs(factors[0] - 14.4) < 1e-9 && abs(factors[1] - 6) < 1e-9 && abs(factors[2] - 1) < 1e-9)
        // A 7-day SLO pages at the same share of its (smaller) budget per hour.
        #expect(abs(BurnRateRule.defaults[0].factor(windowSeconds: 7 * Self.day) - 3.36) < 1e-9)
    }

    @Test func budgetFiguresAsTheOriginalDefinesThem() throws {
        // 10 000 periods, 4 bad, 99.9 %: 10 allowed, 40 % spent.
        let s = SLOStatus(window: PeriodCount(good: 9_996, total: 10_000), objectivePct: 99.9, windowSeconds: 30 * Self.day,
                          recent: [3_600: PeriodCount(good: 58, total: 60)])
        #expect(abs(try #require(s.actualPct) - 99.96) < 1e-9)
        #expect(s.met == true)
        #expect(abs(s.allowedViolations - 10) < 1e-9)
        #expect(abs(try #require(s.budgetConsumedPct) - 40) < 1e-9)
        #expect(abs(try #require(s.budgetRemainingPct) - 60) < 1e-9)
        // Burning 2/60 against 0.1 %: 33.3×; 60 % of 720 h lasts 432 h at 1×, 12.96 h at 33.3×.
        let burn = try #require(s.burnRate(3_600))
        #expect(abs(burn - 100.0 / 3) < 1e-9)
        #expect(abs(try #require(s.exhaustionHours) - 12.96) < 1e-9)
    }

    @Test func aRuleFiresOnlyWhenBothWindowsBurn() {
        func status(_ long: Int64, _ short: Int64) -> SLOStatus {
            SLOStatus(window: PeriodCount(good: 1_000_000, total: 1_000_000), objectivePct: 99.9, windowSeconds: 30 * Self.day,
                      recent: [3_600: PeriodCount(good: 360 - long, total: 360), 300: PeriodCount(good: 30 - short, total: 30),
                               21_600: PeriodCount(good: 2_160, total: 2_160), 1_800: PeriodCount(good: 180, total: 180)])
        }
        // 1 h: 6/360 = 1.67 % = 16.7× ≥ 14.4; 5 m: 1/30 = 33×.
        #expect(status(6, 1).firing().map(\.name) == ["page_1h"])
        #expect(status(6, 0).firing().isEmpty, "the short window has recovered")
        #expect(status(5, 1).firing().isEmpty, "1 h at 13.9× is below 14.4")
        #expect(SLOStatus(window: PeriodCount(good: 0, total: 0), objectivePct: 99, windowSeconds: Self.day, recent: [:]).firing().isEmpty)
    }
}

import Testing

@testable import IntelligenceCore
import ByteKit
import PluginKit

@Suite struct CatalogueTests {
    @Test func everyMetricTheIssueListsIsWatchedOncePerDomain() {
        let names = MetricCatalogue.all.map { "\($0.domain).\($0.name)" }
        #expect(Set(names).count == names.count, "metric names are unique within their domain")
        for required in [
            "system.cpu_pct", "system.mem_used_pct", "system.load_1m", "system.disk_read_bytes_per_sec",
            "system.disk_write_bytes_per_sec", "system.net_rx_bytes_per_sec", "system.net_tx_bytes_per_sec",
            "process.cpu_pct", "process.rss_bytes", "api.requests_per_sec", "api.error_rate_pct", "api.latency_p50_ms",
            "api.latency_p95_ms", "api.latency_p99_ms", "proxy.connections_active", "proxy.tls_handshake_failures_per_sec",
            "proxy.rate_limited_per_sec", "db.connections_total", "db.cache_hit_ratio", "db.xact_commit_per_sec",
            "db.xact_rollback_per_sec", "db.deadlocks_per_sec", "db.temp_bytes_per_sec", "replication.replay_lag_ms",
            "table.dead_tup_ratio",
        ] {
            #expect(names.contains(required), "\(required) is watched")
        }
    }

    @Test func directionsFollowWhatHurts() {
        func direction(_ name: String) -> AnomalyDirection? {
            MetricCatalogue.all.first { "\($0.domain).\($0.name)" == name }?.direction
        }
        #expect(direction("api.latency_p95_ms") == .up)
        #expect(direction("api.error_rate_pct") == .up)
        #expect(direction("db.cache_hit_ratio") == .down)
        #expect(direction("system.cpu_pct") == .up)
        #expect(direction("api.requests_per_sec") == .both)
        #expect(direction("table.dead_tup_ratio") == .up)
    }

    @Test func queriesReadOneHostByIndexRange() {
        for source in MetricCatalogue.sources() {
            let metrics = MetricCatalogue.metrics(of: source)
            let raw = SourceQueries.raw(source, metrics, keyed: source.rankBy != nil)
            #expect(raw.contains("r.host = $1 AND r.ts > to_timestamp($2)"))
            let hourly = SourceQueries.hourly(source, metrics, keyed: false)
            #expect(hourly.contains("h.host = $1 AND h.hour >= to_timestamp($2)"))
        }
        #expect(SourceQueries.rank(.table) != nil)
        #expect(SourceQueries.rank(.system) == nil)
        #expect(PostgresArray.literal(["public.a", "x\"y"]) == #"{"public.a","x\"y"}"#)
    }
}

@Suite struct BaselineMathTests {
    @Test func meanAndStddevPoolHourlyMeansAndTheirSpread() throws {
        // Two hours of 12 points each: means 10 and 20, ranges 4 wide; one raw point at 15.
        let samples = [
            BaselineSample(time: 0, mean: 10, weight: 12, low: 8, high: 12),
            BaselineSample(time: 3_600, mean: 20, weight: 12, low: 18, high: 22),
            BaselineSample(time: 7_300, mean: 15),
        ]
        let b = try #require(BaselineMath.baseline(samples: samples, now: 8_000))
        #expect(b.sampleCount == 25)
        #expect(abs(b.mean - (120 + 240 + 15) / 25.0) < 1e-12)
        let within = 4 / BaselineMath.expectedRange(12)
        let expected = ((12 * (25 + within * within) * 2 + 0) / 25).squareRoot()   // each hour is 5 from the mean 15
        #expect(abs(b.stddev - expected) < 1e-9)
        #expect(b.min == 8 && b.max == 22)
        #expect(b.median == 15)   // weights 12 | 1 | 12: the middle weight falls on 15
        #expect(b.mad == 5)
        #expect(b.windowStart == 0 && b.windowEnd == 7_300)
        #expect(b.profile == nil)
        #expect(b.counts)
    }

    @Test func expectedRangeIsCloseToTippett() {
        #expect(abs(BaselineMath.expectedRange(12) - 3.26) < 0.25)
        #expect(abs(BaselineMath.expectedRange(60) - 4.64) < 0.2)
        #expect(abs(BaselineMath.expectedRange(360) - 5.9) < 0.2)
    }

    @Test func weightedMedianAndMAD() throws {
        #expect(BaselineMath.weightedMedian([(1, 1), (2, 1), (100, 1)]) == 2)
        #expect(BaselineMath.weightedMedian([(1, 10), (2, 1), (100, 1)]) == 1)
        let samples = (0..<9).map { BaselineSample(time: Int64($0) * 3_600, mean: Double($0), weight: 1) }
            + [BaselineSample(time: 40_000, mean: 1_000, weight: 1)]
        let b = try #require(BaselineMath.baseline(samples: samples, now: 50_000))
        #expect(b.median == 4)      // the outlier barely moves it
        #expect(b.mad == 2.5 || b.mad == 2)
    }

    @Test func fewerThanSixPointsDoNotCount() throws {
        let b = try #require(BaselineMath.baseline(samples: (0..<5).map { BaselineSample(time: Int64($0), mean: 1) }, now: 10))
        #expect(!b.counts)
        #expect(b.zScore(5) == nil)
    }

    @Test func zScoreAndDrift() {
        let b = Baseline(mean: 100, stddev: 10, min: 80, max: 120, sampleCount: 50, median: 100, mad: 5,
                         windowStart: 0, windowEnd: 1, profile: nil)
        #expect(b.zScore(135) == 3.5)
        #expect(b.driftPct(135) == 35)
        #expect(b.zScore(80) == -2)
    }

    @Test func weekProfileNeedsTwoWeeksAndFillsCells() throws {
        // 2024-01-07 00:00 UTC was a Sunday.
        let sunday: Int64 = 1_704_585_600
        #expect(BaselineMath.weekCell(sunday).dow == 0)
        #expect(BaselineMath.weekCell(sunday + 86_400 + 5 * 3_600 + 10) == (1, 5))
        let hours = (0..<(15 * 24)).map { i in
            BaselineSample(time: sunday + Int64(i) * 3_600, mean: Double(i % 24), weight: 60)
        }
        let now = sunday + 15 * 86_400
        let b = try #require(BaselineMath.baseline(samples: hours.suffix(7 * 24), profileSamples: hours, historyStart: sunday, now: now))
        let profile = try #require(b.profile)
        #expect(profile.count == 7 && profile.allSatisfy { $0.count == 24 })
        #expect(profile[3][17] == 17)
        #expect(b.expected(at: sunday + 2 * 86_400 + 9 * 3_600) == 9)
        let young = BaselineMath.baseline(samples: hours.suffix(24), profileSamples: hours.suffix(24),
                                          historyStart: now - 3 * 86_400, now: now)
        #expect(young?.profile == nil)
    }

    @Test func configurationRefusesBadValues() throws {
        let c = try IntelligenceConfiguration.read { key in key == "consecutive_points" ? .int(3) : key == "threshold" ? .double(0.6) : nil }
        #expect(c.consecutivePoints == 3 && c.threshold == 0.6)
        #expect(throws: (any Error).self) { try IntelligenceConfiguration.read { $0 == "consecutive_points" ? .int(0) : nil } }
        #expect(throws: (any Error).self) { try IntelligenceConfiguration.read { $0 == "threshold" ? .double(1.5) : nil } }
    }
}

import ByteKit
import XCTest
@testable import AppMetricsCore

final class MetricsDecodingTests: XCTestCase {
    private func doc(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)).get() }

    func testNestedApiFixture() throws {
        let m = ApiMetrics(document: try Fixture.json("api_metrics_1.json"))
        XCTAssertEqual(m.requestsTotal, 1_250_000)
        XCTAssertEqual(m.errorsTotal, 1875)
        XCTAssertEqual(m.status2xxTotal, 1_231_000)
        XCTAssertEqual(m.status3xxTotal, 4200)
        XCTAssertEqual(m.status4xxTotal, 12925)
        XCTAssertEqual(m.status5xxTotal, 1875)
        XCTAssertEqual(m.latencyAvgMs, 12.4)
        XCTAssertEqual(m.latencyP50Ms, 8.2)
        XCTAssertEqual(m.latencyP90Ms, 21.7)
        XCTAssertEqual(m.latencyP95Ms, 34.9)
        XCTAssertEqual(m.latencyP99Ms, 118.3)
        XCTAssertEqual(m.latencyMaxMs, 2041.0)
        XCTAssertEqual(m.activeConnections, 37)
        XCTAssertEqual(m.cacheHitsTotal, 980_000)
        XCTAssertEqual(m.cacheMissesTotal, 20_000)
        XCTAssertEqual(m.cacheHitRatio, 0.98)
        XCTAssertEqual(m.cacheEntries, 4096)
        XCTAssertEqual(m.cacheSizeBytes, 52_428_800)
        XCTAssertEqual(m.uptimeSecs, 86400.5)
        XCTAssertNil(m.reportedRequestsPerSec)
        XCTAssertNil(m.reportedErrorRatio)
        // Unused members stay, with their nesting; used ones are gone.
        let extra = try XCTUnwrap(m.extra)
        guard case .object(let members) = extra else { return XCTFail("extra is not an object") }
        XCTAssertEqual(members.map(\.key), ["service", "version", "requests", "cache", "endpoints", "build"])
        XCTAssertEqual(extra.value(at: ["requests"]), try doc(#"{"by_method": {"GET": 1100000, "POST": 150000}}"#))
        XCTAssertEqual(extra.value(at: ["cache"]), try doc(#"{"evictions": 1200}"#))
        XCTAssertNil(extra["latency_ms"], "every latency member was used")
        XCTAssertEqual(extra["version"], .string("2.4.1"))
    }

    func testFlatApiAliases() throws {
        let m = ApiMetrics(document: try Fixture.json("api_metrics_flat.json"))
        XCTAssertEqual(m.requestsTotal, 98231)
        XCTAssertEqual(m.errorsTotal, 412)
        XCTAssertEqual(m.reportedRequestsPerSec, 57.3)
        XCTAssertEqual(m.reportedErrorRatio, 0.0042)
        XCTAssertEqual(m.status2xxTotal, 95001)
        XCTAssertEqual(m.status5xxTotal, 412)
        XCTAssertEqual(m.latencyAvgMs, 18.25)
        XCTAssertEqual(m.latencyP50Ms, 11.0)
        XCTAssertEqual(m.latencyP99Ms, 160.75)
        XCTAssertEqual(m.latencyMaxMs, 3120.0)
        XCTAssertEqual(m.activeConnections, 9)
        XCTAssertEqual(m.cacheHitsTotal, 18_446_744_073, "a numeric string counts")
        XCTAssertEqual(m.cacheHitRatio, 0.78, "the endpoint's ratio wins over the counters")
        XCTAssertEqual(m.cacheSizeBytes, 8_388_608)
        XCTAssertEqual(m.uptimeSecs, 3600)
        XCTAssertEqual(m.extra, try doc(#"{"pqc_operations": {"kyber768_encaps": 51234, "dilithium3_sign": 8812}}"#))
    }

    func testPercentAliasesAndEnvelope() throws {
        let m = ApiMetrics(document: try doc(#"{"metrics": {"requests_total": 10, "error_rate_pct": 2.5, "cache_hit_rate_pct": 90}}"#))
        XCTAssertEqual(m.requestsTotal, 10, "a lone {\"metrics\": {...}} wrapper is looked through")
        XCTAssertEqual(m.reportedErrorRatio, 0.025)
        XCTAssertEqual(m.reportedCacheHitRatio, 0.9)
        XCTAssertNil(m.extra)
        // Not a lone wrapper: "metrics" is an ordinary (extra) member.
        let two = ApiMetrics(document: try doc(#"{"metrics": {"requests_total": 10}, "requests_total": 3}"#))
        XCTAssertEqual(two.requestsTotal, 3)
        XCTAssertEqual(two.extra, try doc(#"{"metrics": {"requests_total": 10}}"#))
    }

    func testUnusableValuesAreNullAndKeptInExtra() throws {
        let m = ApiMetrics(document: try doc("""
            {"requests_total": -5, "errors_total": "many", "active_connections": 3000000000,
             "latency_ms": {"p95": "fast", "p99": -1, "p50": 7}, "cache_hits": 18446744073709551615,
             "cache_hit_ratio": 1.5, "uptime": true, "status_2xx_total": 12.5}
            """))
        XCTAssertNil(m.requestsTotal, "a negative counter")
        XCTAssertNil(m.errorsTotal, "not a number")
        XCTAssertNil(m.activeConnections, "does not fit INTEGER")
        XCTAssertNil(m.latencyP95Ms)
        XCTAssertNil(m.latencyP99Ms, "negative milliseconds")
        XCTAssertEqual(m.latencyP50Ms, 7)
        XCTAssertNil(m.cacheHitsTotal, "beyond BIGINT")
        XCTAssertNil(m.reportedCacheHitRatio, "a ratio above 1")
        XCTAssertNil(m.uptimeSecs)
        XCTAssertNil(m.status2xxTotal, "a fractional counter")
        let extra = try XCTUnwrap(m.extra)
        for key in ["requests_total", "errors_total", "active_connections", "cache_hits", "cache_hit_ratio", "uptime", "status_2xx_total"] {
            XCTAssertNotNil(extra[key], key)
        }
        XCTAssertEqual(extra["latency_ms"], try doc(#"{"p95": "fast", "p99": -1}"#))
    }

    func testFirstAliasWinsAndTheOtherStaysInExtra() throws {
        let m = ApiMetrics(document: try doc(#"{"requests": {"total": 7}, "requests_total": 9}"#))
        XCTAssertEqual(m.requestsTotal, 9)
        XCTAssertEqual(m.extra, try doc(#"{"requests": {"total": 7}}"#))
    }

    func testErrorCounterFallsBackToServerErrors() throws {
        XCTAssertEqual(ApiMetrics(document: try doc(#"{"status_5xx_total": 4}"#)).errorCounter, 4)
        XCTAssertEqual(ApiMetrics(document: try doc(#"{"status_5xx_total": 4, "errors_total": 6}"#)).errorCounter, 6)
    }

    func testNestedProxyFixture() throws {
        let m = ProxyMetrics(document: try Fixture.json("proxy_metrics_1.json"))
        XCTAssertEqual(m.connectionsActive, 128)
        XCTAssertEqual(m.connectionsTotal, 5_400_321)
        XCTAssertEqual(m.requestsTotal, 8_100_000)
        XCTAssertEqual(m.errorsTotal, 2430)
        XCTAssertEqual(m.tlsHandshakesTotal, 5_400_100)
        XCTAssertEqual(m.tlsHandshakeFailuresTotal, 312)
        XCTAssertEqual(m.tlsHandshakeAvgMs, 3.8)
        XCTAssertEqual(m.rateLimitedTotal, 1000)
        XCTAssertEqual(m.rateLimitAllowedTotal, 8_099_000)
        XCTAssertEqual(m.blockedIPs, 3, "an array of IPs counts as its length")
        XCTAssertEqual(m.upstreamRequestsTotal, 8_097_570)
        XCTAssertEqual(m.upstreamErrorsTotal, 118)
        XCTAssertEqual(m.upstreamLatencyAvgMs, 11.9)
        XCTAssertEqual(m.upstreamLatencyP50Ms, 7.6)
        XCTAssertEqual(m.upstreamLatencyP95Ms, 33.0)
        XCTAssertEqual(m.upstreamLatencyP99Ms, 110.4)
        XCTAssertEqual(m.bytesInTotal, 9_876_543_210)
        XCTAssertEqual(m.bytesOutTotal, 123_456_789_012)
        XCTAssertEqual(m.uptimeSecs, 172_800)
        XCTAssertEqual(m.extra, try doc("""
            {"tls": {"protocols": {"TLSv1.3": 5390000, "TLSv1.2": 10100}, "pq_key_exchange": {"X25519MLKEM768": 4800000}},
             "backends": {"api": "healthy", "static": "healthy"}}
            """))
    }

    func testFlatProxyColumnNames() throws {
        let m = ProxyMetrics(document: try doc("""
            {"connections_active": 5, "tls_handshake_failures_total": 2, "rate_limited_total": 11, "blocked_ips": 4,
             "upstream_latency_p95_ms": 40.5, "bytes_out_total": 99, "requests_per_second": 12.5}
            """))
        XCTAssertEqual(m.connectionsActive, 5)
        XCTAssertEqual(m.tlsHandshakeFailuresTotal, 2)
        XCTAssertEqual(m.rateLimitedTotal, 11)
        XCTAssertEqual(m.blockedIPs, 4)
        XCTAssertEqual(m.upstreamLatencyP95Ms, 40.5)
        XCTAssertEqual(m.bytesOutTotal, 99)
        XCTAssertEqual(m.reportedRequestsPerSec, 12.5)
        XCTAssertNil(m.requestsTotal)
        XCTAssertNil(m.extra)
    }
}

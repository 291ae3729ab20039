import PluginKit
import XCTest

@testable import AppMetricsCore

/// Every column of one `api_metrics_raw` row by name, from the fixture scrape
/// (literal values from Fixtures/api_metrics_1.json), so a column filled from
/// the wrong member fails here.
final class RowMappingTests: XCTestCase {
    func testEveryApiColumnByName() throws {
        let metrics = ApiMetrics(document: try Fixture.json("api_metrics_1.json"))
        let derived = ApiDerived(requestsPerSec: 40, errorRatePct: 2.5)
        let row = ApiMetricsTable.row(metrics, info: ScrapeInfo(scrapeMs: 3.5, httpStatus: 200), derived: derived, extraMaxBytes: 100_000)
        XCTAssertEqual(row.unknownColumns(in: ApiMetricsTable.layout), [])
        let expected: [String: RowValue] = [
            "up": .bool(true), "scrape_ms": .double(3.5), "http_status": .int(200),
            "requests_total": .int(1_250_000), "requests_per_sec": .double(40),
            "errors_total": .int(1875), "error_rate_pct": .double(2.5),
            "status_2xx_total": .int(1_231_000), "status_3xx_total": .int(4200),
            "status_4xx_total": .int(12925), "status_5xx_total": .int(1875),
            "latency_avg_ms": .double(12.4), "latency_p50_ms": .double(8.2), "latency_p90_ms": .double(21.7),
            "latency_p95_ms": .double(34.9), "latency_p99_ms": .double(118.3), "latency_max_ms": .double(2041),
            "active_connections": .int(37),
            "cache_hits_total": .int(980_000), "cache_misses_total": .int(20000), "cache_hit_ratio": .double(0.98),
            "cache_entries": .int(4096), "cache_size_bytes": .int(52_428_800),
            "uptime_secs": .double(86400.5),
            "extra": ExtraColumn.cell(metrics.extra, maxBytes: 100_000),
        ]
        XCTAssertEqual(Set(expected.keys), Set(ApiMetricsTable.layout.columnNames), "the test names every declared column")
        for column in ApiMetricsTable.layout.columnNames {
            XCTAssertEqual(row[column], expected[column], column)
        }
        guard case .json(let extra) = row["extra"] else { return XCTFail("extra is not JSON") }
        XCTAssertTrue(extra.contains("\"endpoints\""), "members no column took land in extra: \(extra)")
    }

    func testEveryProxyColumnIsDeclared() throws {
        let metrics = ProxyMetrics(document: try Fixture.json("proxy_metrics_1.json"))
        let row = ProxyMetricsTable.row(metrics, info: ScrapeInfo(scrapeMs: 1, httpStatus: 200), requestsPerSec: 60, extraMaxBytes: 100_000)
        XCTAssertEqual(row.unknownColumns(in: ProxyMetricsTable.layout), [])
        XCTAssertEqual(row["up"], .bool(true))
        XCTAssertEqual(row["requests_per_sec"], .double(60))
        XCTAssertEqual(row["blocked_ips"], .int(3))
    }
}

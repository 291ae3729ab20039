import CollectorCore
import CollectorTestSupport
import Foundation
import XCTest

/// Examples/grafana/pqcrypta-collector.json cannot be loaded into a Grafana
/// here, so every panel's SQL runs against a real database filled by
/// `HistoryGenerator`, with Grafana's PostgreSQL macros expanded as Grafana
/// expands them for a fixed range, and must return rows of the panel's shape.
final class GrafanaDashboardTests: XCTestCase {
    static let dashboard = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Examples/grafana/pqcrypta-collector.json")

    func testEveryPanelQueryReturnsRowsOfItsShape() throws {
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: Self.dashboard)) as? [String: Any])
        let panels = try XCTUnwrap(json["panels"] as? [[String: Any]])
        XCTAssertGreaterThanOrEqual(panels.count, 10)
        let db = try TestDatabase.create(migrated: true)
        defer { db.drop() }
        var generator = HistoryGenerator()
        generator.hosts = 2
        try generator.fill(try db.connect())
        let c = try db.connect()
        let variable = try XCTUnwrap(((json["templating"] as? [String: Any])?["list"] as? [[String: Any]])?.first)
        XCTAssertEqual(variable["name"] as? String, "host")
        let hosts = try c.query(try XCTUnwrap(variable["query"] as? String))
        XCTAssertEqual(hosts.rowCount, 2, "the $host variable lists the hosts")

        // The last 24 hours up to now, as Grafana would send for "now-24h".
        let to = Date().timeIntervalSince1970
        let from = to - 86_400
        for panel in panels {
            let title = panel["title"] as? String ?? "?"
            for target in panel["targets"] as? [[String: Any]] ?? [] {
                let raw = try XCTUnwrap(target["rawSql"] as? String, title)
                let sql = Self.expand(raw, from: from, to: to, interval: 300, host: "host-01")
                XCTAssertFalse(sql.contains("$"), "unexpanded macro in \(title): \(sql)")
                let r: PGResult
                do { r = try c.query(sql) } catch {
                    XCTFail("\(title): \(error)\n\(sql)")
                    continue
                }
                XCTAssertGreaterThan(r.rowCount, 0, "\(title) returns rows")
                if target["format"] as? String == "time_series" {
                    XCTAssertEqual(r.columnName(0).map { String(cString: $0) }, "time", title)
                    for col in 1..<r.columnCount where r.columnName(col).map({ String(cString: $0) }) != "metric" {
                        for row in 0..<r.rowCount {
                            if let v = r.string(row, col) { XCTAssertNotNil(Double(v), "\(title): \(v) is not a number") }
                        }
                    }
                    for row in 0..<r.rowCount { XCTAssertNotNil(r.string(row, 0).flatMap(Double.init), "\(title): time is epoch seconds") }
                } else {
                    XCTAssertGreaterThan(r.columnCount, 0, title)
                }
            }
        }
    }

    /// Grafana's PostgreSQL macros for a fixed range: `$__timeFilter`,
    /// `$__timeGroupAlias`/`$__timeGroup` (epoch buckets), `$__timeFrom`,
    /// `$__timeTo`, `$__interval`, and the `$host` variable (single-quoted in the SQL).
    static func expand(_ sql: String, from: Double, to: Double, interval: Int, host: String) -> String {
        func iso(_ t: Double) -> String {
            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(identifier: "UTC")
            return f.string(from: Date(timeIntervalSince1970: t))
        }
        var out = sql
        let macro = try! NSRegularExpression(pattern: #"\$__(timeGroupAlias|timeGroup|timeFilter)\(([^,)]+)(?:,\s*([^)]+))?\)"#)
        while let m = macro.firstMatch(in: out, range: NSRange(out.startIndex..., in: out)) {
            let name = String(out[Range(m.range(at: 1), in: out)!])
            let column = String(out[Range(m.range(at: 2), in: out)!]).trimmingCharacters(in: .whitespaces)
            var seconds = interval
            if let r = Range(m.range(at: 3), in: out) {
                let arg = out[r].trimmingCharacters(in: CharacterSet(charactersIn: " '"))
                if arg != "$__interval", let n = Int(arg.dropLast()) {
                    seconds = n * (arg.hasSuffix("h") ? 3600 : arg.hasSuffix("m") ? 60 : arg.hasSuffix("d") ? 86_400 : 1)
                }
            }
            let replacement: String
            switch name {
            case "timeFilter": replacement = "\(column) BETWEEN '\(iso(from))' AND '\(iso(to))'"
            case "timeGroup": replacement = "floor(extract(epoch from \(column))/\(seconds))*\(seconds)"
            default: replacement = "floor(extract(epoch from \(column))/\(seconds))*\(seconds) AS \"time\""
            }
            out.replaceSubrange(Range(m.range, in: out)!, with: replacement)
        }
        return out.replacingOccurrences(of: "$__timeFrom()", with: "'\(iso(from))'")
            .replacingOccurrences(of: "$__timeTo()", with: "'\(iso(to))'")
            .replacingOccurrences(of: "$host", with: host)
    }
}

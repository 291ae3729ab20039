import Foundation
import XCTest
@testable import IntelligenceCore

/// docs/rules.md's reference part is rendered from the rule catalogue, so the
/// rules, their defaults and their SQL in the docs are the code's. Run with
/// PQC_UPDATE_DOCS=1 to rewrite it after changing a rule.
final class RulesDocTests: XCTestCase {
    static let begin = "<!-- rules:begin (rendered from RuleCatalogue by RulesDocTests; PQC_UPDATE_DOCS=1 rewrites it) -->"
    static let end = "<!-- rules:end -->"

    static func render() -> String {
        var out = ""
        for rule in RuleCatalogue.all {
            out += "### `\(rule.name)`\n\n"
            out += "\(rule.schedule == .watchdog ? "Watchdog tick (30 s), alerts" : "Intel tick (5 min), recommendations"); "
            out += "domain `\(rule.domain)`. Raised when \(rule.summary).\n\n"
            if !rule.parameters.isEmpty {
                out += "| `[plugin.intelligence.rules.\(rule.name)]` | default | meaning |\n|---|---|---|\n"
                for p in rule.parameters { out += "| `\(p.name)` | \(RuleSettings.show(p.defaultValue)) | \(p.help) |\n" }
                out += "\n"
            }
            out += "```sql\n\(rule.sql)\n```\n\n"
        }
        return out
    }

    func testRulesReferenceIsCurrent() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/rules.md").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard let b = text.range(of: Self.begin), let e = text.range(of: Self.end) else {
            return XCTFail("docs/rules.md lacks the markers \(Self.begin) ... \(Self.end)")
        }
        let current = String(text[b.upperBound..<e.lowerBound])
        let rendered = "\n" + Self.render()
        if ProcessInfo.processInfo.environment["PQC_UPDATE_DOCS"] == "1" {
            try (String(text[..<b.upperBound]) + rendered + String(text[e.lowerBound...])).write(toFile: path, atomically: true, encoding: .utf8)
        } else {
            XCTAssertEqual(current, rendered, "docs/rules.md is out of date: run the test with PQC_UPDATE_DOCS=1")
        }
    }
}

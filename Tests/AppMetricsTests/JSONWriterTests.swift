import ByteKit
import XCTest
@testable import AppMetricsCore

final class JSONWriterTests: XCTestCase {
    func testFixturesRoundTrip() throws {
        for name in ["api_metrics_1.json", "api_metrics_flat.json", "proxy_metrics_1.json"] {
            let value = try Fixture.json(name)
            let text = value.jsonText
            XCTAssertEqual(try JSONParser.parse(Array(text.utf8)).get(), value, name)
        }
    }
}

import XCTest
@testable import Host

final class ConfigLoaderTests: XCTestCase {
    func testDefaultsWithoutFile() throws {
        let loaded = try ConfigLoader.load(toml: "", environment: [:])
        XCTAssertEqual(loaded.config.database.port, 5432)
        XCTAssertEqual(loaded.config.intervals.heartbeatSecs, 5)
        XCTAssertEqual(loaded.config.logs.sources.count, 13)
        XCTAssertTrue(loaded.warnings.isEmpty)
    }
}

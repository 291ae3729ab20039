import PluginKit
import XCTest

@testable import SystemMetricsCore

/// SystemMetrics owns `collector.processes`: precedence, the environment
/// override and errors naming the key.
final class WatchedProcessNamesTests: XCTestCase {
    private func names(global: [String: ConfigValue] = [:], plugin: [String: ConfigValue] = [:],
                       env: [String: String] = [:]) throws(PluginConfigError) -> [String] {
        try WatchedProcessNames.read(global: { global[$0] }, plugin: { plugin[$0] }, environment: { env[$0] })
    }

    func testPrecedence() throws {
        XCTAssertEqual(try names(), WatchedProcessNames.defaults)
        XCTAssertEqual(WatchedProcessNames.defaults.count, 6)
        let file: [String: ConfigValue] = ["collector.processes": .array(count: 2),
                                           "collector.processes.0": .string("postgres"), "collector.processes.1": .string("nginx")]
        XCTAssertEqual(try names(global: file), ["postgres", "nginx"])
        XCTAssertEqual(try names(global: file, env: ["COLLECTOR_PROCESSES": "a, b ,,c"]), ["a", "b", "c"], "the variable beats the file")
        XCTAssertEqual(try names(global: file, plugin: ["processes": .array(count: 1), "processes.0": .string("mine")],
                                 env: ["COLLECTOR_PROCESSES": "a"]), ["mine"], "the plugin's own section beats both")
    }

    func testWrongTypesNameTheKey() {
        func key(_ global: [String: ConfigValue]) -> String? {
            do { _ = try names(global: global); return nil } catch { return error.key }
        }
        XCTAssertEqual(key(["collector.processes": .array(count: 2), "collector.processes.0": .string("a"), "collector.processes.1": .int(3)]),
                       "collector.processes[1]")
        XCTAssertEqual(key(["collector.processes": .string("postgres")]), "collector.processes")
    }
}

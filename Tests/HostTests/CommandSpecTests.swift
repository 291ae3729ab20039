import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// The host's own command-line parsing (it replaced swift-argument-parser to keep
/// FoundationEssentials out of the daemon).
final class CommandSpecTests: XCTestCase {
    let spec = CommandSpec(
        name: "demo", abstract: "A demo.",
        options: [.value("config", "file", "Config."), .value("rows", "n", "Rows."), .flag("keep", "Keep.")],
        arguments: [.init(name: "file", help: "A file.")])

    func testValuesFlagsAndArgumentsInAnyOrder() throws {
        let p = try spec.parse(["--config", "/etc/c.toml", "x.so", "--rows=12", "--keep"])
        XCTAssertEqual(p.string("config"), "/etc/c.toml")
        XCTAssertEqual(try p.int("rows", default: 1), 12)
        XCTAssertTrue(p.flag("keep"))
        XCTAssertEqual(p.arguments, ["x.so"])
        XCTAssertEqual(try p.int("absent", default: 7), 7)
    }

    func testDoubleDashEndsOptions() throws {
        let p = try spec.parse(["--", "--keep"])
        XCTAssertEqual(p.arguments, ["--keep"])
        XCTAssertFalse(p.flag("keep"))
    }

    func testUsageErrorsNameTheProblem() {
        XCTAssertThrowsError(try spec.parse(["--bogus", "f"])) { XCTAssertTrue("\($0)".contains("--bogus"), "\($0)") }
        XCTAssertThrowsError(try spec.parse(["f", "--config"])) { XCTAssertTrue("\($0)".contains("--config needs a value"), "\($0)") }
        XCTAssertThrowsError(try spec.parse(["--keep=yes", "f"])) { XCTAssertTrue("\($0)".contains("takes no value"), "\($0)") }
        XCTAssertThrowsError(try spec.parse([])) { XCTAssertTrue("\($0)".contains("missing <file>"), "\($0)") }
        XCTAssertThrowsError(try spec.parse(["a", "b"])) { XCTAssertTrue("\($0)".contains("unexpected argument 'b'"), "\($0)") }
        XCTAssertThrowsError(try spec.parse(["f", "--rows", "many"]).int("rows", default: 1)) {
            XCTAssertTrue("\($0)".contains("--rows must be an integer"), "\($0)")
        }
    }

    func testHelpNeedsNoArgumentsAndListsEveryOption() throws {
        let p = try spec.parse(["--help"])
        XCTAssertTrue(p.helpRequested)
        for text in ["usage: pqcrypta-collector demo [options] <file>", "--config <file>", "--rows <n>", "--keep", "-h, --help"] {
            XCTAssertTrue(spec.help.contains(text), "help lacks \(text):\n\(spec.help)")
        }
    }

    func testDispatchStatuses() {
        XCTAssertEqual(CollectorCommand.run(["version"]), 0)
        XCTAssertEqual(CollectorCommand.run(["no-such-command"]), 64)
        XCTAssertEqual(CollectorCommand.run(["plugin", "check"]), 64, "missing file argument")
        XCTAssertEqual(CollectorCommand.run(["migrate", "--bogus"]), 64)
        XCTAssertEqual(CollectorCommand.run(["check-config", "--config", "/nonexistent/collector.toml"]), 2)
        // The benchmarks are executables of their own (Benchmarks/): the daemon has no bench commands.
        XCTAssertEqual(CollectorCommand.run(["bench-storage"]), 64)
        XCTAssertEqual(CollectorCommand.run(["bench-ingest"]), 64)
        XCTAssertEqual(CollectorCommand.run(["help", "plugin", "check"]), 0)
    }

    func testOverviewListsOperatorCommandsOnly() {
        XCTAssertTrue(CollectorCommand.overview.contains("plugin check"))
        XCTAssertFalse(CollectorCommand.overview.contains("bench"))
    }
}

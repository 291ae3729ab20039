import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// The loader against real shared libraries compiled from C with one `cc` command.
final class PluginLoaderTests: XCTestCase {
    var dir = ""

    override func setUpWithError() throws {
        dir = try TestSupport.makeTempDir("plugins")
        try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: dir + "/hello_parser.so")
    }

    override func tearDown() {
        _ = try? FileManager.default.removeItem(atPath: dir)
    }

    private func variant(_ file: String, _ defines: [String]) throws {
        try TestSupport.compilePlugin(TestSupport.fixturePlugin("variant.c"), to: dir + "/" + file, defines: defines)
    }

    private func load(_ tweak: (inout CollectorConfig) -> Void = { _ in }) throws -> PluginLoader.Report {
        var config = try ConfigLoader.load(toml: "", environment: [:]).config
        config.plugins.dir = dir
        config.pluginSections["hello_parser"] = .table(["greeting": .string("hi from test")])
        tweak(&config)
        return PluginLoader(services: HostServices.offline(config)).loadAll()
    }

    private func reason(_ report: PluginLoader.Report, _ file: String) -> String? {
        report.refused.first { $0.path.hasSuffix("/" + file) }?.reason
    }

    func testExampleCPluginLoadsWithItsRegistrations() throws {
        let report = try load()
        XCTAssertEqual(report.refused.map(\.description), [])
        let hello = try XCTUnwrap(report.loaded.first { $0.name == "hello_parser" })
        XCTAssertEqual(hello.version, "1.0.0")
        XCTAssertEqual(hello.ticks.map(\.name), ["hello"])
        XCTAssertEqual(hello.parsers.map(\.name), ["hello"])
        XCTAssertEqual(hello.tables.map(\.target.table), ["collector.hello_counts"])
        XCTAssertEqual(hello.tables.first?.target.columns, ["host", "ts", "runs", "greeting"])
        XCTAssertEqual(hello.migrations.map(\.name), ["001_hello_counts"])
    }

    func testExampleTickEmitsRowsWithItsConfig() throws {
        let report = try load()
        let hello = try XCTUnwrap(report.loaded.first)
        let job = TickPlanner.job(for: hello.ticks[0], plugin: hello, config: hello.services.config)
        XCTAssertEqual(job.run(), .ok)
        XCTAssertEqual(job.run(), .ok)
        XCTAssertEqual(hello.services.writer.bufferedRows, 2)
        XCTAssertEqual(job.intervalNanos, 10_000_000_000, "default_interval_ms of the registration")
    }

    func testExampleParserParsesRecordsAndContinuations() throws {
        setenv("TZ", "UTC", 1)
        tzset()
        let hello = try XCTUnwrap(try load().loaded.first)
        let parser = ParserInstance(hello.parsers[0], source: "demo")
        func parse(_ s: String) -> ParsedLine {
            var s = s
            return s.withUTF8 { parser.parse(UnsafeRawBufferPointer($0)) }
        }
        let record = parse("2026-11-25 10:00:00 ERROR [worker-3] disk almost full")
        XCTAssertEqual(record.kind, .record)
        XCTAssertEqual(record.level, .error)
        XCTAssertEqual(record.component, "worker-3")
        XCTAssertEqual(record.message, "disk almost full")
        XCTAssertEqual(record.timestampMicros, 1_795_600_800_000_000)
        XCTAssertEqual(record.fields.first?.key, "component_kind")
        let continuation = parse("    at frame 2")
        XCTAssertEqual(continuation.kind, .continuation)
        XCTAssertEqual(continuation.message, "at frame 2")
        XCTAssertEqual(parse("garbage \u{1}\u{2}").kind, .unparsed)
        XCTAssertEqual(parse("").kind, .skip)
    }

    func testMismatchedABIMajorIsRefusedOthersLoad() throws {
        try variant("bad_major.so", ["BAD_MAJOR", "PLUGIN_NAME=\"bad_major\""])
        let report = try load()
        XCTAssertEqual(report.loaded.map(\.name), ["hello_parser"])
        let why = try XCTUnwrap(reason(report, "bad_major.so"))
        XCTAssertTrue(why.contains("ABI major 2 does not match the host's 1"), why)
    }

    func testNewerMinorAndOversizeDescriptorAreRefused() throws {
        try variant("newer_minor.so", ["NEWER_MINOR", "PLUGIN_NAME=\"newer\""])
        try variant("big_descriptor.so", ["BIG_DESCRIPTOR", "PLUGIN_NAME=\"big\""])
        let report = try load()
        XCTAssertEqual(report.loaded.map(\.name), ["hello_parser"])
        XCTAssertTrue(try XCTUnwrap(reason(report, "newer_minor.so")).contains("newer than the host's"))
        XCTAssertTrue(try XCTUnwrap(reason(report, "big_descriptor.so")).contains("larger than the host's"))
    }

    func testMissingEntrySymbolIsRefused() throws {
        try variant("no_entry.so", ["NO_ENTRY"])
        let report = try load()
        XCTAssertEqual(report.loaded.map(\.name), ["hello_parser"])
        XCTAssertTrue(try XCTUnwrap(reason(report, "no_entry.so")).contains("no pqc_plugin_entry() symbol"))
    }

    func testDuplicatePluginNameIsRefused() throws {
        // Sorted load order: hello_parser.so first, then the impostor.
        try variant("z_impostor.so", ["PLUGIN_NAME=\"hello_parser\""])
        let report = try load()
        XCTAssertEqual(report.loaded.map(\.name), ["hello_parser"])
        XCTAssertEqual(report.loaded.first?.path, dir + "/hello_parser.so")
        XCTAssertTrue(try XCTUnwrap(reason(report, "z_impostor.so")).contains("duplicate plugin name 'hello_parser'"))
    }

    func testDuplicateTickNameAndOversizeRegistrationAreRefused() throws {
        try variant("dup_tick.so", ["DUP_TICK", "PLUGIN_NAME=\"dup_tick\""])
        try variant("big_tick.so", ["BIG_TICK_DEF", "PLUGIN_NAME=\"big_tick\""])
        let report = try load()
        XCTAssertEqual(report.loaded.map(\.name), ["hello_parser"])
        XCTAssertTrue(try XCTUnwrap(reason(report, "dup_tick.so")).contains("duplicate tick name 'work'"))
        XCTAssertTrue(try XCTUnwrap(reason(report, "big_tick.so")).contains("larger than this host's"))
    }

    func testDuplicateParserNameAcrossPluginsIsRefused() throws {
        try variant("parser_clash.so", ["PARSER_NAME=\"hello\"", "PLUGIN_NAME=\"parser_clash\""])
        let report = try load()
        XCTAssertEqual(report.loaded.map(\.name), ["hello_parser"])
        XCTAssertTrue(try XCTUnwrap(reason(report, "parser_clash.so")).contains("duplicate parser name 'hello'"))
    }

    func testFailingInitIsRefused() throws {
        try variant("failing.so", ["FAIL_INIT", "PLUGIN_NAME=\"failing\""])
        let report = try load()
        XCTAssertEqual(report.loaded.map(\.name), ["hello_parser"])
        XCTAssertTrue(try XCTUnwrap(reason(report, "failing.so")).contains("init() returned PQC_FAIL: refusing to start on purpose"))
    }

    func testWorldWritableFileIsRefused() throws {
        try variant("writable.so", ["PLUGIN_NAME=\"writable\""])
        chmod(dir + "/writable.so", 0o666)
        let report = try load()
        XCTAssertEqual(report.loaded.map(\.name), ["hello_parser"])
        XCTAssertTrue(try XCTUnwrap(reason(report, "writable.so")).contains("world-writable"))
    }

    func testWritableDirectoryRefusesEverything() throws {
        chmod(dir, 0o777)
        let report = try load()
        XCTAssertEqual(report.loaded.count, 0)
        XCTAssertTrue(try XCTUnwrap(reason(report, "hello_parser.so")).contains("directory"))
    }

    /// A sticky world-writable directory (like /tmp) is accepted: there only the
    /// file's owner may remove or replace it.
    func testStickyDirectoryIsAccepted() throws {
        chmod(dir, 0o1777)
        let report = try load()
        XCTAssertEqual(report.loaded.map(\.name), ["hello_parser"])
        chmod(dir, 0o777)
        XCTAssertEqual(try load().loaded.count, 0, "without the sticky bit it is refused")
    }

    func testForeignOwnerIsRefused() throws {
        try variant("foreign.so", ["PLUGIN_NAME=\"foreign\""])
        XCTAssertEqual(chown(dir + "/foreign.so", 4242, 4242), 0, "the test runs as root in CI")
        let report = try load()
        XCTAssertEqual(report.loaded.map(\.name), ["hello_parser"])
        XCTAssertTrue(try XCTUnwrap(reason(report, "foreign.so")).contains("owned by uid 4242"))
    }

    func testDisabledListSkipsWithoutRefusing() throws {
        try variant("other.so", ["PLUGIN_NAME=\"other\""])
        let report = try load { $0.plugins.disabled = ["other"] }
        XCTAssertEqual(report.loaded.map(\.name), ["hello_parser"])
        XCTAssertEqual(report.skipped.map(\.name), ["other"])
        XCTAssertTrue(report.refused.isEmpty)
    }

    func testPluginTickIntervalFromConfig() throws {
        let report = try load { $0.pluginSections["hello_parser"] = .table(["intervals": .table(["hello": .int(3)])]) }
        let hello = try XCTUnwrap(report.loaded.first)
        XCTAssertEqual(TickPlanner.intervalSecs(hello.ticks[0], plugin: hello, config: hello.services.config), 3)
    }
}

/// ABI 1.x minors: plugins built against older headers keep loading, and
/// its additions are read only where a struct_size covers them.
final class ABIMinorTests: XCTestCase {
    func testPluginBuiltAgainstABI10LoadsAndGetsItsOldShutdown() throws {
        let dir = try TestSupport.makeTempDir("abi")
        try TestSupport.compilePlugin(TestSupport.fixturePlugin("variant.c"), to: dir + "/old.so", defines: ["ABI_1_0", "PLUGIN_NAME=\"old\""])
        try TestSupport.compilePlugin(TestSupport.fixturePlugin("variant.c"), to: dir + "/new.so", defines: ["SHUTDOWN_V2", "PLUGIN_NAME=\"newer\""])
        let check = try TestSupport.collector(["plugin", "check", dir + "/old.so"])
        XCTAssertEqual(check.status, 0, check.stdout + check.stderr)
        XCTAssertTrue(check.stdout.contains("abi:         1.0 (host 1.4)"), check.stdout)
        XCTAssertTrue(check.stdout.contains("struct_size: 48"), check.stdout)
        try TestSupport.write("[plugins]\ndir = \"\(dir)\"\n", to: dir + "/c.toml")
        let r = try TestSupport.collector(["plugins", "--config", dir + "/c.toml"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("old 0.0.1"), r.stdout)
        XCTAssertTrue(r.stdout.contains("newer 0.0.1"), r.stdout)
        // The 1.0 plugin's junk past its struct_size is never called; the 1.3 one gets its handle.
        XCTAssertTrue(r.stderr.contains("[plugin:old] shutdown() called"), r.stderr)
        XCTAssertTrue(r.stderr.contains("[plugin:newer] shutdown_v2() called with the init handle"), r.stderr)
        XCTAssertFalse(r.stderr.contains("[plugin:newer] shutdown() called"), r.stderr)
    }
}

import ByteKit
import Foundation
import PluginABI
import PluginTestKit
import XCTest

/// The plugin test kit (Sources/PluginTestKit): the C example's own tests run
/// on it, and it is usable from Swift.
final class TestKitTests: XCTestCase {
    /// Examples/hello-parser/hello_parser_test.c, built with one cc command and run.
    func testTheCExamplesOwnTestsPass() throws {
        let dir = try TestSupport.makeTempDir("testkit")
        let root = TestSupport.repoRoot.path
        let cc = try TestSupport.run("/usr/bin/env", ["cc", "-Wall", "-Werror", "-I", TestSupport.headerDir, "-I", root + "/Sources/PluginTestKit/include",
                                                      root + "/Examples/hello-parser/hello_parser.c", root + "/Examples/hello-parser/hello_parser_test.c",
                                                      "-o", dir + "/hello_test", "-ldl"])
        XCTAssertEqual(cc.status, 0, cc.stderr)
        let run = try TestSupport.run(dir + "/hello_test", [])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.contains("all checks passed"), run.stdout)
    }

    /// From Swift: load the built .so into a kit, parse, run its tick, read the rows.
    func testSwiftDrivesAPluginFileThroughTheKit() throws {
        let dir = try TestSupport.makeTempDir("testkit")
        let so = try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: dir + "/hello_parser.so")
        let kit = try XCTUnwrap(pqc_testkit_new())
        defer { pqc_testkit_free(kit) }
        XCTAssertEqual(pqc_testkit_load_file(kit, so), PQC_OK)
        XCTAssertEqual(pqc_testkit_run_tick(kit, "hello"), PQC_OK)
        XCTAssertEqual(pqc_testkit_rows(kit, "collector.hello_counts"), 1)
        XCTAssertEqual(pqc_testkit_cell(kit, "collector.hello_counts", 0, "greeting").map { String(cString: $0) }, "hello")
        var record = pqc_testkit_record()
        let line = "2026-11-25 10:00:00 WARN [db] slow"
        XCTAssertEqual(pqc_testkit_parse(kit, "hello", "src", line, line.utf8.count, &record), PQC_PARSE_RECORD)
        XCTAssertEqual(record.level, PQC_LEVEL_WARN.rawValue)
        XCTAssertEqual(record.message.map { String(cString: $0) }, "slow")
        XCTAssertEqual(record.component.map { String(cString: $0) }, "db")
        XCTAssertEqual(pqc_testkit_count(kit, "parser"), 1)
    }

    /// The kit's parse_timestamp answers as the host's does (one documented contract, two hosts).
    func testKitParseTimestampAgreesWithTheHost() throws {
        let kit = try XCTUnwrap(pqc_testkit_new())
        defer { pqc_testkit_free(kit) }
        let api = try XCTUnwrap(pqc_testkit_api(kit)).pointee
        for text in ["2026-11-28T10:00:00Z", "2026-11-28T11:00:00.123456789+01:00", "2026-11-28 05:30:00-0430", "2026-11-28t10:00:00+00",
                     " 2026-11-28T10:00 ", "1969-12-31T23:59:59.5Z", "2024-02-29T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-28T10:00:00 UTC",
                     "2026-11-28T10:00:00.", "2026-11-28X10:00:00Z", "1795860000", ""] {
            var out: Int64 = 0
            let status = text.withCString { api.parse_timestamp(UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self), text.utf8.count, &out) }
            let host = try? TimestampText.epochMicros(ArraySlice(Array(text.utf8)))
            XCTAssertEqual(status == PQC_OK ? out : nil, host, text)
        }
    }
}

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

    /// The kit checks cells against table_open_typed's declarations as the host
    /// does (Fixtures/plugins/typed.c's cases); what needs the table (NOT NULL,
    /// ranges, the table's own types) passes in the kit.
    func testKitRefusesCellsAgainstTheirDeclarationsAsTheHostDoes() throws {
        let dir = try TestSupport.makeTempDir("testkit")
        let so = try TestSupport.compilePlugin(TestSupport.fixturePlugin("typed.c"), to: dir + "/typed.so")
        let kit = try XCTUnwrap(pqc_testkit_new())
        defer { pqc_testkit_free(kit) }
        XCTAssertEqual(pqc_testkit_load_file(kit, so), PQC_OK)
        XCTAssertEqual(pqc_testkit_column_type(kit, "collector.typed_rows", "meta"), PQC_VALUE_JSON.rawValue)
        XCTAssertEqual(pqc_testkit_run_tick(kit, "cases"), PQC_OK)
        let table = "collector.typed_results"
        var results: [String: (status: String, error: String)] = [:]
        for row in 0..<pqc_testkit_rows(kit, table) {
            let cell = { (c: String) in pqc_testkit_cell(kit, table, row, c).map { String(cString: $0) } ?? "" }
            results[cell("name")] = (cell("status"), cell("error"))
        }
        let ok = String(PQC_OK.rawValue), einval = String(PQC_EINVAL.rawValue)
        let expected: [String: String] = [
            "init_array_type": einval, "init_flags": einval, "init_repeated": einval,
            "good": ok, "int_as_double": ok, "nan_in_nullable": ok,
            "text_in_int": einval, "json_in_text": einval, "double_in_json": einval, "wrong_count": einval,
            "null_in_not_null": ok, "int4_overflow": ok, "declared_against_table": ok,
        ]
        XCTAssertEqual(results.mapValues(\.status), expected)
        XCTAssertEqual(results["text_in_int"]?.error, "table_emit: collector.typed_rows.n (declared INT) cannot take cell type TEXT", "the host's words")
        XCTAssertEqual(results["wrong_count"]?.error, "table_emit: 3 values for 4 columns of collector.typed_rows")
    }

    /// PluginKit declares its layouts' types where the host has table_open_typed
    /// (ABI 1.4) and falls back to table_open on an older host: the bundled
    /// SystemMetrics plugin in a kit whose API table is cut to the 1.3 size.
    func testPluginKitDeclaresTypesAndFallsBackOnAnOlderHost() throws {
        let so = TestSupport.binDir + "/libSystemMetrics.so"
        for (size, typed) in [(MemoryLayout<pqc_host_api>.size, true), (MemoryLayout<pqc_host_api>.offset(of: \.table_open_typed)!, false)] {
            let kit = try XCTUnwrap(pqc_testkit_new())
            defer { pqc_testkit_free(kit) }
            UnsafeMutablePointer(mutating: try XCTUnwrap(pqc_testkit_api(kit))).pointee.struct_size = UInt32(size)
            XCTAssertEqual(pqc_testkit_load_file(kit, so), PQC_OK)
            XCTAssertEqual(pqc_testkit_column_type(kit, "collector.system_metrics_raw", "cpu_count"), typed ? PQC_VALUE_INT.rawValue : PQC_VALUE_NULL.rawValue)
            XCTAssertEqual(pqc_testkit_column_type(kit, "collector.system_metrics_raw", "cpu_cores"), typed ? PQC_VALUE_JSON.rawValue : PQC_VALUE_NULL.rawValue)
            XCTAssertEqual(pqc_testkit_run_tick(kit, "sys"), PQC_OK, "API size \(size)")
            XCTAssertEqual(pqc_testkit_run_tick(kit, "sys"), PQC_OK, "API size \(size)")
            XCTAssertGreaterThanOrEqual(pqc_testkit_rows(kit, "collector.system_metrics_raw"), 1, "every cell fits its declaration; API size \(size)")
        }
    }

    /// Canned SQL and HTTP answers drive an analyzer and a tick that read
    /// (Fixtures/plugins/reader.c); what matches nothing is PQC_RETRY, a canned
    /// error PQC_FAIL with its text, and the statements run are recorded.
    func testCannedQueryAndHTTPAnswersDriveAnAnalyzerAndATick() throws {
        let dir = try TestSupport.makeTempDir("testkit")
        let so = try TestSupport.compilePlugin(TestSupport.fixturePlugin("reader.c"), to: dir + "/reader.so")
        func withCStrings<T>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> T) -> T {
            let owned = strings.map { $0.map { strdup($0)! } }
            defer { owned.forEach { free($0) } }
            return body(owned.map { $0.map { UnsafePointer($0) } })
        }

        let kit = try XCTUnwrap(pqc_testkit_new())
        defer { pqc_testkit_free(kit) }
        XCTAssertEqual(pqc_testkit_load_file(kit, so), PQC_OK)
        XCTAssertEqual(pqc_testkit_run_tick(kit, "scrape"), PQC_RETRY, "no answer: as a refused connection")
        XCTAssertEqual(pqc_testkit_run_analyzer(kit, "disk"), PQC_RETRY, "no answer: as no database")
        withCStrings(["mount", "used_pct"]) { columns in
            withCStrings(["/", "95.5", "/home", "40", "/var", nil]) { cells in
                pqc_testkit_query_answer(kit, "FROM collector.disk", 2, columns, 3, cells)
            }
        }
        pqc_testkit_http_answer(kit, "http://127.0.0.1:9100/status", 503, "down", 4)
        XCTAssertEqual(pqc_testkit_run_analyzer(kit, "disk"), PQC_OK)
        XCTAssertEqual(pqc_testkit_findings(kit), 1)
        XCTAssertEqual(pqc_testkit_finding(kit, 0).flatMap { $0.pointee.key }.map { String(cString: $0) }, "disk:/")
        XCTAssertEqual(pqc_testkit_finding(kit, 0)?.pointee.value, 95.5)
        XCTAssertEqual(pqc_testkit_queries(kit), 2, "the refused DELETE is not run, the unanswered SELECT is recorded")
        XCTAssertEqual(pqc_testkit_query_sql(kit, 1).map { String(cString: $0) }, "SELECT mount, used_pct FROM collector.disk WHERE host = $1")
        XCTAssertEqual(pqc_testkit_query_param(kit, 1, 0).map { String(cString: $0) }, "h1")
        let logs = (0..<pqc_testkit_count(kit, "log")).compactMap { pqc_testkit_log_line(kit, $0).map { String(cString: $0) } }
        XCTAssertTrue(logs.contains("INFO readonly refused a DELETE"), "\(logs)")
        XCTAssertEqual(pqc_testkit_run_tick(kit, "scrape"), PQC_OK)
        XCTAssertEqual(pqc_testkit_cell(kit, "collector.reader_status", 0, "status").map { String(cString: $0) }, "503")
        XCTAssertEqual(pqc_testkit_cell(kit, "collector.reader_status", 0, "body").map { String(cString: $0) }, "down")

        let failing = try XCTUnwrap(pqc_testkit_new())
        defer { pqc_testkit_free(failing) }
        XCTAssertEqual(pqc_testkit_load_file(failing, so), PQC_OK)
        pqc_testkit_query_error(failing, "collector.disk", "SQLSTATE 42P01: relation \"collector.disk\" does not exist")
        XCTAssertEqual(pqc_testkit_run_analyzer(failing, "disk"), PQC_FAIL)
        XCTAssertEqual(pqc_testkit_log_line(failing, 0).map { String(cString: $0) }, "ERROR SQLSTATE 42P01: relation \"collector.disk\" does not exist")
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

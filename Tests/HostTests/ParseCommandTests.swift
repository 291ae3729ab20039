import Foundation
import CollectorTestSupport
import XCTest

/// `parse`: a parser run over a file without a database, as a plugin author
/// runs it while writing one (issue 16). No DB_* variables: nothing may need one.
final class ParseCommandTests: XCTestCase {
    private func records(_ stdout: String) throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
    }

    /// The bundled syslog parser, in process: one JSON object per line, ts in
    /// RFC 3339, the summary on stderr; --strict fails on an unparsed line.
    func testBundledParserPrintsOneRecordPerLine() throws {
        let dir = try TestSupport.makeTempDir("parse")
        try TestSupport.write("[plugins]\nfiles = [\"\(TestSupport.binDir)/libLogSources.so\"]\n", to: dir + "/c.toml")
        let lines = (1...5).map { "2026-11-28T10:00:0\($0)+00:00 web sshd[\($0)]: Failed password for root from 203.0.113.\($0) port 22 ssh2" }
        try TestSupport.write(lines.joined(separator: "\n") + "\n", to: dir + "/in.log")
        let r = try TestSupport.collector(["parse", "--config", dir + "/c.toml", "--parser", "syslog", dir + "/in.log"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let out = try records(r.stdout)
        XCTAssertEqual(out.count, 5, r.stdout)
        let first = try XCTUnwrap(out.first)
        XCTAssertEqual(first["ts"] as? String, "2026-11-28T10:00:01.000000Z")
        XCTAssertEqual(first["lines"] as? [Int], [1, 1])
        XCTAssertEqual(first["component"] as? String, "sshd")
        XCTAssertNotNil(first["fingerprint"] as? String)
        XCTAssertNotNil(first["template"] as? String)
        XCTAssertNotNil(first["fields"] as? [String: Any])
        XCTAssertTrue(r.stderr.contains("parse: 5 line(s): 5 record(s), 0 continuation(s), 0 skipped, 0 unparsed"), r.stderr)

        // From stdin ('-'), with a line no syslog parser reads: kept raw, and --strict fails.
        try TestSupport.write(lines[0] + "\n\u{1}garbage\n", to: dir + "/bad.log")
        let strict = try TestSupport.run("/bin/sh", ["-c", "\(TestSupport.collectorBinary) parse --strict --config \(dir)/c.toml --parser syslog - < \(dir)/bad.log"])
        XCTAssertEqual(strict.status, 1, strict.stderr)
        XCTAssertTrue(strict.stderr.contains("1 unparsed"), strict.stderr)
        let raw = try records(strict.stdout)
        XCTAssertEqual(raw.count, 2, strict.stdout)
        XCTAssertEqual((raw.last?["fields"] as? [String: Any])?["unparsed"] as? Bool, true, strict.stdout)
    }

    /// A third-party C plugin from --plugin runs isolated, as in the daemon;
    /// continuation lines join their record and the line range says so.
    func testPluginFileRunsIsolatedAndJoinsContinuations() throws {
        let dir = try TestSupport.makeTempDir("parse")
        let so = try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: dir + "/hello_parser.so")
        try TestSupport.write("""
            2026-11-25 10:00:00 ERROR [worker-3] disk almost full
              at /var/lib/data
              and more

            2026-11-25 10:00:05 INFO done
            """ + "\n", to: dir + "/hello.log")
        let r = try TestSupport.collector(["parse", "--plugin", so, "--parser", "hello", "--source", "mine", dir + "/hello.log"],
                                          environment: ["LOG_LEVEL": "info"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("plugin hello_parser is isolated"), r.stderr)
        let out = try records(r.stdout)
        XCTAssertEqual(out.count, 2, r.stdout)
        XCTAssertEqual(out[0]["lines"] as? [Int], [1, 3])
        XCTAssertEqual(out[0]["message"] as? String, "disk almost full\nat /var/lib/data\nand more")
        XCTAssertEqual(out[0]["level"] as? String, "error")
        XCTAssertEqual((out[0]["fields"] as? [String: Any])?["component_kind"] as? String, "bracketed")
        XCTAssertEqual(out[1]["lines"] as? [Int], [5, 5])
        XCTAssertTrue(r.stderr.contains("2 record(s), 2 continuation(s), 1 skipped, 0 unparsed"), r.stderr)
    }

    func testParserNobodyProvidesAndMissingParserOption() throws {
        let dir = try TestSupport.makeTempDir("parse")
        try TestSupport.write("[plugins]\nfiles = [\"\(TestSupport.binDir)/libLogSources.so\"]\n", to: dir + "/c.toml")
        let none = try TestSupport.collector(["parse", "--config", dir + "/c.toml", "--parser", "nope", "/dev/null"])
        XCTAssertEqual(none.status, 1)
        XCTAssertTrue(none.stderr.contains("no loaded plugin provides parser 'nope'"), none.stderr)
        XCTAssertTrue(none.stderr.contains("syslog"), none.stderr)
        let missing = try TestSupport.collector(["parse", "/dev/null"])
        XCTAssertEqual(missing.status, 64)
        XCTAssertTrue(missing.stderr.contains("missing --parser"), missing.stderr)
        let help = try TestSupport.collector(["parse", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.contains("[<file>]"), help.stdout)
    }
}

/// `[[logs.sources]] options` reach the parser's create_with_options (ABI 1.3),
/// in a runner and in process.
final class SourceOptionsTests: XCTestCase {
    func testOptionsReachCreateWithOptions() throws {
        let dir = try TestSupport.makeTempDir("opts")
        let so = try TestSupport.compilePlugin(TestSupport.fixturePlugin("variant.c"), to: dir + "/opts.so",
                                               defines: ["OPTIONS_PARSER", "PLUGIN_NAME=\"opts_plugin\""])
        try TestSupport.write("one\n", to: dir + "/in.log")
        for isolate in [true, false] {
            try TestSupport.write("""
                [[logs.sources]]
                name = "mine"
                path = "\(dir)/in.log"
                parser = "opts"
                options = { tag = "web", n = 3, ignored = true }
                [plugin.opts_plugin]
                isolate = \(isolate)
                """, to: dir + "/c.toml")
            let r = try TestSupport.collector(["parse", "--config", dir + "/c.toml", "--plugin", so, "--parser", "opts", "--source", "mine", dir + "/in.log"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertTrue(r.stdout.contains("\"message\":\"web/3/one\""), "isolate \(isolate): \(r.stdout)")
            // Another source name has no options.
            let other = try TestSupport.collector(["parse", "--config", dir + "/c.toml", "--plugin", so, "--parser", "opts", dir + "/in.log"])
            XCTAssertTrue(other.stdout.contains("\"message\":\"none/0/one\""), other.stdout)
        }
        try TestSupport.write("[[logs.sources]]\nname = \"x\"\npath = \"/x\"\nparser = \"opts\"\noptions = { list = [1] }\n", to: dir + "/bad.toml")
        let bad = try TestSupport.collector(["check-config", "--config", dir + "/bad.toml"])
        XCTAssertEqual(bad.status, 2)
        XCTAssertTrue(bad.stderr.contains("logs.sources[0].options.list"), bad.stderr)
    }
}

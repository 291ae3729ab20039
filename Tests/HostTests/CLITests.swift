import Foundation
import CollectorTestSupport
import XCTest

/// The binary as an operator runs it.
final class CLITests: XCTestCase {
    func testVersion() throws {
        let r = try TestSupport.collector(["version"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.hasPrefix("pqcrypta-collector "), r.stdout)
        XCTAssertTrue(r.stdout.contains("plugin ABI 1.4"), r.stdout)
    }

    func testCheckConfigWrongTypeExitsNonZeroNamingTheKey() throws {
        let dir = try TestSupport.makeTempDir("cfg")
        try TestSupport.write("[database]\nport = \"not a number\"\n", to: dir + "/bad.toml")
        let r = try TestSupport.collector(["check-config", "--config", dir + "/bad.toml"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("database.port: expected an integer"), r.stderr)
    }

    func testCheckConfigUnknownKeyWarnsAndPasses() throws {
        let dir = try TestSupport.makeTempDir("cfg")
        try TestSupport.write("[database]\nport = 5433\nprot = 1\n", to: dir + "/typo.toml")
        let r = try TestSupport.collector(["check-config", "--config", dir + "/typo.toml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("unknown key 'database.prot'"), r.stderr)
        XCTAssertTrue(r.stdout.contains("config OK"))
    }

    /// The default log sources come from the LogSources plugin (register_source),
    /// and check-config lists the effective set by name.
    func testCheckConfigListsThePluginsDefaultSources() throws {
        let dir = try TestSupport.makeTempDir("cfg")
        let plugin = TestSupport.binDir + "/libLogSources.so"
        try TestSupport.write("""
            [plugins]
            files = ["\(plugin)"]
            [[logs.sources]]
            name = "kernel"
            enabled = false
            """, to: dir + "/c.toml")
        let r = try TestSupport.collector(["check-config", "--config", dir + "/c.toml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("log sources: 12 enabled"), r.stdout)
        for name in ["postgresql", "api", "proxy", "collector", "auth", "fail2ban", "apache_error", "apache_internal_error",
                     "health_check", "blocklist", "bot_detection", "certbot"] {
            XCTAssertTrue(r.stdout.contains("    \(name): "), "\(name) in \(r.stdout)")
        }
        XCTAssertTrue(r.stdout.contains("    kernel: file /var/log/kern.log, parser syslog (disabled)"), r.stdout)

        // Defaults off, and a source whose parser nobody provides: exit 2, naming the key.
        try TestSupport.write("""
            [plugins]
            files = ["\(plugin)"]
            [logs]
            default_sources = false
            [[logs.sources]]
            name = "mine"
            path = "/var/log/mine.log"
            parser = "nope"
            """, to: dir + "/orphan.toml")
        let orphan = try TestSupport.collector(["check-config", "--config", dir + "/orphan.toml"])
        XCTAssertEqual(orphan.status, 2, orphan.stderr)
        XCTAssertTrue(orphan.stderr.contains("logs.sources[0].parser"), orphan.stderr)
        XCTAssertTrue(orphan.stderr.contains("'nope'"), orphan.stderr)
    }

    /// [scrape] and collector.processes belong to their plugins: the host warns
    /// about them only when no loaded plugin reads them, and a bad value is
    /// refused by the plugin, naming the key, with exit status 2.
    func testPluginOwnedKeysAreCheckedByTheirPlugins() throws {
        let dir = try TestSupport.makeTempDir("cfg")
        let plugins = ["libAppMetrics.so", "libSystemMetrics.so"].map { "\"" + TestSupport.binDir + "/" + $0 + "\"" }
        try TestSupport.write("""
            [plugins]
            files = [\(plugins.joined(separator: ", "))]
            [scrape]
            timeout_ms = 500
            [collector]
            processes = ["postgres"]
            """, to: dir + "/ok.toml")
        let ok = try TestSupport.collector(["check-config", "--config", dir + "/ok.toml"])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertFalse(ok.stderr.contains("unknown key"), "a plugin reads them: \(ok.stderr)")

        try TestSupport.write("[scrape]\ntimeout_ms = 500\n", to: dir + "/noplugin.toml")
        let alone = try TestSupport.collector(["check-config", "--config", dir + "/noplugin.toml"])
        XCTAssertEqual(alone.status, 0, alone.stderr)
        XCTAssertTrue(alone.stderr.contains("unknown key 'scrape.timeout_ms'"), "no plugin reads it: \(alone.stderr)")

        try TestSupport.write("""
            [plugins]
            files = [\(plugins.joined(separator: ", "))]
            [scrape]
            timeout_ms = 5
            """, to: dir + "/bad.toml")
        let bad = try TestSupport.collector(["check-config", "--config", dir + "/bad.toml"])
        XCTAssertEqual(bad.status, 2, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("scrape.timeout_ms: 5 is out of range"), bad.stderr)

        try TestSupport.write("""
            [plugins]
            files = [\(plugins.joined(separator: ", "))]
            [collector]
            processes = "postgres"
            """, to: dir + "/badproc.toml")
        let badProc = try TestSupport.collector(["check-config", "--config", dir + "/badproc.toml"])
        XCTAssertEqual(badProc.status, 2, badProc.stderr)
        XCTAssertTrue(badProc.stderr.contains("collector.processes"), badProc.stderr)
    }

    /// Every bad value of issue 15, each refused the same way by `check-config`
    /// and by `run` (before it connects to anything): exit status 2 and a
    /// message naming the key (or the variable, or the file and line).
    func testEveryBadValueIsRefusedByCheckConfigAndAtStart() throws {
        let dir = try TestSupport.makeTempDir("badcfg")
        let state = dir + "/state"
        try TestSupport.write("not a directory", to: dir + "/plain-file")
        struct Case {
            let name: String
            var file: [UInt8]
            var environment: [String: String] = [:]
            /// What stderr must contain: the key (or variable, or line) and the reason.
            let expected: [String]
        }
        func toml(_ text: String) -> [UInt8] { Array(text.utf8) }
        let cases: [Case] = [
            Case(name: "unwritable state_dir (a file on its path)", file: toml("[collector]\nstate_dir = \"\(dir)/plain-file/state\"\n"),
                 expected: ["collector.state_dir", "exists and is not a directory"]),
            Case(name: "state_dir that cannot be created", file: toml("[collector]\nstate_dir = \"/proc/pqc-no-state\"\n"),
                 expected: ["collector.state_dir", "cannot create /proc/pqc-no-state"]),
            Case(name: "state_dir from the environment", file: [], environment: ["COLLECTOR_STATE_DIR": dir + "/plain-file"],
                 expected: ["COLLECTOR_STATE_DIR", "exists and is not a directory"]),
            Case(name: "negative plugin interval", file: toml("[plugin.x]\ninterval_secs = -1\n"),
                 expected: ["plugin.x.interval_secs", "-1 is out of range"]),
            Case(name: "zero plugin interval", file: toml("[plugin.x]\ninterval_secs = 0\n"),
                 expected: ["plugin.x.interval_secs", "out of range"]),
            Case(name: "plugin interval of the wrong type", file: toml("[plugin.x]\ninterval_secs = \"10\"\n"),
                 expected: ["plugin.x.interval_secs", "expected a number of seconds, found a string"]),
            Case(name: "tick interval of the wrong type", file: toml("[plugin.x.intervals]\nsys = \"fast\"\n"),
                 expected: ["plugin.x.intervals.sys", "expected a number of seconds"]),
            Case(name: "intervals not a table", file: toml("[plugin.x]\nintervals = 5\n"),
                 expected: ["plugin.x.intervals", "expected a table"]),
            Case(name: "1 MB hostname", file: toml("[collector]\nhostname = \"\(String(repeating: "h", count: 1 << 20))\"\n"),
                 expected: ["collector.hostname", "1048576 bytes long; at most 255"]),
            Case(name: "256-byte hostname", file: toml("[collector]\nhostname = \"\(String(repeating: "h", count: 256))\"\n"),
                 expected: ["collector.hostname", "256 bytes long"]),
            Case(name: "empty hostname", file: toml("[collector]\nhostname = \"\"\n"),
                 expected: ["collector.hostname", "must not be empty"]),
            Case(name: "hostname with a control character", file: toml("[collector]\nhostname = \"db\\u0007one\"\n"),
                 expected: ["collector.hostname", "control character U+0007"]),
            Case(name: "hostname from the environment", file: [], environment: ["COLLECTOR_HOSTNAME": "a\tb"],
                 expected: ["COLLECTOR_HOSTNAME", "control character U+0009"]),
            Case(name: "invalid UTF-8 in the hostname", file: toml("[collector]\nhostname = \"db") + [0xC3, 0x28] + toml("\"\n"),
                 expected: ["line 2", "invalid UTF-8 (byte 0xC3)"]),
            Case(name: "invalid UTF-8 in a comment", file: toml("# ok\n[database]\n# caf") + [0xE9] + toml("\nport = 5432\n"),
                 expected: ["line 3", "column 6", "invalid UTF-8 (byte 0xE9)"]),
            Case(name: "unknown log level", file: toml("[collector]\nlog_level = \"verbose\"\n"),
                 expected: ["collector.log_level", "\"verbose\" is not a level"]),
            Case(name: "unknown log level from the environment", file: [], environment: ["LOG_LEVEL": "loud"],
                 expected: ["LOG_LEVEL", "\"loud\" is not a level"]),
            Case(name: "zone the database does not have", file: toml("[logs]\ntimezone = \"Mars/Olympus_Mons\"\n"),
                 expected: ["logs.timezone", "no such zone"]),
            Case(name: "zone outside the database", file: toml("[logs]\ntimezone = \"../../../etc/passwd\"\n"),
                 expected: ["logs.timezone", "cannot contain '..'"]),
            Case(name: "a zone directory", file: toml("[logs]\ntimezone = \"Europe\"\n"),
                 expected: ["logs.timezone", "not a zone"]),
            Case(name: "two sources with one name", file: toml("""
                [[logs.sources]]
                name = "app"
                path = "/var/log/a.log"
                parser = "syslog"
                [[logs.sources]]
                name = "app"
                path = "/var/log/b.log"
                parser = "syslog"

                """), expected: ["logs.sources[1].name", "source 'app' is already defined by logs.sources[0]"]),
            Case(name: "a key 30,000 parts deep", file: toml(Array(repeating: "a", count: 30_000).joined(separator: ".") + " = 1\n"),
                 expected: ["line 1", "key nested more than 128 tables deep"]),
        ]
        for (index, c) in cases.enumerated() {
            let path = dir + "/case\(index).toml"
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(c.file)))
            var environment = c.environment
            // A writable state directory, unless the case is about that one.
            if environment["COLLECTOR_STATE_DIR"] == nil && !c.name.contains("state_dir") { environment["COLLECTOR_STATE_DIR"] = state }
            for command in ["check-config", "run"] {
                let r = try TestSupport.collector([command, "--config", path], environment: environment)
                XCTAssertEqual(r.status, 2, "\(c.name), \(command): \(r.stderr)")
                for part in c.expected {
                    XCTAssertTrue(r.stderr.contains(part), "\(c.name), \(command): '\(part)' not in \(r.stderr.prefix(500))")
                }
            }
        }

        // A directory as the config path: refused, not run on defaults.
        for command in ["check-config", "run"] {
            let r = try TestSupport.collector([command, "--config", dir], environment: ["COLLECTOR_STATE_DIR": state])
            XCTAssertEqual(r.status, 2, "\(command): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("\(dir): is a directory, not a configuration file"), r.stderr)
        }

        // A section for a plugin that is not loaded: a warning naming it, not a refusal.
        try TestSupport.write("[plugin.nosuchplugin]\ninterval_secs = 5\n", to: dir + "/section.toml")
        let warned = try TestSupport.collector(["check-config", "--config", dir + "/section.toml"], environment: ["COLLECTOR_STATE_DIR": state])
        XCTAssertEqual(warned.status, 0, warned.stderr)
        XCTAssertTrue(warned.stderr.contains("section [plugin.nosuchplugin] ignored: no plugin named 'nosuchplugin' is loaded"), warned.stderr)

        // check-config created the state directory and left nothing in it.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: state), [])
    }

    func testCheckConfigReadsCOLLECTOR_CONFIG() throws {
        let dir = try TestSupport.makeTempDir("cfg")
        try TestSupport.write("[intervals]\nsystem_secs = 0\n", to: dir + "/env.toml")
        let r = try TestSupport.collector(["check-config"], environment: ["COLLECTOR_CONFIG": dir + "/env.toml"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("intervals.system_secs"), r.stderr)
    }

    func testMissingExplicitConfigIsAnError() throws {
        let r = try TestSupport.collector(["check-config", "--config", "/nonexistent/collector.toml"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stderr.contains("file not found"), r.stderr)
    }

    func testPluginCheckAcceptsTheCExampleAndRefusesLibz() throws {
        let dir = try TestSupport.makeTempDir("check")
        let so = try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: dir + "/hello_parser.so")
        let ok = try TestSupport.collector(["plugin", "check", so])
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertTrue(ok.stdout.contains("name:        hello_parser"), ok.stdout)
        XCTAssertTrue(ok.stdout.contains("abi:         1.4"), ok.stdout)

        let libz = ["/lib/x86_64-linux-gnu/libz.so.1", "/usr/lib/x86_64-linux-gnu/libz.so.1"].first { FileManager.default.fileExists(atPath: $0) }
        let z = try TestSupport.collector(["plugin", "check", try XCTUnwrap(libz)])
        XCTAssertNotEqual(z.status, 0)
        XCTAssertTrue(z.stderr.contains("no pqc_plugin_entry() symbol"), z.stderr)
    }

    func testPluginsListsLoadedAndRefused() throws {
        let dir = try TestSupport.makeTempDir("list")
        try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: dir + "/hello_parser.so")
        try TestSupport.compilePlugin(TestSupport.fixturePlugin("variant.c"), to: dir + "/bad.so", defines: ["BAD_MAJOR"])
        try TestSupport.write("[plugins]\ndir = \"\(dir)\"\n", to: dir + "/c.toml")
        let r = try TestSupport.collector(["plugins", "--config", dir + "/c.toml"])
        XCTAssertEqual(r.status, 1, "a refused plugin fails the listing: \(r.stderr)")
        XCTAssertTrue(r.stdout.contains("hello_parser 1.0.0"), r.stdout)
        XCTAssertTrue(r.stdout.contains("tick     hello"), r.stdout)
        XCTAssertTrue(r.stdout.contains("parser   hello"), r.stdout)
        XCTAssertTrue(r.stdout.contains("table    collector.hello_counts (runs INT, greeting TEXT)"), "declared types listed: \(r.stdout)")
        XCTAssertTrue(r.stdout.contains("refused   \(dir)/bad.so: ABI major 2"), r.stdout)
    }
}

/// Exit statuses and help the issue 16 review found wrong.
final class CLIExitStatusTests: XCTestCase {
    func testPluginGroupHelp() throws {
        for words in [["plugin", "--help"], ["plugin", "-h"], ["help", "plugin"]] {
            let r = try TestSupport.collector(words)
            XCTAssertEqual(r.status, 0, "\(words): \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("plugin check"), r.stdout)
        }
        let bare = try TestSupport.collector(["plugin"])
        XCTAssertEqual(bare.status, 64)
        XCTAssertTrue(bare.stderr.contains("plugin check"), bare.stderr)
        // Every listed command answers --help.
        let overview = try TestSupport.collector(["--help"])
        for name in ["run", "check-config", "migrate", "plugins", "plugin check", "parse", "status", "version"] {
            XCTAssertTrue(overview.stdout.contains("  \(name) "), "\(name) in \(overview.stdout)")
            let r = try TestSupport.collector(name.split(separator: " ").map(String.init) + ["--help"])
            XCTAssertEqual(r.status, 0, "\(name) --help: \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("usage: pqcrypta-collector \(name)"), r.stdout)
        }
    }

    func testPluginCheckFailsForAWorldWritableFile() throws {
        let dir = try TestSupport.makeTempDir("check")
        let so = try TestSupport.compilePlugin(TestSupport.examplePluginSource, to: dir + "/hello_parser.so")
        chmod(so, 0o666)
        let r = try TestSupport.collector(["plugin", "check", so])
        XCTAssertEqual(r.status, 1, r.stdout)
        XCTAssertTrue(r.stdout.contains("abi check:   ok"), r.stdout)
        XCTAssertTrue(r.stderr.contains("world-writable"), r.stderr)
    }

    /// init() returning PQC_FAIL is reported by the header's name, with the reason it logged.
    func testInitFailureIsNamedPQC_FAIL() throws {
        let dir = try TestSupport.makeTempDir("fail")
        try TestSupport.compilePlugin(TestSupport.fixturePlugin("variant.c"), to: dir + "/failing.so", defines: ["FAIL_INIT"])
        try TestSupport.write("[plugins]\ndir = \"\(dir)\"\n", to: dir + "/c.toml")
        let r = try TestSupport.collector(["plugins", "--config", dir + "/c.toml"])
        XCTAssertEqual(r.status, 1, r.stdout)
        XCTAssertTrue(r.stdout.contains("init() returned PQC_FAIL"), r.stdout)
    }

    /// --print-effective: every default source by name, as TOML the collector reads back.
    func testCheckConfigPrintEffectiveRoundTrips() throws {
        let dir = try TestSupport.makeTempDir("eff")
        try TestSupport.write("[plugins]\nfiles = [\"\(TestSupport.binDir)/libLogSources.so\"]\n[database]\npassword = \"s3cret\"\n",
                              to: dir + "/c.toml")
        let r = try TestSupport.collector(["check-config", "--print-effective", "--config", dir + "/c.toml"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.components(separatedBy: "[[logs.sources]]").count - 1, 13, r.stdout)
        XCTAssertTrue(r.stdout.contains("name = \"postgresql\""), r.stdout)
        XCTAssertTrue(r.stdout.contains("default_sources = true"), r.stdout)
        XCTAssertFalse(r.stdout.contains("s3cret"), r.stdout)
        try TestSupport.write(r.stdout.replacingOccurrences(of: "(set, not shown)", with: "x"), to: dir + "/effective.toml")
        let again = try TestSupport.collector(["check-config", "--config", dir + "/effective.toml"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("log sources: 13 enabled"), again.stdout)
    }
}

import Foundation
import CollectorTestSupport
import XCTest

/// The binary as an operator runs it.
final class CLITests: XCTestCase {
    func testVersion() throws {
        let r = try TestSupport.collector(["version"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.hasPrefix("pqcrypta-collector "), r.stdout)
        XCTAssertTrue(r.stdout.contains("plugin ABI 1.3"), r.stdout)
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
        XCTAssertTrue(ok.stdout.contains("abi:         1.3"), ok.stdout)

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

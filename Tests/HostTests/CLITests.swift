import Foundation
import CollectorTestSupport
import XCTest

/// The binary as an operator runs it.
final class CLITests: XCTestCase {
    func testVersion() throws {
        let r = try TestSupport.collector(["version"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.hasPrefix("pqcrypta-collector "), r.stdout)
        XCTAssertTrue(r.stdout.contains("plugin ABI 1.1"), r.stdout)
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
        XCTAssertTrue(ok.stdout.contains("abi:         1.1"), ok.stdout)

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
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("hello_parser 1.0.0"), r.stdout)
        XCTAssertTrue(r.stdout.contains("tick     hello"), r.stdout)
        XCTAssertTrue(r.stdout.contains("parser   hello"), r.stdout)
        XCTAssertTrue(r.stdout.contains("refused   \(dir)/bad.so: ABI major 2"), r.stdout)
    }
}

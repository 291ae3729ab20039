import Foundation
import CollectorTestSupport
import XCTest

/// scripts/install.sh into a DESTDIR, a third-party plugin built against the
/// installed header through pkg-config, and docs/writing-a-plugin.md's walk
/// followed literally (scripts/doc-walk.sh) against the installed collector.
final class InstallLayoutTests: XCTestCase {
    private var destdir = ""

    override func setUpWithError() throws {
        destdir = try TestSupport.makeTempDir("destdir")
        let r = try TestSupport.run("/bin/bash", [TestSupport.repoRoot.path + "/scripts/install.sh", "--destdir", destdir,
                                                  "--prefix", "/usr/local", "--bin-dir", TestSupport.binDir])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: destdir) }

    private var pkgConfigEnvironment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["PKG_CONFIG_PATH"] = destdir + "/usr/local/lib/pkgconfig"
        env["PKG_CONFIG_SYSROOT_DIR"] = destdir
        env["PATH"] = destdir + "/usr/local/bin:" + (env["PATH"] ?? "/usr/bin:/bin")
        for key in env.keys where key.hasPrefix("DB_") || key == "COLLECTOR_CONFIG" { env[key] = nil }
        return env
    }

    private func mode(_ path: String) throws -> (mode: Int, uid: Int) {
        let a = try FileManager.default.attributesOfItem(atPath: destdir + path)
        return ((a[.posixPermissions] as? Int) ?? -1, (a[.ownerAccountID] as? Int) ?? -1)
    }

    func testLayoutBuildsTheCExampleThroughPkgConfigAndUninstalls() throws {
        let plugins = "/usr/local/lib/pqcrypta-collector/plugins"
        for so in ["libLogSources.so", "libSystemMetrics.so", "libPGStats.so", "libAppMetrics.so", "libIntelligence.so"] {
            let m = try mode("\(plugins)/\(so)")
            XCTAssertEqual(m.mode, 0o644, so)
            if getuid() == 0 { XCTAssertEqual(m.uid, 0, so) }
        }
        XCTAssertEqual(try mode("/etc/pqcrypta/collector.toml").mode, 0o640)
        XCTAssertEqual(try mode("/usr/local/bin/pqcrypta-collector").mode, 0o755)
        for path in ["/usr/local/include/pqcrypta-collector/pqcrypta_plugin.h", "/usr/local/include/pqcrypta-collector/pqcrypta_plugin_testkit.h",
                     "/usr/local/lib/pkgconfig/pqcrypta-plugin.pc",
                     "/usr/local/share/pqcrypta-collector/migrations/001_collector_schema.sql",
                     "/usr/local/share/doc/pqcrypta-collector/commands.txt"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: destdir + path), path)
        }
        let unit = try String(contentsOfFile: destdir + "/usr/local/lib/systemd/system/pqcrypta-collector.service", encoding: .utf8)
        XCTAssertTrue(unit.contains("ExecReload=/bin/kill -HUP $MAINPID"), unit)
        let help = try String(contentsOfFile: destdir + "/usr/local/share/doc/pqcrypta-collector/commands.txt", encoding: .utf8)
        XCTAssertTrue(help.contains("usage: pqcrypta-collector parse"), help)

        // The commented default config is valid as installed.
        let collector = destdir + "/usr/local/bin/pqcrypta-collector"
        let config = destdir + "/etc/pqcrypta/collector.toml"
        let check = try TestSupport.run(collector, ["check-config", "--config", config], environment: pkgConfigEnvironment)
        XCTAssertEqual(check.status, 0, check.stderr)

        // A third party: one cc command against the installed header.
        let work = try TestSupport.makeTempDir("thirdparty")
        let cc = try TestSupport.run("/bin/sh", ["-c", "cc $(pkg-config --cflags pqcrypta-plugin) -shared -fPIC \(TestSupport.examplePluginSource) -o \(work)/hello_parser.so"],
                                     environment: pkgConfigEnvironment)
        XCTAssertEqual(cc.status, 0, cc.stderr)
        let cflags = try TestSupport.run("/usr/bin/env", ["pkg-config", "--cflags", "pqcrypta-plugin"], environment: pkgConfigEnvironment)
        XCTAssertEqual(cflags.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "-I\(destdir)/usr/local/include/pqcrypta-collector")
        chmod(work + "/hello_parser.so", 0o644)
        let pluginCheck = try TestSupport.run(collector, ["plugin", "check", work + "/hello_parser.so"], environment: pkgConfigEnvironment)
        XCTAssertEqual(pluginCheck.status, 0, pluginCheck.stdout + pluginCheck.stderr)
        XCTAssertTrue(pluginCheck.stdout.contains("name:        hello_parser"), pluginCheck.stdout)

        // Uninstall keeps the (maybe edited) config; --purge removes it too.
        let un = try TestSupport.run("/bin/bash", [TestSupport.repoRoot.path + "/scripts/install.sh", "--uninstall", "--destdir", destdir])
        XCTAssertEqual(un.status, 0, un.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: collector))
        XCTAssertFalse(FileManager.default.fileExists(atPath: destdir + plugins))
        XCTAssertTrue(FileManager.default.fileExists(atPath: config))
    }

    /// docs/writing-a-plugin.md, "From an empty file to rows in the database", step by step.
    func testWritingAPluginWalkEndsWithRowsInTheDatabase() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        var env = pkgConfigEnvironment
        env.merge(db.environment) { $1 }
        env["PGDATABASE"] = db.name
        env["PGHOST"] = db.config.host
        env["PGPORT"] = String(db.config.port)
        env["PGUSER"] = db.config.user
        let work = try TestSupport.makeTempDir("walk")
        let r = try TestSupport.run("/bin/bash", [TestSupport.repoRoot.path + "/scripts/doc-walk.sh",
                                                  TestSupport.repoRoot.path + "/docs/writing-a-plugin.md", work],
                                    environment: env, timeout: 180)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        // parse printed three records; psql printed the three rows.
        XCTAssertEqual(r.stdout.split(separator: "\n").filter { $0.hasPrefix("{") }.count, 3, r.stdout)
        XCTAssertTrue(r.stdout.contains("warn|payment failed order=42 user=alice|alice"), r.stdout)
        XCTAssertTrue(r.stdout.contains("info|started version=1.4|"), r.stdout)
        XCTAssertTrue(r.stdout.contains("error|database gone|"), r.stdout)
    }
}

import CollectorTestSupport
import Foundation
import XCTest
@testable import CollectorCore

final class ConfigLoaderTests: XCTestCase {
    private func load(_ toml: String, _ env: [String: String] = [:]) throws -> ConfigLoader.Loaded {
        try ConfigLoader.load(toml: toml, environment: env)
    }

    private func error(_ toml: String, _ env: [String: String] = [:]) -> ConfigError? {
        do {
            _ = try load(toml, env)
            return nil
        } catch let error as ConfigError {
            return error
        } catch {
            return nil
        }
    }

    func testDefaultsFollowTheSpec() throws {
        let c = try load("").config
        XCTAssertEqual(c.database, DatabaseConfig())
        XCTAssertEqual(c.database.port, 5432)
        XCTAssertEqual(c.intervals.systemSecs, 10)
        XCTAssertEqual(c.intervals.heartbeatSecs, 5)
        XCTAssertEqual(c.intervals.watchdogSecs, 30)
        XCTAssertEqual(c.intervals.pgExtendedSecs, 300)
        XCTAssertEqual(c.intervals.aggSecs, 3600)
        XCTAssertEqual(c.logs.tickSecs, 15)
        XCTAssertEqual(c.retention.rawDays, 14)
        XCTAssertEqual(c.retention.dailyDays, 365)
        XCTAssertEqual(c.collector.batchSize, 50)
        XCTAssertTrue(c.logs.defaultSources, "the plugins' default sources are used")
        XCTAssertEqual(c.logs.sourceEntries, [])
    }

    func testSpecExampleConfigParsesWithoutWarnings() throws {
        let toml = """
            [database]
            host = "10.0.0.5"
            port = 5433
            name = "pqcrypta"
            user = "pqcrypta_user"
            password = "s3cret"
            [intervals]
            system_secs = 20
            app_secs = 10
            heartbeat_secs = 5
            [scrape]
            api_metrics_url = "http://127.0.0.1:3003/metrics"
            proxy_metrics_url = "http://127.0.0.1:8082/metrics/json"
            [retention]
            raw_days = 14
            hourly_days = 90
            daily_days = 365
            [collector]
            batch_size = 50
            processes = ["pqcrypta-api", "postgres"]
            [logs]
            enabled = true
            tick_secs = 15
            batch_size = 100
            max_lines_per_tick = 500
            chunk_size = 65536
            """
        let loaded = try load(toml)
        XCTAssertEqual(loaded.warnings, [])
        XCTAssertEqual(loaded.config.database.host, "10.0.0.5")
        XCTAssertEqual(loaded.config.database.port, 5433)
        XCTAssertEqual(loaded.config.intervals.systemSecs, 20)
        XCTAssertEqual(loaded.config.unknownKeys, ["collector.processes", "scrape.api_metrics_url", "scrape.proxy_metrics_url"],
                       "SystemMetrics' and AppMetrics' keys: the host hands them on and warns only if no plugin reads them")
        XCTAssertEqual(loaded.config.resolvedTree.node(at: "collector.processes.1"), .string("postgres"))
    }

    func testWrongTypeNamesTheKey() {
        let e = error("[database]\nport = \"not a number\"\n")
        XCTAssertEqual(e?.key, "database.port")
        XCTAssertEqual(e?.description, "config: database.port: expected an integer, found a string (\"not a number\")")
        XCTAssertEqual(error("[logs]\nenabled = \"yes\"\n")?.key, "logs.enabled")
    }

    func testOutOfRangeNamesTheKey() {
        XCTAssertEqual(error("[database]\nport = 70000\n")?.key, "database.port")
        XCTAssertEqual(error("[intervals]\nheartbeat_secs = 0\n")?.key, "intervals.heartbeat_secs")
        XCTAssertEqual(error("[database]\nsslmode = \"sometimes\"\n")?.key, "database.sslmode")
    }

    func testSyntaxErrorNamesTheLine() {
        let e = error("[database]\nport = = 3\n")
        XCTAssertEqual(e?.key, "line 2")
    }

    func testUnknownKeysWarn() throws {
        let loaded = try load("[database]\nprot = 5432\n[mystery]\nx = 1\n[plugin.foo]\nanything = 1\n")
        // Warned about after the plugins load, less the keys a plugin read (CLITests).
        XCTAssertEqual(loaded.config.unknownKeys, ["database.prot", "mystery.x"])
    }

    func testEnvironmentOverridesFileAndPGVariablesFallBack() throws {
        let c = try load("[database]\nport = 5433\nhost = \"filehost\"\n",
                         ["DB_PORT": "6543", "PGHOST": "pghost", "PGUSER": "pguser", "DB_NAME": "envdb"]).config
        XCTAssertEqual(c.database.port, 6543, "DB_PORT beats the file")
        XCTAssertEqual(c.database.host, "filehost", "the file beats PGHOST")
        XCTAssertEqual(c.database.user, "pguser", "PGUSER beats the default")
        XCTAssertEqual(c.database.name, "envdb")
        XCTAssertEqual(try load("", ["SYSTEM_INTERVAL_SECS": "3", "LOG_ENABLED": "false", "HEARTBEAT_INTERVAL_SECS": "2"]).config.intervals.systemSecs, 3)
        XCTAssertEqual(try load("", ["LOG_ENABLED": "false"]).config.logs.enabled, false)
        XCTAssertEqual(try load("", ["LOG_TICK_SECS": "7"]).config.logs.tickSecs, 7)
    }

    func testBadFileValueIsAnErrorEvenWhenTheEnvironmentOverridesIt() {
        XCTAssertEqual(error("[database]\nport = \"not a number\"\n", ["DB_PORT": "5432"])?.key, "database.port")
    }

    func testBadEnvironmentValueNamesTheVariable() {
        let e = error("", ["DB_PORT": "fivefourthree"])
        XCTAssertEqual(e?.key, "DB_PORT")
        XCTAssertTrue(e?.description.contains("overrides database.port") ?? false)
    }

    func testResolvedTreeCarriesOverridesForPlugins() throws {
        let c = try load("[collector]\nprocesses = [\"a\"]\n", ["DB_PORT": "6000"]).config
        XCTAssertEqual(c.resolvedTree.node(at: "collector.processes.0"), .string("a"), "plugin-owned keys pass through")
        XCTAssertEqual(c.resolvedTree.node(at: "database.port"), .int(6000))
        XCTAssertEqual(c.resolvedTree.node(at: "database.host"), .string("127.0.0.1"), "defaults are in the tree too")
    }

    func testGSSEncModeDefaultsToDisableUnlessTheOperatorSetsIt() throws {
        XCTAssertEqual(try load("").config.database.gssencmode, "disable")
        XCTAssertEqual(try load("", ["PGGSSENCMODE": "prefer"]).config.database.gssencmode, "prefer", "libpq's variable is honoured")
        XCTAssertEqual(try load("[database]\ngssencmode = \"require\"\n", ["PGGSSENCMODE": "prefer"]).config.database.gssencmode, "require")
        XCTAssertEqual(try load("[database]\ngssencmode = \"require\"\n", ["DB_GSSENCMODE": "prefer"]).config.database.gssencmode, "prefer")
        XCTAssertEqual(error("[database]\ngssencmode = \"maybe\"\n")?.key, "database.gssencmode")
        XCTAssertEqual(error("", ["PGGSSENCMODE": "maybe"])?.key, "PGGSSENCMODE")
    }

    func testConnectionStringCarriesGSSEncMode() throws {
        var db = DatabaseConfig()
        XCTAssertTrue(ConnectionString.make(db).contains(" gssencmode='disable' "))
        db.gssencmode = "prefer"
        XCTAssertTrue(ConnectionString.make(db).contains(" gssencmode='prefer' "))
    }

    func testPluginSectionsAndPluginsTable() throws {
        let c = try load("""
            [plugins]
            dir = "/opt/p"
            disabled = ["intelligence"]
            [plugin.pg_stats]
            top_statements = 25
            """).config
        XCTAssertEqual(c.plugins.dir, "/opt/p")
        XCTAssertEqual(c.plugins.disabled, ["intelligence"])
        XCTAssertEqual(c.pluginSections["pg_stats"]?.node(at: "top_statements"), .int(25))
    }

    func testLogSourcesOverrideAddAndDisable() throws {
        let c = try load("""
            [[logs.sources]]
            name = "postgresql"
            path = "/tmp/pg.log"
            [[logs.sources]]
            name = "kernel"
            enabled = false
            [[logs.sources]]
            name = "myapp"
            type = "journal"
            unit = "myapp.service"
            parser = "journalctl"
            """).config
        // The defaults come from the plugins (LogSources proposes the spec's 13); two stand in here.
        let defaults = [
            LogSourceConfig(name: "postgresql", kind: .file, target: "/var/log/postgresql/postgresql-16-main.log", parser: "postgresql"),
            LogSourceConfig(name: "kernel", kind: .file, target: "/var/log/kern.log", parser: "syslog"),
        ]
        let sources = try LogSourceEntry.resolve(defaults: defaults, entries: c.logs.sourceEntries, useDefaults: c.logs.defaultSources)
        XCTAssertEqual(sources.map(\.name), ["postgresql", "kernel", "myapp"])
        XCTAssertEqual(sources[0].target, "/tmp/pg.log")
        XCTAssertEqual(sources[0].parser, "postgresql", "an entry changes only what it names")
        XCTAssertEqual(sources[1].enabled, false)
        XCTAssertEqual(sources[2].kind, .journal)
        XCTAssertEqual(sources[2].parser, "journalctl")
        // default_sources = false: only the entries, so the one naming a default must now be complete.
        XCTAssertThrowsError(try LogSourceEntry.resolve(defaults: defaults, entries: c.logs.sourceEntries, useDefaults: false)) { e in
            XCTAssertEqual((e as? ConfigError)?.key, "logs.sources[0].parser")
        }
        XCTAssertEqual(error("[[logs.sources]]\nname = \"x\"\ntype = \"socket\"\n")?.key, "logs.sources[0].type")
        XCTAssertEqual(error("[[logs.sources]]\nname = \"x\"\n[[logs.sources]]\nname = \"x\"\n")?.key, "logs.sources[1].name",
                       "one name twice in the file")
        let partial = try load("[[logs.sources]]\nname = \"x\"\npath = \"/a\"\n").config
        XCTAssertThrowsError(try LogSourceEntry.resolve(defaults: defaults, entries: partial.logs.sourceEntries, useDefaults: true)) { e in
            XCTAssertEqual((e as? ConfigError)?.key, "logs.sources[0].parser", "a new source needs a parser")
        }
    }

    /// The value rules of issue 15 at the loader (the table through the binary is
    /// CLITests.testEveryBadValueIsRefusedByCheckConfigAndAtStart).
    func testValueRulesNameTheKeyOrVariable() throws {
        XCTAssertEqual(error("", ["COLLECTOR_HOSTNAME": "db\u{FFFD}1"])?.key, "COLLECTOR_HOSTNAME", "invalid UTF-8 from the environment")
        XCTAssertEqual(error("[collector]\nhostname = \"db\\u0085\"")?.key, "collector.hostname", "a C1 control character")
        XCTAssertEqual(try load("[collector]\nhostname = \"db-1.example.org\"").config.collector.hostname, "db-1.example.org")
        XCTAssertEqual(try load("[collector]\nhostname = \"\(String(repeating: "h", count: 255))\"").config.collector.hostname.utf8.count, 255)

        XCTAssertEqual(try load("[logs]\ntimezone = \"Europe/Berlin\"").config.logs.timezone, "Europe/Berlin")
        XCTAssertEqual(try load("[logs]\ntimezone = \"UTC\"").config.logs.timezone, "UTC")
        XCTAssertEqual(try load("", ["LOG_TIMEZONE": ":America/New_York"]).config.logs.timezone, ":America/New_York")
        XCTAssertEqual(error("", ["LOG_TIMEZONE": "Mars/Olympus_Mons"])?.key, "LOG_TIMEZONE")

        XCTAssertEqual(try load("[collector]\nlog_level = \"pqcrypta_collector=debug,warn\"").config.collector.logLevel, "pqcrypta_collector=debug,warn")
        XCTAssertEqual(error("[collector]\nlog_level = \"pqcrypta_collector=loud\"")?.key, "collector.log_level")
        XCTAssertEqual(error("[collector]\nlog_level = \"\"")?.message, "no level given (one of \(LoggingSetup.names.joined(separator: ", ")))")

        let plugins = try load("[plugin.a]\ninterval_secs = 0.5\n[plugin.b.intervals]\ncollect = 86400\n").config.pluginSections
        XCTAssertEqual(plugins.count, 2)
        XCTAssertEqual(error("[plugin.a]\ninterval_secs = 0.05")?.key, "plugin.a.interval_secs")
        XCTAssertEqual(error("[plugin.b.intervals]\ncollect = 86401")?.message, "86401 is out of range (0.1...86400)")
    }

    func testStateDirectoryIsCreatedAndTestedByWriting() throws {
        let dir = try TestSupport.makeTempDir("state")
        try ConfigChecks.prepareStateDirectory(dir + "/a/b/state")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir + "/a/b/state"), [], "the probe file is removed")
        XCTAssertThrowsError(try ConfigChecks.prepareStateDirectory("")) { XCTAssertEqual(($0 as? ConfigError)?.key, "collector.state_dir") }
        // Root writes through permission bits, so a read-only mount stands in for
        // the unwritable directory: /proc refuses new files whoever asks.
        XCTAssertThrowsError(try ConfigChecks.prepareStateDirectory("/proc/self")) { error in
            XCTAssertTrue((error as? ConfigError)?.message.contains("/proc/self cannot be written") ?? false, "\(error)")
        }
    }

    /// issue 15: the disk spool's bound and where copytruncate copies are looked for.
    func testSpoolBoundAndRotatedPaths() throws {
        XCTAssertEqual(try load("").config.collector.spoolMaxBytes, 256 << 20)
        XCTAssertEqual(try load("[collector]\nspool_max_bytes = 0\n").config.collector.spoolMaxBytes, 0, "0 turns the spool off")
        for bad in ["-1", "\"256M\"", "1000", "1.5", "true"] {
            XCTAssertEqual(error("[collector]\nspool_max_bytes = \(bad)\n")?.key, "collector.spool_max_bytes", bad)
        }
        let c = try load("[[logs.sources]]\nname = \"app\"\npath = \"/var/log/app.log\"\nparser = \"syslog\"\nrotated_paths = [\"/var/log/app.log-*\"]\n").config
        let sources = try LogSourceEntry.resolve(defaults: [], entries: c.logs.sourceEntries, useDefaults: false)
        XCTAssertEqual(sources.first?.rotatedPaths, ["/var/log/app.log-*"])
        XCTAssertEqual(error("[[logs.sources]]\nname = \"a\"\nrotated_paths = \"/x.1\"\n")?.key, "logs.sources[0].rotated_paths")
        XCTAssertEqual(error("[[logs.sources]]\nname = \"a\"\nrotated_paths = [\"x.1\"]\n")?.key, "logs.sources[0].rotated_paths[0]",
                       "a relative path would depend on the daemon's working directory")
    }

    func testLogLevelParsing() {
        XCTAssertEqual(LoggingSetup.level(from: "debug"), .debug)
        XCTAssertEqual(LoggingSetup.level(from: "pqcrypta_collector=warn"), .warning)
        XCTAssertEqual(LoggingSetup.level(from: "info,pqcrypta_collector=trace"), .trace)
        XCTAssertNil(LoggingSetup.level(from: "loud"))
    }
}

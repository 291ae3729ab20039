#if canImport(Glibc)
import Glibc
#endif
import ByteKit

/// Loads `CollectorConfig` from TOML text, the environment and defaults.
/// A missing file means defaults; a bad value is a `ConfigError` naming its key.
/// Keys the host does not read are kept in `unknownKeys`: plugins read their
/// own (`[scrape]`, `collector.processes`) and validate them at init, so only
/// the keys no one read are warned about, once the plugins are loaded.
package enum ConfigLoader {
    package static let defaultPath = "/etc/pqcrypta/collector.toml"

    package struct Loaded: Sendable {
        package var config: CollectorConfig
        package var warnings: [String]
    }

    /// Resolves the path: `--config`, then `COLLECTOR_CONFIG`, then the default.
    package static func path(explicit: String?, environment: [String: String]) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let env = environment["COLLECTOR_CONFIG"], !env.isEmpty { return env }
        return defaultPath
    }

    /// Reads the file at `path`; a missing file at the default path gives defaults,
    /// a missing file the operator named is an error.
    package static func load(path: String, explicitlyNamed: Bool, environment: [String: String]) throws(ConfigError) -> Loaded {
        guard let bytes = try readFile(path) else {
            if explicitlyNamed { throw ConfigError(key: path, message: "file not found") }
            var loaded = try load(toml: "", environment: environment)
            loaded.warnings.insert("config file \(path) not found; using defaults", at: 0)
            return loaded
        }
        var loaded = try load(bytes: bytes, environment: environment)
        loaded.config.sourcePath = path
        return loaded
    }

    package static func load(toml: String, environment: [String: String]) throws(ConfigError) -> Loaded {
        try load(bytes: Array(toml.utf8), environment: environment)
    }

    /// The file's bytes as read: invalid UTF-8 is refused at its line, not repaired.
    package static func load(bytes: [UInt8], environment: [String: String]) throws(ConfigError) -> Loaded {
        let tree: ConfigNode
        do throws(TOMLParseError) {
            tree = try TOMLParser.parse(bytes: bytes)
        } catch {
            throw ConfigError(key: "line \(error.line)", message: "TOML syntax error at column \(error.column): \(error.message)")
        }
        var r = ConfigReader(file: tree, environment: environment)
        var c = CollectorConfig()

        c.database.host = try r.string("database.host", default: c.database.host, env: ["DB_HOST"], fallbackEnv: ["PGHOST"])
        c.database.port = try r.int("database.port", default: c.database.port, env: ["DB_PORT"], fallbackEnv: ["PGPORT"], range: 1...65535)
        c.database.name = try r.string("database.name", default: c.database.name, env: ["DB_NAME"], fallbackEnv: ["PGDATABASE"])
        c.database.user = try r.string("database.user", default: c.database.user, env: ["DB_USER"], fallbackEnv: ["PGUSER"])
        c.database.password = try r.string("database.password", default: c.database.password, env: ["DB_PASS", "DB_PASSWORD"], fallbackEnv: ["PGPASSWORD"])
        c.database.sslmode = try r.string(
            "database.sslmode", default: c.database.sslmode, env: ["DB_SSLMODE"], fallbackEnv: ["PGSSLMODE"],
            allowed: ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"])
        c.database.gssencmode = try r.string(
            "database.gssencmode", default: c.database.gssencmode, env: ["DB_GSSENCMODE"], fallbackEnv: ["PGGSSENCMODE"],
            allowed: ["disable", "prefer", "require"])
        c.database.connectTimeoutSecs = try r.int("database.connect_timeout_secs", default: 5, range: 1...300)
        c.database.reconnectMaxSecs = try r.int("database.reconnect_max_secs", default: 60, range: 1...3600)

        let day = 86_400
        c.intervals.systemSecs = try r.int("intervals.system_secs", default: 10, env: ["SYSTEM_INTERVAL_SECS"], range: 1...day)
        c.intervals.appSecs = try r.int("intervals.app_secs", default: 10, env: ["APP_INTERVAL_SECS"], range: 1...day)
        c.intervals.heartbeatSecs = try r.int("intervals.heartbeat_secs", default: 5, env: ["HEARTBEAT_INTERVAL_SECS"], range: 1...day)
        c.intervals.watchdogSecs = try r.int("intervals.watchdog_secs", default: 30, env: ["WATCHDOG_INTERVAL_SECS"], range: 1...day)
        c.intervals.pgExtendedSecs = try r.int("intervals.pg_extended_secs", default: 300, env: ["PG_EXTENDED_INTERVAL_SECS"], range: 1...day)
        c.intervals.intelSecs = try r.int("intervals.intel_secs", default: 300, env: ["INTEL_INTERVAL_SECS"], range: 1...day)
        c.intervals.aggSecs = try r.int("intervals.agg_secs", default: 3600, env: ["AGG_INTERVAL_SECS"], range: 1...day)
        c.intervals.backoffCapSecs = try r.int("intervals.backoff_cap_secs", default: 300, env: ["BACKOFF_CAP_SECS"], range: 1...day)

        c.retention.rawDays = try r.int("retention.raw_days", default: 14, range: 1...3650)
        c.retention.hourlyDays = try r.int("retention.hourly_days", default: 90, range: 1...3650)
        c.retention.dailyDays = try r.int("retention.daily_days", default: 365, range: 1...36500)
        c.retention.logDays = try r.int("retention.log_days", default: 7, range: 1...3650)
        c.retention.resolvedAlertDays = try r.int("retention.resolved_alert_days", default: 30, range: 1...3650)
        c.retention.insightDays = try r.int("retention.insight_days", default: 30, range: 1...3650)

        c.collector.batchSize = try r.int("collector.batch_size", default: 50, env: ["BATCH_SIZE"], range: 1...100_000)
        c.collector.hostname = try r.string(
            "collector.hostname", default: systemHostname(), env: ["COLLECTOR_HOSTNAME"], check: ConfigChecks.hostnameProblem)
        c.collector.flushIntervalMs = try r.int("collector.flush_interval_ms", default: 2000, range: 100...600_000)
        c.collector.bufferMaxBytes = try r.int("collector.buffer_max_bytes", default: 32 << 20, range: (64 << 10)...(4 << 30))
        // 0 turns the disk spool off (rows past the memory cap are then dropped, oldest metric rows first).
        c.collector.spoolMaxBytes = try r.int("collector.spool_max_bytes", default: 256 << 20, range: 0...(1 << 40))
        if c.collector.spoolMaxBytes > 0 && c.collector.spoolMaxBytes < 1 << 20 {
            throw ConfigError(key: "collector.spool_max_bytes", message: "\(c.collector.spoolMaxBytes) is under 1 MiB (1048576); 0 turns the spool off")
        }
        // Whether it can be created and written is checked by `run` and `check-config`
        // only (`ConfigChecks.prepareStateDirectory`): the console reads this file too,
        // from a read-only file system.
        c.collector.stateDir = try r.string(
            "collector.state_dir", default: c.collector.stateDir, env: ["COLLECTOR_STATE_DIR"],
            check: { $0.isEmpty ? "must not be empty" : nil })
        c.collector.prometheusTextfile = try r.string("collector.prometheus_textfile", default: "", env: ["COLLECTOR_PROMETHEUS_TEXTFILE"])
        c.collector.shutdownTimeoutSecs = try r.int("collector.shutdown_timeout_secs", default: 10, range: 1...3600)
        c.collector.tickStuckFactor = try r.int("collector.tick_stuck_factor", default: 3, range: 2...1000)
        c.collector.tickStuckMinSecs = try r.int("collector.tick_stuck_min_secs", default: 30, range: 1...day)
        c.collector.logLevel = try r.string(
            "collector.log_level", default: "info", env: ["LOG_LEVEL", "RUST_LOG"],
            check: LoggingSetup.problem(in:))

        c.logs.enabled = try r.bool("logs.enabled", default: true, env: ["LOG_ENABLED"])
        c.logs.tickSecs = try r.int("logs.tick_secs", default: 15, env: ["LOG_TICK_SECS"], range: 1...day)
        c.logs.batchSize = try r.int("logs.batch_size", default: 100, range: 1...100_000)
        c.logs.maxLinesPerTick = try r.int("logs.max_lines_per_tick", default: 500, range: 1...10_000_000)
        c.logs.chunkSize = try r.int("logs.chunk_size", default: 65536, range: 4096...(64 << 20))
        c.logs.tickBudgetMs = try r.int("logs.tick_budget_ms", default: 2000, range: 10...600_000)
        c.logs.maxLineBytes = try r.int("logs.max_line_bytes", default: 65536, range: 256...(16 << 20))
        c.logs.timezone = try r.string(
            "logs.timezone", default: "", env: ["LOG_TIMEZONE"],
            check: { $0.isEmpty ? nil : LocalTime.zoneProblem($0) })
        c.logs.journalDirectory = try r.string("logs.journal_directory", default: "", env: ["JOURNAL_DIRECTORY"])
        c.logs.journalTimeoutMs = try r.int("logs.journal_timeout_ms", default: 10_000, range: 100...600_000)
        c.logs.initialBackfillBytes = try r.int("logs.initial_backfill_bytes", default: 1 << 20, range: 0...Int.max)
        c.logs.multilineWaitMs = try r.int("logs.multiline_wait_ms", default: 1000, range: 0...60_000)
        c.logs.defaultSources = try r.bool("logs.default_sources", default: true)
        if let sources = r.subtree("logs.sources") {
            c.logs.sourceEntries = try sourceEntries(sources)
        }

        c.plugins.dir = try r.string("plugins.dir", default: c.plugins.dir, env: ["COLLECTOR_PLUGIN_DIR"])
        c.plugins.files = try r.stringArray("plugins.files", default: [])
        c.plugins.enabled = try r.stringArray("plugins.enabled", default: [])
        c.plugins.disabled = try r.stringArray("plugins.disabled", default: [])
        c.plugins.isolateAll = try r.bool("plugins.isolate_all", default: false)

        c.console.listen = try r.string("console.listen", default: c.console.listen, env: ["PQC_CONSOLE_LISTEN"])
        c.console.token = try r.string("console.token", default: "", env: ["PQC_CONSOLE_TOKEN"])

        if let sections = r.subtree("plugin") {
            guard case .table(let t) = sections else { throw .wrongType("plugin", expected: "a table", found: sections) }
            for (name, node) in t {
                guard case .table = node else { throw .wrongType("plugin.\(name)", expected: "a table", found: node) }
                try ConfigChecks.checkPluginIntervals(node, plugin: name)
                c.pluginSections[name] = node
            }
        }

        c.resolvedTree = r.resolved
        c.unknownKeys = r.unknownKeys()
        return Loaded(config: c, warnings: [])
    }

    /// `[[logs.sources]]` entries, checked for types and unknown keys; whether
    /// each is complete depends on the plugins' defaults (`LogSourceEntry.resolve`).
    package static func sourceEntries(_ node: ConfigNode) throws(ConfigError) -> [LogSourceEntry] {
        guard case .array(let items) = node else {
            throw .wrongType("logs.sources", expected: "an array of tables ([[logs.sources]])", found: node)
        }
        var entries: [LogSourceEntry] = []
        let known: Set = ["name", "type", "path", "unit", "parser", "enabled", "rotated_paths", "options"]
        for (index, item) in items.enumerated() {
            let at = "logs.sources[\(index)]"
            guard case .table(let t) = item else { throw .wrongType(at, expected: "a table", found: item) }
            if let unknown = t.keys.sorted().first(where: { !known.contains($0) }) {
                throw ConfigError(key: "\(at).\(unknown)", message: "unknown key (allowed: \(known.sorted().joined(separator: ", ")))")
            }
            func text(_ key: String) throws(ConfigError) -> String? {
                guard let v = t[key] else { return nil }
                guard case .string(let s) = v, !s.isEmpty else { throw .wrongType("\(at).\(key)", expected: "a non-empty string", found: v) }
                return s
            }
            guard let name = try text("name") else { throw ConfigError(key: "\(at).name", message: "missing") }
            if let other = entries.first(where: { $0.name == name }) {
                throw ConfigError(key: "\(at).name", message: "source '\(name)' is already defined by logs.sources[\(other.index)]")
            }
            var entry = LogSourceEntry(index: index, name: name)
            if let type = try text("type") {
                guard let kind = LogSourceConfig.Kind(rawValue: type) else {
                    throw ConfigError(key: "\(at).type", message: "\"\(type)\" is not one of file, journal")
                }
                entry.kind = kind
            }
            if let path = try text("path") { entry.target = path }
            if let unit = try text("unit") { entry.target = unit }
            entry.parser = try text("parser")
            if let enabled = t["enabled"] {
                guard case .bool(let b) = enabled else { throw .wrongType("\(at).enabled", expected: "a boolean", found: enabled) }
                entry.enabled = b
            }
            if let rotated = t["rotated_paths"] {
                // Where logrotate's copy lands with copytruncate (`<path>.1` when unset); glob(3) patterns allowed.
                guard case .array(let items) = rotated else { throw .wrongType("\(at).rotated_paths", expected: "an array of paths", found: rotated) }
                var paths: [String] = []
                for (i, item) in items.enumerated() {
                    guard case .string(let s) = item, s.hasPrefix("/") else {
                        throw .wrongType("\(at).rotated_paths[\(i)]", expected: "an absolute path or pattern", found: item)
                    }
                    paths.append(s)
                }
                entry.rotatedPaths = paths
            }
            if let options = t["options"] {
                // Handed to the parser's create_with_options (ABI 1.3): scalars only.
                guard case .table(let table) = options else { throw .wrongType("\(at).options", expected: "a table of values", found: options) }
                for key in table.keys.sorted() {
                    switch table[key]! {
                    case .string, .int, .double, .bool: entry.options.append(SourceOption(key, table[key]!))
                    case let other: throw .wrongType("\(at).options.\(key)", expected: "a string, number or boolean", found: other)
                    }
                }
            }
            entries.append(entry)
        }
        return entries
    }

    /// The file's bytes, or nil when there is no file at `path`.
    private static func readFile(_ path: String) throws(ConfigError) -> [UInt8]? {
        guard let f = fopen(path, "rb") else {
            if errno == ENOENT { return nil }
            throw ConfigError(key: path, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        // fopen() opens a directory for reading and fread() then reads nothing,
        // which would look like an empty file: defaults, in silence.
        var info = stat()
        if fstat(fileno(f), &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
            throw ConfigError(key: path, message: "is a directory, not a configuration file")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            if n <= 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
            if bytes.count > 4 << 20 { throw ConfigError(key: path, message: "larger than 4 MiB") }
        }
        if ferror(f) != 0 { throw ConfigError(key: path, message: "cannot read: \(String(cString: strerror(errno)))") }
        return bytes
    }

    package static func systemHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

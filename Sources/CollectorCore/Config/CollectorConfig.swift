/// The collector's whole configuration, resolved from the TOML file, the
/// environment and defaults. Keys and defaults follow the spec's example config.
package struct CollectorConfig: Sendable {
    package init() {}

    package var database = DatabaseConfig()
    package var intervals = IntervalsConfig()
    package var retention = RetentionConfig()
    package var collector = CollectorSection()
    package var logs = LogsConfig()
    package var plugins = PluginsConfig()
    package var console = ConsoleSection()
    /// `[plugin.<name>]` sections, handed to each plugin as its own config.
    package var pluginSections: [String: ConfigNode] = [:]
    /// The whole resolved tree, for `config_get_global`.
    package var resolvedTree: ConfigNode = .table([:])
    /// Where the file was read from, or nil when defaults were used.
    package var sourcePath: String?
    /// Keys of the file the host does not read. Plugins own sections of their
    /// own (`[scrape]` is AppMetrics', `collector.processes` SystemMetrics'),
    /// so these are warned about only after the plugins are loaded, less the
    /// ones a plugin read (`PluginLoader.Report.unclaimedKeys`).
    package var unknownKeys: [String] = []
}

package struct DatabaseConfig: Sendable, Equatable {
    package init() {}

    package var host = "127.0.0.1"
    package var port = 5432
    package var name = "pqcrypta"
    package var user = "pqcrypta_user"
    package var password = ""
    package var sslmode = "prefer"
    /// libpq's `gssencmode`. `disable` rather than libpq's `prefer`: `prefer` makes
    /// every connect probe for Kerberos credentials (loading and keeping the krb5
    /// credential-cache machinery in memory, ~0.4 MB RSS) although this daemon
    /// authenticates with passwords or TLS. Set `prefer`/`require` to use GSSAPI.
    package var gssencmode = "disable"
    package var connectTimeoutSecs = 5
    /// Cap of the reconnect backoff.
    package var reconnectMaxSecs = 60
}

/// Tick intervals in seconds; `logs.tick_secs` is the log tick's.
package struct IntervalsConfig: Sendable, Equatable {
    package init() {}

    package var systemSecs = 10
    package var appSecs = 10
    package var heartbeatSecs = 5
    package var watchdogSecs = 30
    package var pgExtendedSecs = 300
    package var intelSecs = 300
    package var aggSecs = 3600
    /// The longest a failing tick is backed off.
    package var backoffCapSecs = 300
}

package struct RetentionConfig: Sendable, Equatable {
    package init() {}

    package var rawDays = 14
    package var hourlyDays = 90
    package var dailyDays = 365
    package var logDays = 7
    package var resolvedAlertDays = 30
    package var insightDays = 30
}

package struct CollectorSection: Sendable, Equatable {
    package init() {}

    package var batchSize = 50
    /// The `host` column of every row; defaults to the machine's hostname.
    package var hostname = ""
    package var flushIntervalMs = 2000
    /// Cap on rows buffered while the database is unreachable.
    package var bufferMaxBytes = 32 << 20
    /// Cap on the disk spool (`<state_dir>/spool`) that takes rows the database
    /// cannot take (past `bufferMaxBytes`, or at shutdown); 0 = no spool.
    package var spoolMaxBytes = 256 << 20
    /// Where the collector keeps its stats snapshot and its spool.
    package var stateDir = "/var/lib/pqcrypta-collector"
    package var logLevel = "info"
    /// node_exporter textfile (`*.prom`) rewritten with stats.json; empty = none.
    package var prometheusTextfile = ""
    /// SIGTERM to exit, at most: a tick stuck in plugin code is abandoned
    /// (what was parsed is flushed, positions committed) rather than waited for.
    package var shutdownTimeoutSecs = 10
    /// A tick run lasting longer than this many × its interval raises `tick_stuck`…
    package var tickStuckFactor = 3
    /// …and at least this long (short intervals would otherwise alert on a slow query).
    package var tickStuckMinSecs = 30
}

/// `[console]`: read by `pqcrypta-console` only; the daemon ignores it (but
/// knows the keys, so sharing one file raises no unknown-key warning).
package struct ConsoleSection: Sendable, Equatable {
    package init() {}

    /// `ADDR:PORT` the console listens on; `--listen` overrides.
    package var listen = "127.0.0.1:8470"
    /// Bearer token required for every request when set (`PQC_CONSOLE_TOKEN`);
    /// binding to anything but loopback is refused without one.
    package var token = ""
}

package struct LogsConfig: Sendable, Equatable {
    package init() {}

    package var enabled = true
    package var tickSecs = 15
    package var batchSize = 100
    /// Kept for compatibility with the spec; the time budget below governs instead.
    package var maxLinesPerTick = 500
    package var chunkSize = 65536
    /// How long one log tick may keep reading before it yields.
    package var tickBudgetMs = 2000
    /// Longer lines are stored truncated with a marker.
    package var maxLineBytes = 65536
    /// IANA zone for zone-less log timestamps; empty = the host's.
    package var timezone = ""
    /// `journalctl --directory`; empty = the system journal.
    package var journalDirectory = ""
    package var journalTimeoutMs = 10_000
    /// A file source seen for the first time starts this many bytes before its end.
    package var initialBackfillBytes = 1 << 20
    /// A multi-line record (an ERROR and its STATEMENT, a traceback) that ends a
    /// read is kept open while its file was written less than this long ago, so a
    /// continuation line written a moment later joins it instead of standing alone.
    package var multilineWaitMs = 1000
    /// `[logs] default_sources`: whether the defaults plugins propose
    /// (`register_source`) are used at all.
    package var defaultSources = true
    /// The `[[logs.sources]]` entries as written: new sources, or changes to a
    /// default of the same name. Resolved against the plugins' defaults once
    /// they are loaded (`LogSourceEntry.resolve`).
    package var sourceEntries: [LogSourceEntry] = []
    /// The effective sources, after resolution; empty until then.
    package var sources: [LogSourceConfig] = []
}

package struct LogSourceConfig: Sendable, Equatable {
    package enum Kind: String, Sendable { case file, journal }
    package var name: String
    package var kind: Kind
    /// File path for `file` sources, unit for `journal` sources.
    package var target: String
    package var parser: String
    package var enabled = true
    /// Where a copytruncate copy of the file may be (paths or glob patterns); empty = `<path>.1`.
    package var rotatedPaths: [String] = []

    /// Source names become the `source` column and metric labels: short, plain.
    package static func isValidName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 64
            && s.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F || $0 == 0x2E || $0 == 0x2D }
    }

    package init(name: String, kind: Kind, target: String, parser: String, enabled: Bool = true) {
        self.name = name
        self.kind = kind
        self.target = target
        self.parser = parser
        self.enabled = enabled
    }
}

package struct PluginsConfig: Sendable, Equatable {
    package init() {}

    package var dir = "/usr/local/lib/pqcrypta-collector/plugins"
    /// Explicit plugin files; when non-empty, `dir` is not scanned.
    package var files: [String] = []
    /// Plugin names to load; empty = all.
    package var enabled: [String] = []
    package var disabled: [String] = []
    /// `[plugins] isolate_all`: every plugin in a runner, bundled ones too.
    package var isolateAll = false
}

/// The collector's whole configuration, resolved from the TOML file, the
/// environment and defaults. Keys and defaults follow the spec's example config.
struct CollectorConfig: Sendable {
    var database = DatabaseConfig()
    var intervals = IntervalsConfig()
    var scrape = ScrapeConfig()
    var retention = RetentionConfig()
    var collector = CollectorSection()
    var logs = LogsConfig()
    var plugins = PluginsConfig()
    /// `[plugin.<name>]` sections, handed to each plugin as its own config.
    var pluginSections: [String: ConfigNode] = [:]
    /// The whole resolved tree, for `config_get_global`.
    var resolvedTree: ConfigNode = .table([:])
    /// Where the file was read from, or nil when defaults were used.
    var sourcePath: String?
}

struct DatabaseConfig: Sendable, Equatable {
    var host = "127.0.0.1"
    var port = 5432
    var name = "pqcrypta"
    var user = "pqcrypta_user"
    var password = ""
    var sslmode = "prefer"
    /// libpq's `gssencmode`. `disable` rather than libpq's `prefer`: `prefer` makes
    /// every connect probe for Kerberos credentials (loading and keeping the krb5
    /// credential-cache machinery in memory, ~0.4 MB RSS) although this daemon
    /// authenticates with passwords or TLS. Set `prefer`/`require` to use GSSAPI.
    var gssencmode = "disable"
    var connectTimeoutSecs = 5
    /// Cap of the reconnect backoff.
    var reconnectMaxSecs = 60
}

/// Tick intervals in seconds; `logs.tick_secs` is the log tick's.
struct IntervalsConfig: Sendable, Equatable {
    var systemSecs = 10
    var appSecs = 10
    var heartbeatSecs = 5
    var watchdogSecs = 30
    var pgExtendedSecs = 300
    var intelSecs = 300
    var aggSecs = 3600
    /// The longest a failing tick is backed off.
    var backoffCapSecs = 300
}

struct ScrapeConfig: Sendable, Equatable {
    var apiMetricsURL = "http://127.0.0.1:3003/metrics"
    var proxyMetricsURL = "http://127.0.0.1:8082/metrics/json"
    var timeoutMs = 2000
}

struct RetentionConfig: Sendable, Equatable {
    var rawDays = 14
    var hourlyDays = 90
    var dailyDays = 365
    var logDays = 7
    var resolvedAlertDays = 30
    var insightDays = 30
}

struct CollectorSection: Sendable, Equatable {
    var batchSize = 50
    var processes = ["pqcrypta-api", "pqcrypta-proxy", "pqcrypta-collector", "postgres", "apache2", "php-fpm"]
    /// The `host` column of every row; defaults to the machine's hostname.
    var hostname = ""
    var flushIntervalMs = 2000
    /// Cap on rows buffered while the database is unreachable.
    var bufferMaxBytes = 32 << 20
    /// Where the collector keeps its stats snapshot.
    var stateDir = "/var/lib/pqcrypta-collector"
    var logLevel = "info"
}

struct LogsConfig: Sendable, Equatable {
    var enabled = true
    var tickSecs = 15
    var batchSize = 100
    /// Kept for compatibility with the spec; the time budget below governs instead.
    var maxLinesPerTick = 500
    var chunkSize = 65536
    /// How long one log tick may keep reading before it yields.
    var tickBudgetMs = 2000
    /// Longer lines are stored truncated with a marker.
    var maxLineBytes = 65536
    /// IANA zone for zone-less log timestamps; empty = the host's.
    var timezone = ""
    /// `journalctl --directory`; empty = the system journal.
    var journalDirectory = ""
    var journalTimeoutMs = 10_000
    /// A file source seen for the first time starts this many bytes before its end.
    var initialBackfillBytes = 1 << 20
    /// A multi-line record (an ERROR and its STATEMENT, a traceback) that ends a
    /// read is kept open while its file was written less than this long ago, so a
    /// continuation line written a moment later joins it instead of standing alone.
    var multilineWaitMs = 1000
    var sources: [LogSourceConfig] = LogSourceConfig.defaults
}

struct LogSourceConfig: Sendable, Equatable {
    enum Kind: String, Sendable { case file, journal }
    var name: String
    var kind: Kind
    /// File path for `file` sources, unit for `journal` sources.
    var target: String
    var parser: String
    var enabled = true

    static let defaults: [LogSourceConfig] = [
        .init(name: "postgresql", kind: .file, target: "/var/log/postgresql/postgresql-16-main.log", parser: "postgresql"),
        .init(name: "api", kind: .journal, target: "pqcrypta-api", parser: "journalctl"),
        .init(name: "proxy", kind: .journal, target: "pqcrypta-proxy", parser: "journalctl"),
        .init(name: "collector", kind: .journal, target: "pqcrypta-collector", parser: "journalctl"),
        .init(name: "auth", kind: .file, target: "/var/log/auth.log", parser: "syslog"),
        .init(name: "fail2ban", kind: .file, target: "/var/log/fail2ban.log", parser: "fail2ban"),
        .init(name: "apache_error", kind: .file, target: "/var/log/apache2/api.pqcrypta.com-error.log", parser: "apache_error"),
        .init(name: "apache_internal_error", kind: .file, target: "/var/log/apache2/pqcrypta-internal-error.log", parser: "apache_error"),
        .init(name: "health_check", kind: .file, target: "/var/log/pqcrypta_health_check.log", parser: "simple_timestamp"),
        .init(name: "blocklist", kind: .file, target: "/var/log/pqcrypta-proxy/blocklist_sync.log", parser: "simple_timestamp"),
        .init(name: "bot_detection", kind: .file, target: "/var/log/pqcrypta-proxy/bot_detection.log", parser: "simple_timestamp"),
        .init(name: "kernel", kind: .file, target: "/var/log/kern.log", parser: "syslog"),
        .init(name: "certbot", kind: .file, target: "/var/log/letsencrypt/letsencrypt.log", parser: "certbot"),
    ]
}

struct PluginsConfig: Sendable, Equatable {
    var dir = "/usr/local/lib/pqcrypta-collector/plugins"
    /// Explicit plugin files; when non-empty, `dir` is not scanned.
    var files: [String] = []
    /// Plugin names to load; empty = all.
    var enabled: [String] = []
    var disabled: [String] = []
}

import AppMetricsCore
import CollectorCore
import IntelligenceCore
import PGStatsCore
import PluginKit
import SystemMetricsCore

/// The schema a daemon with the bundled metric plugins creates: the core
/// migrations, then each plugin's own, named as the daemon records them
/// ("<plugin>/<name>"), so a test database and a daemon started on it agree.
package enum BundledSchema {
    package static let plugins: [(name: String, migrations: [PluginMigration])] = [
        ("system_metrics", SystemSchema.migrations),
        ("app_metrics", AppSchema.migrations),
        ("pg_stats", PGStatsSchema.migrations),
        ("intelligence", IntelligenceSchema.migrations),
    ]

    package static var all: [Migration] {
        EmbeddedMigrations.all + plugins.flatMap { plugin in
            plugin.migrations.map { Migration(name: "\(plugin.name)/\($0.name)", sql: $0.sql) }
        }
    }
}

import PGStatsCore
import PluginABI
import PluginKit

/// The plugin's one exported symbol (see pqcrypta_plugin.h). Everything else
/// lives in PGStatsCore, which tests import; they load this library as a .so,
/// since every plugin exports the same symbol.
@_cdecl("pqc_plugin_entry")
public func pqcPluginEntry() -> UnsafePointer<pqc_plugin_descriptor>? {
    PluginExport.descriptor(
        name: "pg_stats",
        version: "1.0.0",
        description: "PostgreSQL statistics: connections, database counters, tables, indexes, IO, replication, statements"
    ) { host in
        try PGStatsPlugin.setUp(host)
    }
}

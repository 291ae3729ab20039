import IntelligenceCore
import PluginABI
import PluginKit

/// The plugin's one exported symbol (see pqcrypta_plugin.h). Everything else
/// lives in IntelligenceCore, which tests and pqcrypta-backtest import; tests
/// load this library as a .so, since every plugin exports the same symbol.
@_cdecl("pqc_plugin_entry")
public func pqcPluginEntry() -> UnsafePointer<pqc_plugin_descriptor>? {
    PluginExport.descriptor(
        name: "intelligence",
        version: "1.0.0",
        description: "Baselines and anomaly detection over the collected metrics"
    ) { host in
        try IntelligencePlugin.setUp(host)
    }
}

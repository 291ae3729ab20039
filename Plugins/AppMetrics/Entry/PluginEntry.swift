import AppMetricsCore
import PluginABI
import PluginKit

/// The plugin's single exported symbol (see pqcrypta_plugin.h). Everything
/// else lives in AppMetricsCore, which tests import; they load this library
/// as a .so, since every plugin exports the same symbol.
@_cdecl("pqc_plugin_entry")
public func pqcPluginEntry() -> UnsafePointer<pqc_plugin_descriptor>? {
    PluginExport.descriptor(
        name: "app_metrics",
        version: "1.0.0",
        description: "Scrapes the API and proxy JSON metrics endpoints into api_metrics_raw / proxy_metrics_raw"
    ) { host in
        try AppMetricsPlugin.register(host)
    }
}

import PluginABI

#if canImport(Glibc)
import Glibc
#endif
import SystemMetricsCore
import PluginKit
import ByteKit

/// Registers the sys tick: one `SystemCollector` sample per run, written as one
/// `system_metrics_raw` row and one `process_metrics_raw` row per watched name
/// (a name with no process gets a row with `missing = true`).
@_cdecl("pqc_plugin_entry")
public func pqcPluginEntry() -> UnsafePointer<pqc_plugin_descriptor> {
    PluginExport.descriptor(
        name: "system_metrics", version: "1.0.0",
        description: "Host CPU, memory, load, disk, network and watched processes from /proc"
    ) { host in
        let names = try WatchedProcessNames.read(
            global: host.globalConfig, plugin: host.config, environment: { getenv($0).map { String(cString: $0) } })
        var configuration = SystemCollectorConfiguration(watchedProcessNames: names)
        if case .string(let root)? = host.config("proc_root") { configuration.procRoot = root }
        try host.registerMigrations(SystemSchema.migrations)
        let system = try host.openTable(SystemTables.system)
        let processes = try host.openTable(SystemTables.process)
        let tick = SysTick(collector: SystemCollector(configuration: configuration), system: system, processes: processes, host: host)
        try host.registerTick(name: "sys", group: .sys) { tick.run() }
    }
}

/// The tick's state: the collector keeps the previous sample for its rates.
/// Ticks never run concurrently with themselves, so no lock is needed.
final class SysTick: @unchecked Sendable {
    private var collector: SystemCollector
    private let system: RowTable
    private let processes: RowTable
    private let host: PluginHost

    init(collector: SystemCollector, system: RowTable, processes: RowTable, host: PluginHost) {
        self.collector = collector
        self.system = system
        self.processes = processes
        self.host = host
    }

    func run() -> RunResult {
        let sample = collector.sample()
        let now = host.nowMicros()
        do {
            try system.emit(SystemTables.systemRow(sample))
            for group in sample.processes {
                try processes.emit(SystemTables.processRow(group, nowMicros: now))
            }
            return .ok
        } catch {
            host.log(.warn, "sys tick: \(error)")
            return .retry
        }
    }
}

import PluginABI
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
        var names = host.stringArray("collector.processes", global: true)
        if case .array = host.config("processes") { names = host.stringArray("processes") }
        var configuration = SystemCollectorConfiguration(watchedProcessNames: names)
        if case .string(let root)? = host.config("proc_root") { configuration.procRoot = root }
        let system = try host.openTable("collector.system_metrics_raw", columns: SystemRow.columns)
        let processes = try host.openTable("collector.process_metrics_raw", columns: ProcessRow.columns)
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
            try system.emit(SystemRow.values(sample))
            for group in sample.processes {
                try processes.emit(ProcessRow.values(group, nowMicros: now))
            }
            return .ok
        } catch {
            host.log(.warn, "sys tick: \(error)")
            return .retry
        }
    }
}

/// `collector.system_metrics_raw` columns and their values from a sample.
enum SystemRow {
    static let columns = [
        "cpu_count", "cpu_pct", "cpu_user_pct", "cpu_system_pct", "cpu_iowait_pct", "cpu_steal_pct", "cpu_idle_pct", "cpu_cores",
        "mem_total_bytes", "mem_used_bytes", "mem_available_bytes", "mem_free_bytes", "mem_buffers_bytes", "mem_cached_bytes",
        "mem_used_pct", "swap_total_bytes", "swap_used_bytes", "swap_used_pct",
        "load_1m", "load_5m", "load_15m", "procs_running", "procs_total",
        "disk_total_bytes", "disk_used_bytes", "disk_used_pct_max",
        "disk_read_bytes_per_sec", "disk_write_bytes_per_sec", "disk_read_ops_per_sec", "disk_write_ops_per_sec",
        "disk_busy_pct_max", "mounts", "disk_devices",
        "net_rx_bytes_per_sec", "net_tx_bytes_per_sec", "net_rx_packets_per_sec", "net_tx_packets_per_sec",
        "net_rx_errors_per_sec", "net_tx_errors_per_sec", "net_rx_drops_per_sec", "net_tx_drops_per_sec", "net_interfaces",
        "uptime_secs",
    ]

    static func values(_ s: SystemSample) -> [RowValue] {
        var v: [RowValue] = []
        v.reserveCapacity(columns.count)
        // The first sample only primes the CPU counters: its percentages are NULL.
        if let cpu = s.cpu {
            let a = cpu.aggregate
            v += [.int(cpu.cores.count), .double(a.busy), .double(a.user), .double(a.system), .double(a.iowait), .double(a.steal),
                  .double(a.idle), .json(JSONWriter.array(cpu.cores))]
        } else {
            v += Array(repeating: .null, count: 8)
        }
        if let m = s.memory {
            let swapPct = m.swapTotalBytes > 0 ? Double(m.swapUsedBytes) / Double(m.swapTotalBytes) * 100 : 0
            v += [.int(Int64(clamping: m.totalBytes)), .int(Int64(clamping: m.usedBytes)), .int(Int64(clamping: m.availableBytes)),
                  .int(Int64(clamping: m.freeBytes)), .int(Int64(clamping: m.buffersBytes)), .int(Int64(clamping: m.cachedBytes)),
                  .double(m.usedPercent), .int(Int64(clamping: m.swapTotalBytes)), .int(Int64(clamping: m.swapUsedBytes)), .double(swapPct)]
        } else {
            v += Array(repeating: .null, count: 10)
        }
        if let l = s.load {
            v += [.double(l.one), .double(l.five), .double(l.fifteen), .int(Int64(clamping: l.runnable)), .int(Int64(clamping: l.total))]
        } else {
            v += Array(repeating: .null, count: 5)
        }
        let total = s.mounts.reduce(UInt64(0)) { $0 &+ $1.totalBytes }
        let used = s.mounts.reduce(UInt64(0)) { $0 &+ $1.usedBytes }
        v += [.int(Int64(clamping: total)), .int(Int64(clamping: used)), .optionalDouble(s.mounts.map(\.usedPercent).max())]
        v += [.double(s.disks.reduce(0) { $0 + $1.readBytesPerSecond }), .double(s.disks.reduce(0) { $0 + $1.writeBytesPerSecond }),
              .double(s.disks.reduce(0) { $0 + $1.readOpsPerSecond }), .double(s.disks.reduce(0) { $0 + $1.writeOpsPerSecond }),
              .optionalDouble(s.disks.map(\.busyPercent).max()),
              .json(JSONWriter.array(s.mounts)), .json(JSONWriter.array(s.disks))]
        let n = s.network
        v += [.double(n.reduce(0) { $0 + $1.receivedBytesPerSecond }), .double(n.reduce(0) { $0 + $1.transmittedBytesPerSecond }),
              .double(n.reduce(0) { $0 + $1.receivedPacketsPerSecond }), .double(n.reduce(0) { $0 + $1.transmittedPacketsPerSecond }),
              .double(n.reduce(0) { $0 + $1.receiveErrorsPerSecond }), .double(n.reduce(0) { $0 + $1.transmitErrorsPerSecond }),
              .double(n.reduce(0) { $0 + $1.receiveDropsPerSecond }), .double(n.reduce(0) { $0 + $1.transmitDropsPerSecond }),
              .json(JSONWriter.array(n))]
        v.append(.int(Int64(s.instant.nanosecondsSinceBoot / 1_000_000_000)))
        return v
    }
}

/// `collector.process_metrics_raw` columns and their values for one watched name.
enum ProcessRow {
    static let columns = [
        "process_name", "process_count", "missing", "cpu_pct", "rss_bytes", "fd_count", "max_fd_count", "max_fd_pid", "threads",
        "state", "zombie_count", "dstate_count", "stopped_count", "start_time", "uptime_secs", "min_uptime_secs", "pids",
    ]

    static func values(_ g: ProcessGroupSample, nowMicros: Int64) -> [RowValue] {
        let oldest = g.processes.max { $0.uptimeSeconds < $1.uptimeSeconds }
        let youngest = g.processes.min { $0.uptimeSeconds < $1.uptimeSeconds }
        let busiest = g.processWithMostFileDescriptors
        let missing = g.isMissing
        return [
            .text(g.name), .int(g.processCount), .bool(missing),
            missing ? .null : .optionalDouble(g.cpuPercent),
            missing ? .null : .int(Int64(clamping: g.residentBytes)),
            missing ? .null : .int(g.fileDescriptors),
            missing ? .null : .int(g.maxFileDescriptors),
            busiest.map { .int(Int64($0.pid)) } ?? .null,
            missing ? .null : .int(Int64(clamping: g.threads)),
            oldest.map { .text(String($0.state)) } ?? .null,
            .int(g.states.zombie), .int(g.states.diskSleep), .int(g.states.stopped),
            oldest.map { .timestamp(micros: nowMicros - Int64($0.uptimeSeconds * 1_000_000)) } ?? .null,
            .optionalDouble(oldest?.uptimeSeconds), .optionalDouble(youngest?.uptimeSeconds),
            .json(JSONWriter.array(g.processes)),
        ]
    }
}

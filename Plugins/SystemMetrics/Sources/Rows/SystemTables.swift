import ByteKit
import PluginKit

/// The two tables the sys tick writes: `system_metrics_raw` (one row per
/// sample) and `process_metrics_raw` (one row per watched name). The layouts
/// name every column the plugin fills with its SQL type; `systemRow` and
/// `processRow` fill them by name. A metric is added here (layout + cell) and
/// in the plugin's migration.
public enum SystemTables {
    public static let system = TableLayout(table: "collector.system_metrics_raw", columns: [
        TableColumn("cpu_count", .int), TableColumn("cpu_pct", .double), TableColumn("cpu_user_pct", .double),
        TableColumn("cpu_system_pct", .double), TableColumn("cpu_iowait_pct", .double), TableColumn("cpu_steal_pct", .double),
        TableColumn("cpu_idle_pct", .double), TableColumn("cpu_cores", .json),
        TableColumn("mem_total_bytes", .int), TableColumn("mem_used_bytes", .int), TableColumn("mem_available_bytes", .int),
        TableColumn("mem_free_bytes", .int), TableColumn("mem_buffers_bytes", .int), TableColumn("mem_cached_bytes", .int),
        TableColumn("mem_used_pct", .double), TableColumn("swap_total_bytes", .int), TableColumn("swap_used_bytes", .int),
        TableColumn("swap_used_pct", .double),
        TableColumn("load_1m", .double), TableColumn("load_5m", .double), TableColumn("load_15m", .double),
        TableColumn("procs_running", .int), TableColumn("procs_total", .int),
        TableColumn("disk_total_bytes", .int), TableColumn("disk_used_bytes", .int), TableColumn("disk_used_pct_max", .double),
        TableColumn("disk_read_bytes_per_sec", .double), TableColumn("disk_write_bytes_per_sec", .double),
        TableColumn("disk_read_ops_per_sec", .double), TableColumn("disk_write_ops_per_sec", .double),
        TableColumn("disk_busy_pct_max", .double), TableColumn("mounts", .json), TableColumn("disk_devices", .json),
        TableColumn("net_rx_bytes_per_sec", .double), TableColumn("net_tx_bytes_per_sec", .double),
        TableColumn("net_rx_packets_per_sec", .double), TableColumn("net_tx_packets_per_sec", .double),
        TableColumn("net_rx_errors_per_sec", .double), TableColumn("net_tx_errors_per_sec", .double),
        TableColumn("net_rx_drops_per_sec", .double), TableColumn("net_tx_drops_per_sec", .double),
        TableColumn("net_interfaces", .json),
        TableColumn("uptime_secs", .int),
    ])

    public static let process = TableLayout(table: "collector.process_metrics_raw", columns: [
        TableColumn("process_name", .text), TableColumn("process_count", .int), TableColumn("missing", .bool),
        TableColumn("cpu_pct", .double), TableColumn("rss_bytes", .int), TableColumn("fd_count", .int),
        TableColumn("max_fd_count", .int), TableColumn("max_fd_pid", .int), TableColumn("threads", .int),
        TableColumn("state", .text), TableColumn("zombie_count", .int), TableColumn("dstate_count", .int),
        TableColumn("stopped_count", .int), TableColumn("start_time", .timestamp), TableColumn("uptime_secs", .double),
        TableColumn("min_uptime_secs", .double), TableColumn("pids", .json),
    ])

    /// The `system_metrics_raw` row of a sample. The first sample only primes
    /// the CPU counters, so its CPU cells stay NULL; so do the cells of a
    /// /proc file that could not be read.
    public static func systemRow(_ s: SystemSample) -> Row {
        var r = Row()
        if let cpu = s.cpu {
            let a = cpu.aggregate
            r.set("cpu_count", cpu.cores.count)
            r.set("cpu_pct", a.busy)
            r.set("cpu_user_pct", a.user)
            r.set("cpu_system_pct", a.system)
            r.set("cpu_iowait_pct", a.iowait)
            r.set("cpu_steal_pct", a.steal)
            r.set("cpu_idle_pct", a.idle)
            r["cpu_cores"] = .json(JSONWriter.array(cpu.cores))
        }
        if let m = s.memory {
            r.set("mem_total_bytes", Int64(clamping: m.totalBytes))
            r.set("mem_used_bytes", Int64(clamping: m.usedBytes))
            r.set("mem_available_bytes", Int64(clamping: m.availableBytes))
            r.set("mem_free_bytes", Int64(clamping: m.freeBytes))
            r.set("mem_buffers_bytes", Int64(clamping: m.buffersBytes))
            r.set("mem_cached_bytes", Int64(clamping: m.cachedBytes))
            r.set("mem_used_pct", m.usedPercent)
            r.set("swap_total_bytes", Int64(clamping: m.swapTotalBytes))
            r.set("swap_used_bytes", Int64(clamping: m.swapUsedBytes))
            r.set("swap_used_pct", m.swapTotalBytes > 0 ? Double(m.swapUsedBytes) / Double(m.swapTotalBytes) * 100 : 0)
        }
        if let l = s.load {
            r.set("load_1m", l.one)
            r.set("load_5m", l.five)
            r.set("load_15m", l.fifteen)
            r.set("procs_running", Int64(clamping: l.runnable))
            r.set("procs_total", Int64(clamping: l.total))
        }
        r.set("disk_total_bytes", Int64(clamping: s.mounts.reduce(UInt64(0)) { $0 &+ $1.totalBytes }))
        r.set("disk_used_bytes", Int64(clamping: s.mounts.reduce(UInt64(0)) { $0 &+ $1.usedBytes }))
        r.set("disk_used_pct_max", s.mounts.map(\.usedPercent).max())
        r.set("disk_read_bytes_per_sec", s.disks.reduce(0) { $0 + $1.readBytesPerSecond })
        r.set("disk_write_bytes_per_sec", s.disks.reduce(0) { $0 + $1.writeBytesPerSecond })
        r.set("disk_read_ops_per_sec", s.disks.reduce(0) { $0 + $1.readOpsPerSecond })
        r.set("disk_write_ops_per_sec", s.disks.reduce(0) { $0 + $1.writeOpsPerSecond })
        r.set("disk_busy_pct_max", s.disks.map(\.busyPercent).max())
        r["mounts"] = .json(JSONWriter.array(s.mounts))
        r["disk_devices"] = .json(JSONWriter.array(s.disks))
        let n = s.network
        r.set("net_rx_bytes_per_sec", n.reduce(0) { $0 + $1.receivedBytesPerSecond })
        r.set("net_tx_bytes_per_sec", n.reduce(0) { $0 + $1.transmittedBytesPerSecond })
        r.set("net_rx_packets_per_sec", n.reduce(0) { $0 + $1.receivedPacketsPerSecond })
        r.set("net_tx_packets_per_sec", n.reduce(0) { $0 + $1.transmittedPacketsPerSecond })
        r.set("net_rx_errors_per_sec", n.reduce(0) { $0 + $1.receiveErrorsPerSecond })
        r.set("net_tx_errors_per_sec", n.reduce(0) { $0 + $1.transmitErrorsPerSecond })
        r.set("net_rx_drops_per_sec", n.reduce(0) { $0 + $1.receiveDropsPerSecond })
        r.set("net_tx_drops_per_sec", n.reduce(0) { $0 + $1.transmitDropsPerSecond })
        r["net_interfaces"] = .json(JSONWriter.array(n))
        r.set("uptime_secs", Int64(s.instant.nanosecondsSinceBoot / 1_000_000_000))
        return r
    }

    /// The `process_metrics_raw` row of one watched name. A name with no
    /// process is a row with `missing = true` and NULL resource figures.
    public static func processRow(_ g: ProcessGroupSample, nowMicros: Int64) -> Row {
        let oldest = g.processes.max { $0.uptimeSeconds < $1.uptimeSeconds }
        let youngest = g.processes.min { $0.uptimeSeconds < $1.uptimeSeconds }
        var r = Row()
        r.set("process_name", text: g.name)
        r.set("process_count", g.processCount)
        r.set("missing", g.isMissing)
        if !g.isMissing {
            r.set("cpu_pct", g.cpuPercent)
            r.set("rss_bytes", Int64(clamping: g.residentBytes))
            r.set("fd_count", g.fileDescriptors)
            r.set("max_fd_count", g.maxFileDescriptors)
            r.set("threads", Int64(clamping: g.threads))
        }
        r.set("max_fd_pid", g.processWithMostFileDescriptors.map { Int64($0.pid) })
        r.set("state", text: oldest.map { String($0.state) })
        r.set("zombie_count", g.states.zombie)
        r.set("dstate_count", g.states.diskSleep)
        r.set("stopped_count", g.states.stopped)
        r["start_time"] = oldest.map { .timestamp(micros: nowMicros - Int64($0.uptimeSeconds * 1_000_000)) } ?? .null
        r.set("uptime_secs", oldest?.uptimeSeconds)
        r.set("min_uptime_secs", youngest?.uptimeSeconds)
        r["pids"] = .json(JSONWriter.array(g.processes))
        return r
    }
}

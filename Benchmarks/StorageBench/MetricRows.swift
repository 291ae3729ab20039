import ByteKit
import CollectorCore
#if canImport(Glibc)
import Glibc
#endif

/// Rows shaped like `collector.system_metrics_raw` as the SystemMetrics plugin
/// writes them: a fleet of hosts sampling every ~10 s over one day, every
/// column filled, per-core / per-mount / per-device / per-interface JSONB.
enum MetricRows {
    static let table = "collector.system_metrics_raw"
    static let columns = [
        "host", "ts",
        "cpu_count", "cpu_pct", "cpu_user_pct", "cpu_system_pct", "cpu_iowait_pct", "cpu_steal_pct", "cpu_idle_pct", "cpu_cores",
        "mem_total_bytes", "mem_used_bytes", "mem_available_bytes", "mem_free_bytes", "mem_buffers_bytes", "mem_cached_bytes",
        "mem_used_pct", "swap_total_bytes", "swap_used_bytes", "swap_used_pct",
        "load_1m", "load_5m", "load_15m", "procs_running", "procs_total",
        "disk_total_bytes", "disk_used_bytes", "disk_used_pct_max", "disk_read_bytes_per_sec", "disk_write_bytes_per_sec",
        "disk_read_ops_per_sec", "disk_write_ops_per_sec", "disk_busy_pct_max", "mounts", "disk_devices",
        "net_rx_bytes_per_sec", "net_tx_bytes_per_sec", "net_rx_packets_per_sec", "net_tx_packets_per_sec",
        "net_rx_errors_per_sec", "net_tx_errors_per_sec", "net_rx_drops_per_sec", "net_tx_drops_per_sec", "net_interfaces",
        "uptime_secs",
    ]

    /// The fixed shape of one machine of the fleet.
    private struct Machine {
        let name: String
        let cores: Int
        let memTotal: Int64
        let swapTotal: Int64
        let mounts: [(mount: String, device: String, fs: String, total: Int64, inodes: Int64)]
        let devices: [String]
        let interfaces: [String]
        let bootUptime: Int64
        let baseCPU: Double
        var mountUsed: [Double]
        var cpu: Double
        var mem: Double
    }

    /// `count` rows ending at `endMicros`, ordered by time (hosts interleaved).
    static func generate(count: Int, endMicros: Int64, seed: UInt64) -> BenchTable {
        var rng = BenchRandom(seed: seed)
        let hostCount = max(1, min(24, count / 500))
        var machines = (0..<hostCount).map { makeMachine($0, &rng) }
        let perHost = (count + hostCount - 1) / hostCount
        let day: Int64 = 86_400_000_000
        let step = day / Int64(max(1, perHost))
        var rows: [[BenchCell]] = []
        rows.reserveCapacity(count)
        var json = JSONWriter()
        outer: for k in 0..<perHost {
            for h in 0..<hostCount {
                if rows.count == count { break outer }
                let jitter = Int64(rng.below(400_000)) + Int64(h) * 37_000
                let ts = endMicros - day + Int64(k) * step + jitter
                let hourOfDay = Double((ts / 3_600_000_000) % 24)
                rows.append(row(&machines[h], ts: ts, hour: hourOfDay, sample: k, rng: &rng, json: &json))
            }
        }
        return BenchTable(table: table, columns: columns, droppable: true, rows: rows)
    }

    private static func makeMachine(_ i: Int, _ rng: inout BenchRandom) -> Machine {
        let roles = ["web", "api", "db", "proxy", "worker", "cache"]
        let cores = [2, 4, 4, 8, 8, 16][rng.below(6)]
        let gib: Int64 = 1 << 30
        let mem = Int64(cores) * [2, 4, 8][rng.below(3)] * gib
        var mounts: [(String, String, String, Int64, Int64)] = [("/", "/dev/sda1", "ext4", Int64(rng.int(40...200)) * gib, 6_553_600)]
        if rng.chance(0.7) { mounts.append(("/boot", "/dev/sda15", "vfat", 105 * (1 << 20), 0)) }
        if rng.chance(0.5) { mounts.append(("/var/lib/postgresql", "/dev/sdb1", "ext4", Int64(rng.int(100...1000)) * gib, 26_214_400)) }
        if rng.chance(0.3) { mounts.append(("/data", "/dev/nvme0n1p1", "xfs", Int64(rng.int(200...2000)) * gib, 104_857_600)) }
        let devices = ["sda"] + (mounts.contains { $0.1.hasPrefix("/dev/sdb") } ? ["sdb"] : []) + (mounts.contains { $0.1.hasPrefix("/dev/nvme") } ? ["nvme0n1"] : [])
        return Machine(
            name: "\(roles[i % roles.count])-\(i / roles.count + 1 < 10 ? "0" : "")\(i / roles.count + 1).pqcrypta.internal",
            cores: cores, memTotal: mem, swapTotal: rng.chance(0.5) ? 2 * gib : 0,
            mounts: mounts, devices: devices,
            interfaces: rng.chance(0.3) ? ["eth0", "eth1"] : ["eth0"],
            bootUptime: Int64(rng.int(3_600...9_000_000)),
            baseCPU: rng.double(5, 45), mountUsed: mounts.map { _ in rng.double(0.15, 0.85) },
            cpu: 20, mem: rng.double(0.3, 0.8))
    }

    private static func row(_ m: inout Machine, ts: Int64, hour: Double, sample: Int, rng: inout BenchRandom,
                            json: inout JSONWriter) -> [BenchCell] {
        // Daily swing plus noise and the odd spike.
        let daily = 1 + 0.6 * sin(2 * Double.pi * (hour - 14) / 24)
        m.cpu = max(0.5, min(99.5, 0.7 * m.cpu + 0.3 * (m.baseCPU * daily + 6 * rng.gaussian()) + (rng.chance(0.01) ? 50 : 0)))
        let cpu = benchRound(m.cpu)
        let iowait = benchRound(max(0, min(cpu / 4, abs(rng.gaussian()) * 1.5)))
        let steal = benchRound(rng.chance(0.2) ? rng.double(0, 2) : 0)
        let system = benchRound(cpu * rng.double(0.15, 0.3))
        let user = benchRound(max(0, cpu - system - iowait - steal))
        let idle = benchRound(100 - cpu)

        json.reset()
        json.beginArray()
        for c in 0..<m.cores {
            let busy = max(0, min(100, cpu + 10 * rng.gaussian()))
            let cs = busy * 0.22, cio = min(busy - cs, abs(rng.gaussian()))
            json.beginObject()
            json.field("core", Int64(c))
            json.field("user", busy - cs - cio); json.field("system", cs); json.field("iowait", cio)
            json.field("steal", 0.0); json.field("idle", 100 - busy); json.field("busy", busy)
            json.endObject()
        }
        json.endArray()
        let coresJSON = json.text

        m.mem = max(0.1, min(0.97, m.mem + 0.01 * rng.gaussian()))
        let used = Int64(Double(m.memTotal) * m.mem)
        let available = m.memTotal - used
        let cached = Int64(Double(available) * rng.double(0.4, 0.7))
        let buffers = Int64(Double(available) * rng.double(0.01, 0.05))
        let free = max(0, available - cached - buffers)
        let swapUsed = m.swapTotal == 0 ? 0 : Int64(Double(m.swapTotal) * rng.double(0, 0.1))

        let load1 = benchRound(Double(m.cores) * cpu / 100 * rng.double(0.8, 1.3))
        let load5 = benchRound(Double(m.cores) * cpu / 100 * rng.double(0.9, 1.1))
        let load15 = benchRound(Double(m.cores) * cpu / 100)

        var diskTotal: Int64 = 0, diskUsed: Int64 = 0, fullest = 0.0
        json.reset()
        json.beginArray()
        for (i, mt) in m.mounts.enumerated() {
            m.mountUsed[i] = min(0.99, m.mountUsed[i] + rng.double(0, 0.000_002))
            let u = Int64(Double(mt.total) * m.mountUsed[i])
            diskTotal += mt.total; diskUsed += u
            let pct = 100 * m.mountUsed[i]
            fullest = max(fullest, pct)
            json.beginObject()
            json.field("mount", mt.mount); json.field("device", mt.device); json.field("fs_type", mt.fs)
            json.field("total_bytes", mt.total); json.field("used_bytes", u); json.field("available_bytes", mt.total - u)
            json.field("used_pct", pct)
            json.field("inodes_total", mt.inodes); json.field("inodes_used", Int64(Double(mt.inodes) * m.mountUsed[i] * 0.3))
            json.endObject()
        }
        json.endArray()
        let mountsJSON = json.text

        var rd = 0.0, wr = 0.0, rops = 0.0, wops = 0.0, busiest = 0.0
        json.reset()
        json.beginArray()
        for d in m.devices {
            let r = benchRound(abs(rng.gaussian()) * 2_000_000 * daily), w = benchRound(abs(rng.gaussian()) * 5_000_000 * daily)
            let ro = benchRound(r / 16_384), wo = benchRound(w / 8_192)
            let busy = benchRound(min(100, (ro + wo) / 40))
            rd += r; wr += w; rops += ro; wops += wo; busiest = max(busiest, busy)
            json.beginObject()
            json.field("device", d)
            json.field("read_bytes_per_sec", r); json.field("write_bytes_per_sec", w)
            json.field("read_ops_per_sec", ro); json.field("write_ops_per_sec", wo); json.field("busy_pct", busy)
            json.endObject()
        }
        json.endArray()
        let devicesJSON = json.text

        var rx = 0.0, tx = 0.0, rxp = 0.0, txp = 0.0, rxe = 0.0, txe = 0.0, rxd = 0.0, txd = 0.0
        json.reset()
        json.beginArray()
        for i in m.interfaces {
            let r = benchRound(abs(rng.gaussian()) * 3_000_000 * daily), t = benchRound(abs(rng.gaussian()) * 6_000_000 * daily)
            let rp = benchRound(r / 900), tp = benchRound(t / 1_200)
            let re = rng.chance(0.002) ? 0.1 : 0.0, te = 0.0
            let rdr = rng.chance(0.01) ? benchRound(rng.double(0, 5)) : 0, tdr = 0.0
            rx += r; tx += t; rxp += rp; txp += tp; rxe += re; txe += te; rxd += rdr; txd += tdr
            json.beginObject()
            json.field("interface", i)
            json.field("rx_bytes_per_sec", r); json.field("tx_bytes_per_sec", t)
            json.field("rx_packets_per_sec", rp); json.field("tx_packets_per_sec", tp)
            json.field("rx_errors_per_sec", re); json.field("tx_errors_per_sec", te)
            json.field("rx_drops_per_sec", rdr); json.field("tx_drops_per_sec", tdr)
            json.endObject()
        }
        json.endArray()
        let netJSON = json.text

        return [
            .text(m.name), .timestamp(ts),
            .int(Int64(m.cores)), .double(cpu), .double(user), .double(system), .double(iowait), .double(steal), .double(idle),
            .json(coresJSON),
            .int(m.memTotal), .int(used), .int(available), .int(free), .int(buffers), .int(cached),
            .double(benchRound(100 * m.mem)), .int(m.swapTotal), .int(swapUsed),
            .double(m.swapTotal == 0 ? 0 : benchRound(100 * Double(swapUsed) / Double(m.swapTotal))),
            .double(load1), .double(load5), .double(load15), .int(Int64(rng.int(1...max(1, m.cores)))), .int(Int64(rng.int(180...900))),
            .int(diskTotal), .int(diskUsed), .double(benchRound(fullest)), .double(benchRound(rd)), .double(benchRound(wr)),
            .double(benchRound(rops)), .double(benchRound(wops)), .double(busiest), .json(mountsJSON), .json(devicesJSON),
            .double(benchRound(rx)), .double(benchRound(tx)), .double(benchRound(rxp)), .double(benchRound(txp)),
            .double(rxe), .double(txe), .double(rxd), .double(txd), .json(netJSON),
            .int(m.bootUptime + Int64(sample) * 10),
        ]
    }
}

/// Generated cells are written by the plugins' own JSONWriter (numbers with at most
/// 2 decimals, as SystemMetrics writes them).
extension JSONWriter {
    mutating func field(_ name: String, _ number: Int64) { key(name); value(number) }
    mutating func field(_ name: String, _ number: Double) { key(name); value(number) }
    mutating func field(_ name: String, _ text: String) { key(name); value(text) }
}

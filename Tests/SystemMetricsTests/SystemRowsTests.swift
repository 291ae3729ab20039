import ByteKit
import PluginKit
import XCTest

@testable import SystemMetricsCore

/// The row mapping of the sys tick, column by column by name, on the fixture
/// trees: every column of `system_metrics_raw` and `process_metrics_raw` the
/// plugin declares is asserted, so a column filled from the wrong field (or
/// left out) fails here rather than in a dashboard.
final class SystemRowsTests: XCTestCase {
    private func secondSample() -> SystemSample {
        let root = FixtureRoot()
        root.point(at: "ticks/tick1")
        var collector = SystemCollector(
            configuration: SystemCollectorConfiguration(
                procRoot: root.path, watchedProcessNames: ["postgres", "nginx"], clockTicksPerSecond: 100, pageSize: 4096,
                fileSystemUsageProbe: SystemCollectorFixtureTests.probe))
        _ = collector.sample(now: SampleInstant(secondsSinceBoot: 1000))
        root.point(at: "ticks/tick2")
        return collector.sample(now: SampleInstant(secondsSinceBoot: 1010))
    }

    func testEverySystemColumnByName() throws {
        let sample = secondSample()
        let row = SystemTables.systemRow(sample)
        XCTAssertEqual(row.unknownColumns(in: SystemTables.system), [])
        let expected: [String: RowValue] = [
            "cpu_count": .int(2),
            "cpu_pct": .double(22.5 + 2.5),  // 100 - idle 70 - iowait 5
            "cpu_user_pct": .double(15), "cpu_system_pct": .double(7.5), "cpu_iowait_pct": .double(5),
            "cpu_steal_pct": .double(2.5), "cpu_idle_pct": .double(70),
            "cpu_cores": .json(JSONWriter.array(try XCTUnwrap(sample.cpu).cores)),
            "mem_total_bytes": .int(8_000_000 * 1024),
            "mem_used_bytes": .int(Int64(try XCTUnwrap(sample.memory).usedBytes)),
            "mem_available_bytes": .int(Int64(try XCTUnwrap(sample.memory).availableBytes)),
            "mem_free_bytes": .int(Int64(try XCTUnwrap(sample.memory).freeBytes)),
            "mem_buffers_bytes": .int(Int64(try XCTUnwrap(sample.memory).buffersBytes)),
            "mem_cached_bytes": .int(Int64(try XCTUnwrap(sample.memory).cachedBytes)),
            "mem_used_pct": .double(try XCTUnwrap(sample.memory).usedPercent),
            "swap_total_bytes": .int(Int64(try XCTUnwrap(sample.memory).swapTotalBytes)),
            "swap_used_bytes": .int(Int64(try XCTUnwrap(sample.memory).swapUsedBytes)),
            "swap_used_pct": .double(Double(try XCTUnwrap(sample.memory).swapUsedBytes) / Double(try XCTUnwrap(sample.memory).swapTotalBytes) * 100),
            "load_1m": .double(try XCTUnwrap(sample.load).one), "load_5m": .double(try XCTUnwrap(sample.load).five),
            "load_15m": .double(try XCTUnwrap(sample.load).fifteen),
            "procs_running": .int(Int64(try XCTUnwrap(sample.load).runnable)),
            "procs_total": .int(Int64(try XCTUnwrap(sample.load).total)),
            "disk_total_bytes": .int(1000 + 4000), "disk_used_bytes": .int(600 + 0),
            "disk_used_pct_max": .double(600.0 / 900.0 * 100),
            "disk_read_bytes_per_sec": .double(sample.disks.reduce(0) { $0 + $1.readBytesPerSecond }),
            "disk_write_bytes_per_sec": .double(sample.disks.reduce(0) { $0 + $1.writeBytesPerSecond }),
            "disk_read_ops_per_sec": .double(sample.disks.reduce(0) { $0 + $1.readOpsPerSecond }),
            "disk_write_ops_per_sec": .double(sample.disks.reduce(0) { $0 + $1.writeOpsPerSecond }),
            "disk_busy_pct_max": .double(try XCTUnwrap(sample.disks.map(\.busyPercent).max())),
            "mounts": .json(JSONWriter.array(sample.mounts)), "disk_devices": .json(JSONWriter.array(sample.disks)),
            "net_rx_bytes_per_sec": .double(sample.network.reduce(0) { $0 + $1.receivedBytesPerSecond }),
            "net_tx_bytes_per_sec": .double(sample.network.reduce(0) { $0 + $1.transmittedBytesPerSecond }),
            "net_rx_packets_per_sec": .double(sample.network.reduce(0) { $0 + $1.receivedPacketsPerSecond }),
            "net_tx_packets_per_sec": .double(sample.network.reduce(0) { $0 + $1.transmittedPacketsPerSecond }),
            "net_rx_errors_per_sec": .double(sample.network.reduce(0) { $0 + $1.receiveErrorsPerSecond }),
            "net_tx_errors_per_sec": .double(sample.network.reduce(0) { $0 + $1.transmitErrorsPerSecond }),
            "net_rx_drops_per_sec": .double(sample.network.reduce(0) { $0 + $1.receiveDropsPerSecond }),
            "net_tx_drops_per_sec": .double(sample.network.reduce(0) { $0 + $1.transmitDropsPerSecond }),
            "net_interfaces": .json(JSONWriter.array(sample.network)),
            "uptime_secs": .int(1010),
        ]
        XCTAssertEqual(Set(expected.keys), Set(SystemTables.system.columnNames), "the test names every declared column")
        for column in SystemTables.system.columnNames {
            XCTAssertEqual(row[column], expected[column], column)
        }
        XCTAssertFalse(sample.disks.isEmpty, "the fixture has disk rates, so the sums above are not all zero")
    }

    func testFirstSampleLeavesCPUNull() {
        let root = FixtureRoot()
        root.point(at: "ticks/tick1")
        var collector = SystemCollector(
            configuration: SystemCollectorConfiguration(
                procRoot: root.path, watchedProcessNames: [], clockTicksPerSecond: 100, pageSize: 4096,
                fileSystemUsageProbe: SystemCollectorFixtureTests.probe))
        let row = SystemTables.systemRow(collector.sample(now: SampleInstant(secondsSinceBoot: 1000)))
        for column in ["cpu_count", "cpu_pct", "cpu_user_pct", "cpu_system_pct", "cpu_iowait_pct", "cpu_steal_pct", "cpu_idle_pct", "cpu_cores"] {
            XCTAssertEqual(row[column], .null, column)
        }
    }

    func testEveryProcessColumnByName() throws {
        let sample = secondSample()
        let postgres = try XCTUnwrap(sample.processes.first { $0.name == "postgres" })
        let now: Int64 = 1_700_000_000_000_000
        let row = SystemTables.processRow(postgres, nowMicros: now)
        XCTAssertEqual(row.unknownColumns(in: SystemTables.process), [])
        let oldest = try XCTUnwrap(postgres.processes.max { $0.uptimeSeconds < $1.uptimeSeconds })
        let youngest = try XCTUnwrap(postgres.processes.min { $0.uptimeSeconds < $1.uptimeSeconds })
        let expected: [String: RowValue] = [
            "process_name": .text("postgres"),
            "process_count": .int(Int64(postgres.processCount)),
            "missing": .bool(false),
            "cpu_pct": postgres.cpuPercent.map { .double($0) } ?? .null,
            "rss_bytes": .int(Int64(postgres.residentBytes)),
            "fd_count": .int(Int64(postgres.fileDescriptors)),
            "max_fd_count": .int(Int64(postgres.maxFileDescriptors)),
            "max_fd_pid": .int(Int64(try XCTUnwrap(postgres.processWithMostFileDescriptors).pid)),
            "threads": .int(Int64(postgres.threads)),
            "state": .text(String(oldest.state)),
            "zombie_count": .int(Int64(postgres.states.zombie)),
            "dstate_count": .int(Int64(postgres.states.diskSleep)),
            "stopped_count": .int(Int64(postgres.states.stopped)),
            "start_time": .timestamp(micros: now - Int64(oldest.uptimeSeconds * 1_000_000)),
            "uptime_secs": .double(oldest.uptimeSeconds),
            "min_uptime_secs": .double(youngest.uptimeSeconds),
            "pids": .json(JSONWriter.array(postgres.processes)),
        ]
        XCTAssertEqual(Set(expected.keys), Set(SystemTables.process.columnNames), "the test names every declared column")
        for column in SystemTables.process.columnNames {
            XCTAssertEqual(row[column], expected[column], column)
        }
        XCTAssertNotNil(postgres.cpuPercent, "second sample: CPU is measured")
    }

    func testMissingProcessRow() throws {
        let sample = secondSample()
        let nginx = try XCTUnwrap(sample.processes.first { $0.name == "nginx" })
        let row = SystemTables.processRow(nginx, nowMicros: 0)
        XCTAssertEqual(row["missing"], .bool(nginx.isMissing))
        if nginx.isMissing {
            for column in ["cpu_pct", "rss_bytes", "fd_count", "max_fd_count", "threads", "start_time"] {
                XCTAssertEqual(row[column], .null, column)
            }
        }
    }
}

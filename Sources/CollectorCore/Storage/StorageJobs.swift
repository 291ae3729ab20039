#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The host's own database work, as scheduler jobs: migrations and partition
/// maintenance (at start, then on the agg tick), the heartbeat, and the
/// watchdog's staleness check.
package final class StorageJobs: Sendable {
    package let config: CollectorConfig
    package let fast: DatabaseLane
    package let slow: DatabaseLane
    package let stats: StatsRegistry
    package let migrations: [Migration]
    package let findings: FindingStore
    package let gate: SchemaGate
    package let writer: BatchWriter
    /// Plugins whose row targets are checked against their tables (`TableCheck`)
    /// once the migrations are applied, before any row is written.
    package let plugins: [PluginRuntime]
    private let startedMicros = WallClock.nowMicros()
    /// The last maintenance skipped the rollups because the spool held rows.
    private let rollupsHeldBack = Atomic<Bool>(false)
    private let logger = Logger(label: "storage")

    package init(config: CollectorConfig, fast: DatabaseLane, slow: DatabaseLane, stats: StatsRegistry, migrations: [Migration], gate: SchemaGate,
         writer: BatchWriter, plugins: [PluginRuntime] = []) {
        self.gate = gate
        self.plugins = plugins
        self.writer = writer
        self.config = config
        self.fast = fast
        self.slow = slow
        self.stats = stats
        self.migrations = migrations
        self.findings = FindingStore(hostname: config.collector.hostname, lanes: [.fast: fast, .slow: slow])
    }

    /// True once the schema is in place; the writer holds rows until then.
    package var schemaReady: Bool { gate.isOpen }

    /// `intervals`: a reload's new ones (the jobs are started again with them).
    package func jobs(intervals: IntervalsConfig? = nil) -> [TickJob] {
        let intervals = intervals ?? config.intervals
        let secs = { (s: Int) in UInt64(s) * 1_000_000_000 }
        return [
            // Until the schema is in place, try every 10 s; afterwards this is a no-op,
            // except to run the rollups a spool replay held back, once it is done.
            TickJob(id: "host/schema", owner: "host", intervalNanos: secs(10), lane: .slow) { [self] in
                if !schemaReady { return maintenance() }
                return rollupsHeldBack.load(ordering: .relaxed) && writer.spooledBytes == 0 ? maintenance() : .ok
            },
            TickJob(id: "host/maintenance", owner: "host", intervalNanos: secs(intervals.aggSecs), lane: .slow) { [self] in
                schemaReady ? maintenance() : .ok
            },
            TickJob(id: "host/heartbeat", owner: "host", intervalNanos: secs(intervals.heartbeatSecs), lane: .fast) { [self] in
                heartbeat()
            },
            TickJob(id: "host/watchdog", owner: "host", intervalNanos: secs(intervals.watchdogSecs), lane: .fast) { [self] in
                watchdog()
            },
        ]
    }

    /// Applies pending migrations once, then keeps daily partitions ahead.
    package func maintenance() -> TickOutcome {
        do {
            try slow.withConnection { (c: PGConnection) throws(PGError) in
                if !schemaReady {
                    let applied = try Migrator(connection: c).apply(migrations)
                    if !applied.isEmpty { logger.info("applied migrations: \(applied.joined(separator: ", "))") }
                    TableCheck.apply(to: plugins, on: c, logger: logger)
                    gate.markOpen()
                }
                try c.query("SELECT collector.ensure_partitions(current_date - 1, current_date + 3)")
                // Rows waiting in the spool (an outage, a stop while the database was
                // down) belong in hours a rollup would now close for good: rollups wait
                // until the writer has replayed them, and run on the next 10 s check.
                let spooled = writer.spooledBytes
                let holdBack = spooled > 0
                if holdBack, !rollupsHeldBack.exchange(true, ordering: .relaxed) {
                    logger.info("rollups wait until the spool's \(spooled) bytes are replayed, so late rows count in their hour")
                } else if !holdBack {
                    rollupsHeldBack.store(false, ordering: .relaxed)
                }
                let report = try RollupJob(hostname: config.collector.hostname, retention: config.retention).run(on: c, rollUps: !holdBack)
                if report.errors.isEmpty {
                    logger.info("rollups/retention: \(report.summary)")
                } else {
                    logger.warning("rollups/retention: \(report.summary)")
                }
            }
            return .ok
        } catch {
            if error.kind == .client { return .fail(error.description) }
            return .retry(error.description)
        }
    }

    /// Liveness rows go through the writer with their own timestamps: during an
    /// outage they wait (in memory, then in the spool) and arrive afterwards, so
    /// the outage shows as a collector that was alive and a database that was not.
    private static let heartbeatTarget = RowTarget(
        table: "collector.heartbeat",
        columns: ["host", "ts", "pid", "version", "started_at", "uptime_secs", "rss_bytes", "buffered_rows", "dropped_rows"],
        droppable: false)

    package func heartbeat() -> TickOutcome {
        let now = WallClock.nowMicros()
        var row = CopyEncoder(reservingCapacity: 256)
        row.appendText(config.collector.hostname); row.appendSeparator()
        row.appendTimestamp(micros: now); row.appendSeparator()
        row.appendInt(Int64(getpid())); row.appendSeparator()
        row.appendText(CollectorVersion.version); row.appendSeparator()
        row.appendTimestamp(micros: startedMicros); row.appendSeparator()
        row.appendDouble(Double(now - startedMicros) / 1e6); row.appendSeparator()
        row.appendInt(SelfUsage.residentBytes()); row.appendSeparator()
        row.appendInt(Int64(writer.bufferedRows)); row.appendSeparator()
        row.appendInt(Int64(stats.counter("writer.dropped_rows")))
        row.endRow()
        writer.append(writer.register(Self.heartbeatTarget), row: row.bytes)
        writer.requestFlush()
        return .ok
    }

    /// Alerts when this host's last heartbeat is older than 6 × the heartbeat interval.
    package func watchdog() -> TickOutcome {
        guard schemaReady else { return .ok }
        let limit = Double(config.intervals.heartbeatSecs * 6)
        do {
            let age = try fast.withConnection { (c: PGConnection) throws(PGError) -> Double? in
                try c.query("SELECT extract(epoch FROM now() - max(ts))::float8 FROM collector.heartbeat WHERE host = $1",
                            [config.collector.hostname]).string(0, 0).flatMap(Double.init)
            }
            // No heartbeat yet (fresh start) is not stale.
            let stale = (age ?? 0) > limit
            let found = stale ? [FindingRecord(
                kind: .alert, severity: "critical", key: "stale_heartbeat", domain: "collector", metric: "stale_heartbeat",
                target: config.collector.hostname, title: "Collector heartbeat is stale",
                description: "The last heartbeat of \(config.collector.hostname) is \(Int(age ?? 0))s old (limit \(Int(limit))s).",
                action: "Check the collector's log and its database connection.", value: age, threshold: limit,
                zScore: nil, dedupWindowSecs: 3600)] : []
            try findings.complete(plugin: "host", analyzer: "watchdog", findings: found, lane: .fast)
            return .ok
        } catch {
            return .retry(error.description)
        }
    }
}

/// The daemon's own resource use, for the heartbeat row.
package enum SelfUsage {
    package static func residentBytes() -> Int64 {
        guard let f = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(f) }
        var size = 0, resident = 0
        guard withUnsafeMutablePointer(to: &size, { s in
            withUnsafeMutablePointer(to: &resident) { r in
                withVaList([s, r]) { vfscanf(f, "%ld %ld", $0) }
            }
        }) == 2 else { return 0 }
        return Int64(resident) * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }
}

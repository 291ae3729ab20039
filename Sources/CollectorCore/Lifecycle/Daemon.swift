#if canImport(Glibc)
import Glibc
#endif
import Logging

/// The running collector: connections, writer, plugins and the schedule, from
/// start to a clean stop on SIGTERM/SIGINT.
package final class Daemon {
    package private(set) var config: CollectorConfig
    private let logger = Logger(label: "daemon")

    package init(config: CollectorConfig) {
        self.config = config
    }

    package func run() -> Int32 {
        if !config.logs.timezone.isEmpty {
            setenv("TZ", config.logs.timezone, 1)
        }
        tzset()
        logger.info("\(CollectorVersion.line) starting on host \(config.collector.hostname) (config: \(config.sourcePath ?? "defaults"))")

        let stats = StatsRegistry()
        let fast = DatabaseLane(lane: .fast, config: config.database, statementTimeoutMs: 30_000)
        let slow = DatabaseLane(lane: .slow, config: config.database, statementTimeoutMs: 600_000)
        let gate = SchemaGate()
        let writer = BatchWriter(lane: fast, batchSize: config.collector.batchSize, flushIntervalMs: config.collector.flushIntervalMs,
                                 maxBytes: config.collector.bufferMaxBytes, stats: stats, gate: gate)
        let services = HostServices(config: config, stats: stats, writer: writer, lanes: [.fast: fast, .slow: slow])

        let report = PluginLoader(services: services).loadAll()
        let plugins = report.loaded
        logger.info("\(plugins.count) plugin(s) loaded, \(report.refused.count) refused")
        for key in report.unclaimedKeys(config) { logger.warning("config: unknown key '\(key)' ignored") }
        do throws(ConfigurationRefusal) {
            config = try report.settle(config)
        } catch {
            logger.critical("configuration refused: \(error)")
            report.shutDown()
            return 2
        }

        let storage = StorageJobs(config: config, fast: fast, slow: slow, stats: stats,
                                  migrations: Migrator.allMigrations(plugins: plugins), gate: gate,
                                  writer: writer)
        let scheduler = Scheduler(stats: stats, backoffCapSecs: config.intervals.backoffCapSecs)
        // Schema first, so the first ticks already write; if the database is down,
        // the maintenance job keeps trying and the writer holds rows meanwhile.
        switch storage.maintenance() {
        case .ok: break
        case .retry(let why): logger.warning("database not ready at start (\(why)); retrying every 10 s")
        case .fail(let why):
            // A changed applied migration: the schema is not what this binary expects.
            logger.critical("schema check failed: \(why)")
            return 1
        }
        writer.start()
        for job in storage.jobs() {
            scheduler.start(job, runImmediately: job.id == "host/heartbeat")
        }
        for plugin in plugins {
            for tick in plugin.ticks {
                scheduler.start(TickPlanner.job(for: tick, plugin: plugin, config: config))
            }
            for analyzer in plugin.analyzers {
                scheduler.start(TickPlanner.job(for: analyzer, plugin: plugin, config: config, sink: storage.findings))
            }
        }
        if config.logs.enabled {
            var parsers: [String: ParserRegistration] = [:]
            for plugin in plugins { for p in plugin.parsers { parsers[p.name] = p } }
            let ingester = LogIngester(config: config.logs, hostname: config.collector.hostname, parsers: parsers, lane: fast, stats: stats)
            logger.info("log ingestion: \(ingester.sourceNames.count) source(s): \(ingester.sourceNames.joined(separator: ", "))")
            scheduler.start(TickJob(id: "host/log", owner: "host", intervalNanos: UInt64(config.logs.tickSecs) * 1_000_000_000, lane: .fast) {
                gate.isOpen ? ingester.tick() : .ok
            }, runImmediately: true)
        }
        let statsFile = StatsSnapshotWriter(directory: config.collector.stateDir, stats: stats, writer: writer,
                                            textfile: config.collector.prometheusTextfile, host: config.collector.hostname)
        let statsTable = PluginStatsTable(hostname: config.collector.hostname, lane: fast, gate: gate)
        scheduler.start(TickJob(id: "host/stats", owner: "host", intervalNanos: UInt64(config.intervals.watchdogSecs) * 1_000_000_000, lane: .fast) {
            statsFile.write()
            do throws(PGError) {
                try statsTable.write(stats)
                return .ok
            } catch {
                return .retry(error.description)
            }
        })

        while true {
            let signal = SignalWaiter.wait()
            if signal == SIGHUP {
                logger.info("SIGHUP received; configuration reload needs a restart (systemctl restart)")
                continue
            }
            logger.info("signal \(signal) received; stopping")
            break
        }
        // Stop producers first, then flush what they produced, then let plugins go.
        scheduler.stop()
        writer.stop()
        plugins.shutDown()
        statsFile.write()
        let left = writer.bufferedRows
        if left > 0 { logger.warning("\(left) buffered row(s) could not be written before exit") }
        logger.info("stopped")
        return 0
    }
}

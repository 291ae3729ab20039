#if canImport(Glibc)
import Glibc
#endif

/// The runners of isolated plugins, filled while plugins load.
private final class RunnerRegistry: @unchecked Sendable {
    var clients: [String: RunnerClient] = [:]
}

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
        // Rows the database cannot take (a long outage, a stop while it is down) wait on disk.
        let spool = config.collector.spoolMaxBytes > 0
            ? Spool(stateDir: config.collector.stateDir, hostname: config.collector.hostname, maxBytes: config.collector.spoolMaxBytes, stats: stats)
            : nil
        let writer = BatchWriter(lane: fast, batchSize: config.collector.batchSize, flushIntervalMs: config.collector.flushIntervalMs,
                                 maxBytes: config.collector.bufferMaxBytes, stats: stats, gate: gate, spool: spool)
        let services = HostServices(config: config, stats: stats, writer: writer, lanes: [.fast: fast, .slow: slow])

        // Crash-loop protection: a plugin that crashed the daemon on its last two
        // starts runs isolated from now on.
        let crashGuard = CrashGuard(stateDir: config.collector.stateDir)
        if let crashed = crashGuard.lastCrash {
            logger.error("the previous run died of a fatal signal inside plugin \(crashed) (\(crashGuard.counts[crashed] ?? 0) start(s) in a row)")
        }
        crashGuard.arm()
        // Which plugins run in a runner ([plugin.<name>] isolate, [plugins] isolate_all):
        // their init() runs there, and the daemon builds their runtime from the
        // runner's manifest. Bad isolation keys refuse the configuration (settle).
        let registry = RunnerRegistry()
        let loadConfig = config
        let lanes: [Lane: DatabaseLane] = [.fast: fast, .slow: slow]
        let logger = self.logger
        let report = PluginLoader(services: services) { (plugin: PluginRuntime) throws(PluginRefusal) -> Bool in
            var settings: IsolationSettings
            do throws(ConfigError) {
                settings = try IsolationSettings.resolve(plugin: plugin.name, section: plugin.configSection,
                                                         isolateAll: loadConfig.plugins.isolateAll)
            } catch {
                throw PluginRefusal(path: plugin.path, reason: error.description, isConfiguration: true)
            }
            if crashGuard.crashLooping.contains(plugin.name) {
                logger.error("plugin \(plugin.name) crashed the daemon on its last \(crashGuard.counts[plugin.name] ?? 0) starts; starting it isolated (delete \(crashGuard.statePath) to run it in process again)")
                settings.isolate = true
            }
            guard settings.isolate else { return false }
            let client = RunnerClient(plugin: plugin, settings: settings, configPath: loadConfig.sourcePath, stats: stats, lanes: lanes)
            do throws(RunnerFailure) {
                try client.start()
            } catch {
                throw PluginRefusal(path: plugin.path, reason: error.refusal ?? error.message, isConfiguration: error.isConfiguration)
            }
            registry.clients[plugin.name] = client
            logger.info("plugin \(plugin.name) is isolated: its init(), ticks, analyzers and parsers run in a plugin runner")
            return true
        }.loadAll()
        let plugins = report.loaded
        logger.info("\(plugins.count) plugin(s) loaded, \(report.refused.count) refused")
        for warning in report.configWarnings(config) { logger.warning("\(warning)") }
        do throws(ConfigurationRefusal) {
            config = try report.settle(config)
        } catch {
            logger.critical("configuration refused: \(error)")
            for client in registry.clients.values { client.stop() }
            report.shutDown()
            return 2
        }

        let runners = registry.clients

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
        if storage.schemaReady {
            do throws(PGError) {
                try storage.findings.complete(plugin: "host", analyzer: "crash_guard", findings: crashGuard.findings(hostname: config.collector.hostname),
                                              lane: .fast)
            } catch {
                logger.warning("could not store crash-loop alerts: \(error)")
            }
        }
        writer.start()
        for job in storage.jobs() {
            scheduler.start(job, runImmediately: job.id == "host/heartbeat")
        }
        for plugin in plugins {
            if let client = runners[plugin.name] {
                for (i, tick) in plugin.ticks.enumerated() {
                    scheduler.start(TickPlanner.isolatedJob(for: tick, index: i, plugin: plugin, client: client, config: config))
                }
                for (i, analyzer) in plugin.analyzers.enumerated() {
                    scheduler.start(TickPlanner.isolatedJob(for: analyzer, index: i, plugin: plugin, client: client, config: config,
                                                            sink: storage.findings))
                }
                continue
            }
            for tick in plugin.ticks {
                scheduler.start(TickPlanner.job(for: tick, plugin: plugin, config: config))
            }
            for analyzer in plugin.analyzers {
                scheduler.start(TickPlanner.job(for: analyzer, plugin: plugin, config: config, sink: storage.findings))
            }
        }
        var ingesters: [LogIngester] = []
        if config.logs.enabled {
            var parsers: [String: ParserRegistration] = [:]
            var parserOwners: [String: String] = [:]
            var parserRunners: [String: RunnerClient] = [:]
            for plugin in plugins {
                for p in plugin.parsers {
                    parsers[p.name] = p
                    parserOwners[p.name] = plugin.name
                    parserRunners[p.name] = runners[plugin.name]
                }
            }
            // One log tick (thread) per plugin whose parsers the sources use: a parser
            // stuck in one plugin stalls that plugin's sources only, and the bundled
            // parsers (one plugin) keep a single thread for all their sources.
            var groups: [(owner: String, sources: [LogSourceConfig])] = []
            for source in config.logs.sources where source.enabled {
                let owner = parserOwners[source.parser] ?? "host"
                if let i = groups.firstIndex(where: { $0.owner == owner }) {
                    groups[i].sources.append(source)
                } else {
                    groups.append((owner, [source]))
                }
            }
            for group in groups {
                var only = config.logs
                only.sources = group.sources
                let ingester = LogIngester(config: only, hostname: config.collector.hostname, parsers: parsers, lane: fast, stats: stats,
                                           runners: parserRunners)
                guard !ingester.sourceNames.isEmpty else { continue }
                ingesters.append(ingester)
                scheduler.start(TickJob(id: "host/log:\(group.owner)", owner: group.owner,
                                        intervalNanos: UInt64(config.logs.tickSecs) * 1_000_000_000, lane: .fast) {
                    gate.isOpen ? ingester.tick() : .ok
                }, runImmediately: true)
            }
            logger.info("log ingestion: \(ingesters.count) source(s): \(ingesters.flatMap(\.sourceNames).joined(separator: ", "))")
        }
        let watch = StuckTickWatch(stats: stats, hostname: config.collector.hostname,
                                   factor: config.collector.tickStuckFactor, minimumSecs: config.collector.tickStuckMinSecs)
        let statsFile = StatsSnapshotWriter(directory: config.collector.stateDir, stats: stats, writer: writer,
                                            textfile: config.collector.prometheusTextfile, host: config.collector.hostname)
        let statsTable = PluginStatsTable(hostname: config.collector.hostname, lane: fast, gate: gate)
        // Stats and the stuck-tick check share one thread (each thread costs resident memory).
        scheduler.start(TickJob(id: "host/stats", owner: "host", intervalNanos: UInt64(config.intervals.watchdogSecs) * 1_000_000_000, lane: .fast) {
            statsFile.write()
            let watched = gate.isOpen ? watch.check(sink: storage.findings) : .ok
            do throws(PGError) {
                try statsTable.write(stats)
                return watched
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
        // A tick stuck in plugin code is not waited for past the shutdown budget:
        // its thread is abandoned, what its source parsed is flushed, and its
        // plugin's shutdown() is not called (its code is still running).
        let budget = UInt64(config.collector.shutdownTimeoutSecs) * 1_000_000_000
        let started = MonotonicClock.nowNanos()
        // Three quarters for ticks to finish, the rest for flushing.
        let stuck = scheduler.stop(untilNanos: started + budget - budget / 4)
        for job in stuck {
            logger.error("tick \(job.id) (plugin \(job.owner)) did not stop within the shutdown timeout; abandoned")
        }
        if !stuck.isEmpty {
            for ingester in ingesters {
                for (source, rows) in ingester.flushAbandoned() {
                    logger.warning("log source \(source): parser stuck at shutdown; committed the \(rows) row(s) parsed before it")
                }
            }
        }
        writer.stop()
        for client in runners.values { client.stop() }
        // Isolated plugins were never started here beyond init(): their shutdown()
        // is theirs to run, and the runner is gone. Stuck ones are still running code.
        let stuckOwners = Set(stuck.map(\.owner))
        plugins.filter { !stuckOwners.contains($0.name) && runners[$0.name] == nil }.shutDown()
        statsFile.write()
        let left = writer.bufferedRows
        if left > 0 { logger.warning("\(left) buffered row(s) could not be written before exit") }
        logger.info("stopped")
        return 0
    }
}

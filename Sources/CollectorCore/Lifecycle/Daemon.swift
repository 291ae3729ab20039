#if canImport(Glibc)
import Glibc
#endif

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
        let isolating = PluginLoader.isolatingInit(config: loadConfig, stats: stats, lanes: lanes, registry: registry, logger: logger) { plugin in
            guard crashGuard.crashLooping.contains(plugin.name) else { return false }
            logger.error("plugin \(plugin.name) crashed the daemon on its last \(crashGuard.counts[plugin.name] ?? 0) starts; starting it isolated (delete \(crashGuard.statePath) to run it in process again)")
            return true
        }
        let report = PluginLoader(services: services, remoteInit: isolating).loadAll()
        var plugins = report.loaded
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
                                  writer: writer, plugins: plugins)
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
        for job in Self.pluginJobs(plugins, runners: runners, config: config, sink: storage.findings) { scheduler.start(job) }
        var ingesters: [LogIngester] = []
        func startLogIngestion() {
            guard config.logs.enabled else { return }
            for (ingester, job) in Self.logIngestion(config: config, plugins: plugins, runners: registry.clients, lane: fast, stats: stats, gate: gate) {
                ingesters.append(ingester)
                scheduler.start(job, runImmediately: true)
            }
            logger.info("log ingestion: \(ingesters.count) source(s): \(ingesters.flatMap(\.sourceNames).joined(separator: ", "))")
        }
        startLogIngestion()
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

        // Plugin files at start, to tell a replaced one (never unloaded: a restart) on reload.
        var loadedFiles = Dictionary(plugins.map { ($0.path, PluginFileStamp.of($0.path)) }, uniquingKeysWith: { a, _ in a })

        /// Checks the plugins' row targets against their tables again (reload):
        /// a table fixed since takes rows again, one changed under a plugin is
        /// refused at emit. Before the schema is in place the first check is
        /// still to come, with the migrations.
        func checkTables(_ list: [PluginRuntime]) {
            guard storage.schemaReady else { return }
            do throws(PGError) {
                _ = try slow.withConnection { (c: PGConnection) throws(PGError) in
                    TableCheck.apply(to: list, on: c, logger: logger)
                }
            } catch {
                logger.warning("reload: cannot check the plugins' tables: \(error)")
            }
        }

        /// SIGHUP: re-reads the configuration and loads plugin files new in the
        /// plugins directory; a configuration that fails validation is rejected
        /// whole. Each change is one log line, applied or needing a restart.
        func reload() {
            let environment = ProcessEnvironment.variables()
            let path = ConfigLoader.path(explicit: config.sourcePath, environment: environment)
            var fresh: CollectorConfig
            do throws(ConfigError) {
                fresh = try ConfigLoader.load(path: path, explicitlyNamed: config.sourcePath != nil, environment: environment).config
            } catch {
                logger.error("reload rejected, the running configuration is kept: \(error)")
                return
            }
            let newServices = HostServices(config: fresh, stats: stats, writer: writer, lanes: lanes)
            let isolating = PluginLoader.isolatingInit(config: fresh, stats: stats, lanes: lanes, registry: registry, logger: logger) { plugin in
                crashGuard.crashLooping.contains(plugin.name)
            }
            let added = PluginLoader(services: newServices, remoteInit: isolating).loadAll(existing: plugins)
            var all = PluginLoader.Report()
            all.loaded = plugins + added.loaded
            all.refused = added.refused
            do {
                fresh = try all.settle(fresh)
                try all.checkParsers(fresh)
            } catch {
                logger.error("reload rejected, the running configuration is kept: \(error)")
                for plugin in added.loaded {
                    registry.clients.removeValue(forKey: plugin.name)?.stop()
                }
                added.loaded.filter(\.initializedHere).shutDown()
                return
            }
            var changes = ConfigChanges.between(config, fresh, loadedNow: Set(added.loaded.map(\.name)))
            for plugin in added.loaded {
                changes.append(ConfigChange(what: "plugin \(plugin.name) \(plugin.version) loaded from \(plugin.path)", live: true))
            }
            for plugin in plugins where loadedFiles[plugin.path] != PluginFileStamp.of(plugin.path) {
                changes.append(ConfigChange(what: "plugin file \(plugin.path) changed since \(plugin.name) was loaded (plugins are never unloaded)", live: false))
            }
            if changes.isEmpty {
                logger.info("reload: no changes")
                checkTables(plugins)
                return
            }
            for change in changes { logger.notice("reload: \(change)") }

            if let level = LoggingSetup.level(from: environment["LOG_LEVEL"] ?? environment["RUST_LOG"] ?? fresh.collector.logLevel) {
                LoggingSetup.setLevel(level)
            }
            if !added.loaded.isEmpty {
                // Their tables first: the core and applied migrations are skipped.
                do throws(PGError) {
                    _ = try slow.withConnection { (c: PGConnection) throws(PGError) -> [String] in
                        try Migrator(connection: c).apply(Migrator.allMigrations(plugins: plugins + added.loaded))
                    }
                } catch {
                    logger.error("reload: migrations of the new plugin(s) failed: \(error); their ticks may fail to write")
                }
                for plugin in added.loaded { loadedFiles[plugin.path] = PluginFileStamp.of(plugin.path) }
            }
            checkTables(plugins + added.loaded)
            let previous = config
            config.logs = fresh.logs
            config.intervals = fresh.intervals
            config.collector.logLevel = fresh.collector.logLevel
            // What was applied is what the next reload compares against; what needs
            // a restart stays as started, so it is said again until then.
            for key in ["logs", "intervals", "collector.log_level"] + added.loaded.map({ "plugin.\($0.name)" }) {
                if let node = fresh.resolvedTree.node(at: key) { config.resolvedTree.set(node, at: key) }
            }
            // Ticks whose interval changed start again on the new grid; new plugins' ticks start.
            var wanted = storage.jobs(intervals: config.intervals)
            wanted += Self.pluginJobs(plugins + added.loaded, runners: registry.clients, config: config, sink: storage.findings)
            let running = scheduler.running
            let restart = wanted.filter { running[$0.id].map { $0.intervalNanos } != $0.intervalNanos }
            let ids = Set(restart.map(\.id))
            let deadline = MonotonicClock.nowNanos() + 10_000_000_000
            for job in scheduler.stop(where: { ids.contains($0.id) }, untilNanos: deadline) {
                logger.error("reload: tick \(job.id) did not stop within 10 s; abandoned, started again")
            }
            for job in restart { scheduler.start(job) }
            plugins += added.loaded
            // Log ingestion starts again from the committed positions.
            if previous.logs != config.logs || added.loaded.contains(where: { !$0.parsers.isEmpty }) {
                for job in scheduler.stop(where: { $0.id.hasPrefix("host/log:") }, untilNanos: deadline) {
                    logger.error("reload: log tick \(job.id) did not stop within 10 s; abandoned")
                }
                ingesters.removeAll()
                startLogIngestion()
            }
        }

        while true {
            let signal = SignalWaiter.wait()
            if signal == SIGHUP {
                logger.info("SIGHUP received; reloading \(config.sourcePath ?? "the configuration")")
                reload()
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
        registry.stopAll()
        // Isolated plugins were never started here beyond init(): their shutdown()
        // is theirs to run, and the runner is gone. Stuck ones are still running code.
        let stuckOwners = Set(stuck.map(\.owner))
        plugins.filter { !stuckOwners.contains($0.name) && registry.clients[$0.name] == nil }.shutDown()
        statsFile.write()
        let left = writer.bufferedRows
        if left > 0 { logger.warning("\(left) buffered row(s) could not be written before exit") }
        logger.info("stopped")
        return 0
    }

    /// Every tick and analyzer job of `plugins` under `config` (in process or in their runner).
    private static func pluginJobs(_ plugins: [PluginRuntime], runners: [String: RunnerClient], config: CollectorConfig,
                                   sink: FindingSink) -> [TickJob] {
        var jobs: [TickJob] = []
        for plugin in plugins {
            if let client = runners[plugin.name] {
                for (i, tick) in plugin.ticks.enumerated() {
                    jobs.append(TickPlanner.isolatedJob(for: tick, index: i, plugin: plugin, client: client, config: config))
                }
                for (i, analyzer) in plugin.analyzers.enumerated() {
                    jobs.append(TickPlanner.isolatedJob(for: analyzer, index: i, plugin: plugin, client: client, config: config, sink: sink))
                }
                continue
            }
            jobs += plugin.ticks.map { TickPlanner.job(for: $0, plugin: plugin, config: config) }
            jobs += plugin.analyzers.map { TickPlanner.job(for: $0, plugin: plugin, config: config, sink: sink) }
        }
        return jobs
    }

    /// The log ingesters of `config.logs` and their jobs (ids `host/log:<owner>`).
    private static func logIngestion(config: CollectorConfig, plugins: [PluginRuntime], runners: [String: RunnerClient],
                                     lane: DatabaseLane, stats: StatsRegistry, gate: SchemaGate) -> [(LogIngester, TickJob)] {
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
        var out: [(LogIngester, TickJob)] = []
        for group in groups {
            var only = config.logs
            only.sources = group.sources
            let ingester = LogIngester(config: only, hostname: config.collector.hostname, parsers: parsers, lane: lane, stats: stats,
                                       runners: parserRunners)
            guard !ingester.sourceNames.isEmpty else { continue }
            out.append((ingester, TickJob(id: "host/log:\(group.owner)", owner: group.owner,
                                          intervalNanos: UInt64(config.logs.tickSecs) * 1_000_000_000, lane: .fast) {
                gate.isOpen ? ingester.tick() : .ok
            }))
        }
        return out
    }
}

/// A plugin file's identity (device, inode, size, modification time): a
/// reload tells a replaced `.so` from the one loaded.
package struct PluginFileStamp: Equatable {
    let device: UInt64, inode: UInt64, size: Int64, modified: Int64

    package static func of(_ path: String) -> PluginFileStamp? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return PluginFileStamp(device: UInt64(st.st_dev), inode: UInt64(st.st_ino), size: Int64(st.st_size),
                               modified: Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))
    }
}

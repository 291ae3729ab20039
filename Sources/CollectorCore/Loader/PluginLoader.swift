#if canImport(Glibc)
import Glibc
#endif
import PluginABI

/// Loads the configured plugins: every `.so` in `plugins.dir` (or the explicit
/// `plugins.files`), each checked, opened, validated and initialised. A bad
/// plugin is refused with one log line and the others load regardless.
/// A configuration the loaded plugins refuse (see `PluginLoader.Report.settle`); the message names the key.
package struct ConfigurationRefusal: Error, CustomStringConvertible {
    package let description: String
}

extension [PluginRuntime] {
    /// Calls each plugin's shutdown(), in reverse load order.
    package func shutDown() {
        // An isolated plugin was initialised in its runner, which shuts it down.
        for plugin in reversed() where plugin.initializedHere { plugin.callShutdown() }
    }
}

package struct PluginLoader {
    package struct Report {
        package var loaded: [PluginRuntime] = []
        package var refused: [PluginRefusal] = []
        /// Plugins left out by `plugins.enabled` / `plugins.disabled`.
        package var skipped: [(path: String, name: String)] = []

        /// A plugin refused a value of its configuration (init() returned PQC_EINVAL):
        /// the operator must fix the file, so commands exit 2 on it.
        package var configurationErrors: [PluginRefusal] { refused.filter(\.isConfiguration) }

        /// The file's keys neither the host nor a loaded plugin read.
        package func unclaimedKeys(_ config: CollectorConfig) -> [String] {
            let read = loaded.reduce(into: Set<String>()) { $0.formUnion($1.globalReads) }
            return config.unknownKeys.filter { key in
                !read.contains { key == $0 || key.hasPrefix($0 + ".") || $0.hasPrefix(key + ".") }
            }
        }

        /// What the operator should hear about keys the configuration sets for
        /// nothing: keys neither the host nor a loaded plugin read, and
        /// `[plugin.<name>]` sections for plugins that are not loaded (a typo,
        /// a plugin left out of `plugins.files`, disabled or refused).
        package func configWarnings(_ config: CollectorConfig) -> [String] {
            let names = Set(loaded.map(\.name))
            let sections = config.pluginSections.keys.filter { !names.contains($0) }.sorted().map { name in
                "config: section [plugin.\(name)] ignored: no plugin named '\(name)' is loaded (loaded: \(names.sorted().joined(separator: ", ")))"
            }
            return unclaimedKeys(config).map { "config: unknown key '\($0)' ignored" } + sections
        }

        /// The default log sources the loaded plugins proposed, in load order.
        package var defaultSources: [LogSourceConfig] { loaded.flatMap(\.sources) }

        /// The effective log sources of `logs`: those defaults changed and
        /// extended by the `[[logs.sources]]` entries.
        package func logSources(_ logs: LogsConfig) throws(ConfigError) -> [LogSourceConfig] {
            try LogSourceEntry.resolve(defaults: defaultSources, entries: logs.sourceEntries, useDefaults: logs.defaultSources)
        }

        /// What the loaded plugins settle in `config`, for the commands that
        /// run with them (`run`, `check-config`): a bad value of a plugin's own
        /// keys refuses the configuration, and the log sources resolve against
        /// the plugins' defaults. Either refusal means exit status 2.
        package func settle(_ config: CollectorConfig) throws(ConfigurationRefusal) -> CollectorConfig {
            if let bad = configurationErrors.first { throw ConfigurationRefusal(description: bad.reason) }
            var settled = config
            do throws(ConfigError) {
                settled.logs.sources = try logSources(config.logs)
                // The isolation keys of every plugin's section ([plugin.<name>] isolate, deadlines).
                for plugin in loaded {
                    _ = try IsolationSettings.resolve(plugin: plugin.name, section: plugin.configSection, isolateAll: config.plugins.isolateAll)
                }
            } catch {
                throw ConfigurationRefusal(description: error.description)
            }
            return settled
        }

        /// Refuses a configuration with an enabled log source whose parser no
        /// loaded plugin provides (the daemon could only disable it), naming
        /// the source's key. `check-config` and a reload both check this.
        package func checkParsers(_ config: CollectorConfig) throws(ConfigError) {
            let parsers = Set(loaded.flatMap { $0.parsers.map(\.name) })
            guard config.logs.enabled, let orphan = config.logs.sources.first(where: { $0.enabled && !parsers.contains($0.parser) }) else { return }
            let key = config.logs.sourceEntries.first { $0.name == orphan.name }.map { "logs.sources[\($0.index)].parser" } ?? "logs.sources"
            throw ConfigError(key: key, message: "source '\(orphan.name)' uses parser '\(orphan.parser)', which no loaded plugin provides (loaded: \(parsers.sorted().joined(separator: ", ")))")
        }

        /// Calls the loaded plugins' shutdown(), in reverse load order.
        package func shutDown() { loaded.shutDown() }
    }

    package let services: HostServices
    /// The API table plugins get: the host's, or the plugin runner's (which
    /// forwards SQL to the daemon).
    package let api: UnsafePointer<pqc_host_api>

    /// The daemon's hook for isolated plugins: given a plugin's name and its
    /// fresh runtime, either initialises it in a plugin runner (filling the
    /// runtime from the runner's manifest) and returns true, or returns false
    /// for an in-process init(). Commands without it initialise in process.
    package typealias RemoteInit = (PluginRuntime) throws(PluginRefusal) -> Bool
    package let remoteInit: RemoteInit?

    package init(services: HostServices, api: UnsafePointer<pqc_host_api> = UnsafePointer(HostAPI.table), remoteInit: RemoteInit? = nil) {
        self.services = services
        self.api = api
        self.remoteInit = remoteInit
    }
    package let logger = Logger(label: "loader")

    /// The plugin files to try, in a stable order.
    package static func candidates(_ config: PluginsConfig, logger: Logger) -> [String] {
        if !config.files.isEmpty { return config.files }
        guard let dir = opendir(config.dir) else {
            logger.warning("plugin directory \(config.dir) cannot be read: \(String(cString: strerror(errno))); no plugins loaded")
            return []
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(".so") && !name.hasPrefix(".") { names.append(name) }
        }
        let base = config.dir.hasSuffix("/") ? config.dir : config.dir + "/"
        return names.sorted().map { base + $0 }
    }

    /// Loads every candidate file; `existing` (a reload) are plugins already
    /// loaded: their files are skipped and their names and parsers taken, and
    /// the report holds only the new ones.
    package func loadAll(existing: [PluginRuntime] = []) -> Report {
        var report = Report()
        let config = services.config.plugins
        let loadedPaths = Set(existing.map(\.path))
        for path in Self.candidates(config, logger: logger) where !loadedPaths.contains(path) {
            do throws(PluginRefusal) {
                if let problem = PluginFileCheck.problem(path: path) {
                    throw PluginRefusal(path: path, reason: problem)
                }
                let opened = try DescriptorCheck.open(path)
                if (!config.enabled.isEmpty && !config.enabled.contains(opened.name)) || config.disabled.contains(opened.name) {
                    logger.info("plugin \(opened.name) (\(path)) is disabled by [plugins]; not loaded")
                    report.skipped.append((path, opened.name))
                    continue
                }
                if let other = (existing + report.loaded).first(where: { $0.name == opened.name }) {
                    throw PluginRefusal(path: path, reason: "duplicate plugin name '\(opened.name)' (already loaded from \(other.path))")
                }
                let plugin = try initialise(opened, path: path, alreadyLoaded: existing + report.loaded)
                report.loaded.append(plugin)
                logger.info("loaded plugin \(plugin.name) \(plugin.version) from \(path): \(plugin.ticks.count) tick(s), \(plugin.parsers.count) parser(s), \(plugin.analyzers.count) analyzer(s)")
            } catch {
                logger.error("\(error)")
                report.refused.append(error)
            }
        }
        return report
    }

    /// Runs init(), then refuses the plugin if it failed or registered something invalid.
    private func initialise(_ opened: DescriptorCheck.Opened, path: String, alreadyLoaded: [PluginRuntime]) throws(PluginRefusal) -> PluginRuntime {
        let plugin = PluginRuntime(path: path, descriptor: opened.descriptor, name: opened.name, services: services)
        // The runtime must outlive every callback: plugins are never unloaded.
        _ = Unmanaged.passRetained(plugin)
        let status: pqc_status
        if let remoteInit, try remoteInit(plugin) {
            plugin.initializedHere = false
            status = PQC_OK
        } else {
            plugin.initializing = true
            status = opened.descriptor.pointee.`init`!(api, plugin.handle)
            plugin.initializing = false
        }
        var reason: String?
        if status == PQC_EINVAL {
            // init() refuses a bad value of the plugin's own configuration.
            throw PluginRefusal(path: path, reason: plugin.initError ?? "invalid configuration", isConfiguration: true)
        } else if status != PQC_OK {
            reason = "init() returned \(status.name)" + (plugin.initError.map { ": \($0)" } ?? "")
        } else if let error = plugin.registrationError {
            reason = "invalid registration: \(error)"
        } else if let clash = plugin.parsers.first(where: { p in alreadyLoaded.contains { $0.parsers.contains { $0.name == p.name } } }) {
            reason = "duplicate parser name '\(clash.name)' (already registered by another plugin)"
        } else if let clash = plugin.sources.first(where: { s in alreadyLoaded.contains { $0.sources.contains { $0.name == s.name } } }) {
            reason = "duplicate source name '\(clash.name)' (already proposed by another plugin)"
        }
        if let reason {
            // A plugin whose init succeeded may hold resources: let it release them.
            if status == PQC_OK && plugin.initializedHere { plugin.callShutdown() }
            throw PluginRefusal(path: path, reason: reason)
        }
        return plugin
    }
}

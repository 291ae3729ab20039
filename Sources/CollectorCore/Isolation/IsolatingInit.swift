
/// The runners of isolated plugins, filled while plugins load.
package final class RunnerRegistry: @unchecked Sendable {
    package var clients: [String: RunnerClient] = [:]

    package init() {}

    package func stopAll() { for client in clients.values { client.stop() } }
}

extension PluginLoader {
    /// The loader's hook that starts a plugin runner for each plugin that runs
    /// isolated (`[plugin.<name>] isolate`, `[plugins] isolate_all`, or `force`
    /// saying so: the daemon's crash-loop guard) and records its client in
    /// `registry`. The daemon and `parse` load plugins through it, so a parser
    /// tried offline runs where it will run in production.
    package static func isolatingInit(config: CollectorConfig, stats: StatsRegistry, lanes: [Lane: DatabaseLane],
                                      registry: RunnerRegistry, logger: Logger,
                                      force: @escaping (PluginRuntime) -> Bool = { _ in false }) -> RemoteInit {
        { (plugin: PluginRuntime) throws(PluginRefusal) -> Bool in
            var settings: IsolationSettings
            do throws(ConfigError) {
                settings = try IsolationSettings.resolve(plugin: plugin.name, section: plugin.configSection,
                                                         isolateAll: config.plugins.isolateAll)
            } catch {
                throw PluginRefusal(path: plugin.path, reason: error.description, isConfiguration: true)
            }
            if force(plugin) { settings.isolate = true }
            guard settings.isolate else { return false }
            let client = RunnerClient(plugin: plugin, settings: settings, configPath: config.sourcePath, stats: stats, lanes: lanes)
            do throws(RunnerFailure) {
                try client.start()
            } catch {
                throw PluginRefusal(path: plugin.path, reason: error.refusal ?? error.message, isConfiguration: error.isConfiguration)
            }
            registry.clients[plugin.name] = client
            logger.info("plugin \(plugin.name) is isolated: its init(), ticks, analyzers and parsers run in a plugin runner")
            return true
        }
    }
}

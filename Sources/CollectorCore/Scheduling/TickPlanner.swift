import CHostSupport
import PluginABI

/// Turns registrations into scheduler jobs: intervals from config, lanes, and
/// the thread context host calls read.
package enum TickPlanner {
    /// A plugin tick's interval: `[plugin.<name>.intervals] <tick>`, then
    /// `[plugin.<name>] interval_secs`, then its group's interval, then its default.
    package static func intervalSecs(_ tick: TickRegistration, plugin: PluginRuntime, config: CollectorConfig) -> Double {
        if let node = plugin.configSection.node(at: "intervals.\(tick.name)"), let secs = seconds(node) { return secs }
        if let node = plugin.configSection.node(at: "interval_secs"), let secs = seconds(node) { return secs }
        if let group = tick.group { return Double(group.intervalSecs(config)) }
        return Double(tick.defaultIntervalMs) / 1000
    }

    /// The configuration refused bad values at load (`ConfigChecks.checkPluginIntervals`).
    private static func seconds(_ node: ConfigNode) -> Double? {
        try? ConfigChecks.intervalSecs(node, key: "")
    }

    package static func job(for tick: TickRegistration, plugin: PluginRuntime, config: CollectorConfig) -> TickJob {
        let secs = intervalSecs(tick, plugin: plugin, config: config)
        let lane = tick.lane
        let run = tick.run
        nonisolated(unsafe) let user = tick.userData
        nonisolated(unsafe) let owner = plugin.cName
        return TickJob(id: "\(plugin.name)/\(tick.name)", owner: plugin.name, intervalNanos: UInt64(secs * 1e9), lane: lane) {
            let context = CallContext.current
            context.lane = lane
            CrashAttribution.enter(owner)
            defer { CrashAttribution.leave() }
            return outcome(run(user), context: context)
        }
    }

    package static func job(for analyzer: AnalyzerRegistration, plugin: PluginRuntime, config: CollectorConfig, sink: FindingSink?) -> TickJob {
        let lane = analyzer.group.lane
        let run = analyzer.run
        nonisolated(unsafe) let user = analyzer.userData
        let pluginName = plugin.name, name = analyzer.name
        nonisolated(unsafe) let owner = plugin.cName
        let interval = UInt64(analyzer.group.intervalSecs(config)) * 1_000_000_000
        return TickJob(id: "\(pluginName)/\(name)", owner: pluginName, intervalNanos: interval, lane: lane) {
            let context = CallContext.current
            context.lane = lane
            context.analyzer = (pluginName, name)
            context.findings = []
            defer { context.analyzer = nil; context.findings = [] }
            CrashAttribution.enter(owner)
            let status = run(user)
            CrashAttribution.leave()
            let result = outcome(status, context: context)
            // An analyzer run reads thousands of rows every few minutes (libpq's
            // result, the plugin's arrays); freed, they leave holes in the heap
            // that glibc keeps mapped. Returning them costs well under a
            // millisecond a run and keeps the daemon's RSS at its idle size.
            _ = malloc_trim(0)
            // Only a completed run may resolve findings it no longer reports.
            guard result == .ok, let sink else { return result }
            do {
                try sink.complete(plugin: pluginName, analyzer: name, findings: context.findings, lane: lane)
                return .ok
            } catch {
                return .retry("storing findings: \(error)")
            }
        }
    }

    /// A tick of an isolated plugin: run in its runner, within the tick deadline
    /// (`[plugin.<name>] tick_timeout_ms`, default 3 × the interval, at least 10 s).
    package static func isolatedJob(for tick: TickRegistration, index: Int, plugin: PluginRuntime, client: RunnerClient,
                                    config: CollectorConfig) -> TickJob {
        let secs = intervalSecs(tick, plugin: plugin, config: config)
        let lane = tick.lane, name = tick.name
        let timeout = client.settings.tickTimeoutMs ?? max(Int(secs * 3000), 10_000)
        return TickJob(id: "\(plugin.name)/\(tick.name)", owner: plugin.name, intervalNanos: UInt64(secs * 1e9), lane: lane) {
            do throws(RunnerFailure) {
                let ran = try client.run(analyzer: false, index: index, name: name, lane: lane, timeoutMs: timeout)
                return remoteOutcome(ran.status, ran.error)
            } catch {
                return .retry(error.message)
            }
        }
    }

    /// An analyzer of an isolated plugin: run in its runner; its findings come back with the reply.
    package static func isolatedJob(for analyzer: AnalyzerRegistration, index: Int, plugin: PluginRuntime, client: RunnerClient,
                                    config: CollectorConfig, sink: FindingSink?) -> TickJob {
        let lane = analyzer.group.lane, name = analyzer.name, pluginName = plugin.name
        let secs = analyzer.group.intervalSecs(config)
        let timeout = client.settings.tickTimeoutMs ?? max(secs * 3000, 10_000)
        return TickJob(id: "\(pluginName)/\(name)", owner: pluginName, intervalNanos: UInt64(secs) * 1_000_000_000, lane: lane) {
            do throws(RunnerFailure) {
                let ran = try client.run(analyzer: true, index: index, name: name, lane: lane, timeoutMs: timeout)
                let result = remoteOutcome(ran.status, ran.error)
                guard result == .ok, let sink else { return result }
                do {
                    try sink.complete(plugin: pluginName, analyzer: name, findings: ran.findings, lane: lane)
                    return .ok
                } catch {
                    return .retry("storing findings: \(error)")
                }
            } catch {
                return .retry(error.message)
            }
        }
    }

    private static func remoteOutcome(_ status: pqc_status, _ error: String) -> TickOutcome {
        switch status {
        case PQC_OK: return .ok
        case PQC_RETRY: return .retry(error.isEmpty ? "returned PQC_RETRY" : "returned PQC_RETRY: \(error)")
        default: return .fail(error.isEmpty ? "returned \(status.name)" : "returned \(status.name): \(error)")
        }
    }

    private static func outcome(_ status: pqc_status, context: CallContext) -> TickOutcome {
        switch status {
        case PQC_OK: return .ok
        case PQC_RETRY: return .retry(lastError(context, "returned PQC_RETRY"))
        default: return .fail(lastError(context, "returned \(status.name)"))
        }
    }

    private static func lastError(_ context: CallContext, _ fallback: String) -> String {
        let text = context.lastError.map { String(cString: $0) } ?? ""
        return text.isEmpty ? fallback : "\(fallback): \(text)"
    }
}

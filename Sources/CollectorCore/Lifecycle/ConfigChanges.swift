/// What a reload (SIGHUP) changes, one entry per changed key or log source,
/// each saying whether the running daemon applies it or needs a restart.
package struct ConfigChange: Sendable, Equatable, CustomStringConvertible {
    package let what: String
    package let live: Bool

    package var description: String {
        live ? "\(what): applied" : "\(what): needs a restart (systemctl restart pqcrypta-collector)"
    }
}

package enum ConfigChanges {
    /// Keys a reload applies: the log level, the tick intervals (the ticks start
    /// again on the new grid), and everything of `[logs]` (log ingestion starts
    /// again from the committed positions, so nothing is read twice or lost).
    /// Everything else (the database, `[plugins]`, `[plugin.<name>]` sections
    /// that plugins read in init(), retention, the writer's sizes) is read once
    /// at start.
    /// A plugin loaded by this reload (`loadedNow`) read its section in init():
    /// that section applies too.
    package static func isLive(_ key: String, loadedNow: Set<String> = []) -> Bool {
        if key == "collector.log_level" || key.hasPrefix("intervals.") || key.hasPrefix("logs.") { return true }
        let parts = key.split(separator: ".", maxSplits: 2)
        return parts.count >= 2 && parts[0] == "plugin" && loadedNow.contains(String(parts[1]))
    }

    /// The changes from `old` to `new` (both settled: their log sources resolved).
    package static func between(_ old: CollectorConfig, _ new: CollectorConfig, loadedNow: Set<String> = []) -> [ConfigChange] {
        var changes: [ConfigChange] = []
        let before = leaves(old.resolvedTree), after = leaves(new.resolvedTree)
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            let secret = key == "database.password" || key == "console.token"
            let shown = secret ? "changed" : "\(before[key]?.snippet ?? "(unset)") -> \(after[key]?.snippet ?? "(unset)")"
            changes.append(ConfigChange(what: "\(key) \(shown)", live: isLive(key, loadedNow: loadedNow)))
        }
        let oldSources = Dictionary(old.logs.sources.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let newSources = Dictionary(new.logs.sources.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for s in new.logs.sources {
            guard let was = oldSources[s.name] else {
                changes.append(ConfigChange(what: "log source \(s.name) added (\(s.kind.rawValue) \(s.target), parser \(s.parser)\(s.enabled ? "" : ", disabled"))", live: true))
                continue
            }
            if was == s { continue }
            if was.enabled != s.enabled && was.kind == s.kind && was.target == s.target && was.parser == s.parser {
                changes.append(ConfigChange(what: "log source \(s.name) \(s.enabled ? "enabled" : "disabled")", live: true))
            } else {
                changes.append(ConfigChange(what: "log source \(s.name) changed (\(s.kind.rawValue) \(s.target), parser \(s.parser)\(s.enabled ? "" : ", disabled"))", live: true))
            }
        }
        for s in old.logs.sources where newSources[s.name] == nil {
            changes.append(ConfigChange(what: "log source \(s.name) removed", live: true))
        }
        return changes
    }

    /// Every leaf value by dotted path; the `[[logs.sources]]` entries are
    /// compared as resolved sources instead.
    private static func leaves(_ tree: ConfigNode) -> [String: ConfigNode] {
        var out: [String: ConfigNode] = [:]
        for path in tree.leafPaths() where path != "logs.sources" && !path.hasPrefix("logs.sources.") {
            if let node = tree.node(at: path) { out[path] = node }
        }
        return out
    }
}

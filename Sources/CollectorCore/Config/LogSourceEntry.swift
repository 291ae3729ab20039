/// One `[[logs.sources]]` entry as the operator wrote it: every field but the
/// name is optional, because an entry may only change a default source that a
/// plugin proposed (`path` of "postgresql", `enabled = false` for "kernel").
/// Whether an entry is complete is known only once the plugins are loaded, so
/// `resolve` runs then (at start and in `check-config`), and its errors name
/// the entry's key like every other configuration error.
package struct LogSourceEntry: Sendable, Equatable {
    /// Position in the file, for error keys (`logs.sources[2].parser`).
    package var index: Int
    package var name: String
    package var kind: LogSourceConfig.Kind?
    package var target: String?
    package var parser: String?
    package var enabled: Bool?
    package var rotatedPaths: [String]?

    package init(index: Int, name: String, kind: LogSourceConfig.Kind? = nil, target: String? = nil, parser: String? = nil, enabled: Bool? = nil) {
        self.index = index
        self.name = name
        self.kind = kind
        self.target = target
        self.parser = parser
        self.enabled = enabled
    }

    /// The effective sources: the plugins' defaults (unless turned off), each
    /// changed by the entry of its name, then the entries that name no default,
    /// in file order. An enabled source must have a target and a parser.
    package static func resolve(defaults: [LogSourceConfig], entries: [LogSourceEntry], useDefaults: Bool) throws(ConfigError) -> [LogSourceConfig] {
        var sources = useDefaults ? defaults : []
        for entry in entries {
            let at = "logs.sources[\(entry.index)]"
            let existing = sources.firstIndex { $0.name == entry.name }
            var source = existing.map { sources[$0] } ?? LogSourceConfig(name: entry.name, kind: .file, target: "", parser: "")
            if let kind = entry.kind { source.kind = kind }
            if let target = entry.target { source.target = target }
            if let parser = entry.parser { source.parser = parser }
            if let enabled = entry.enabled { source.enabled = enabled }
            if let rotated = entry.rotatedPaths { source.rotatedPaths = rotated }
            if source.enabled {
                if source.target.isEmpty {
                    throw ConfigError(key: at, message: "source '\(entry.name)' needs \(source.kind == .file ? "path" : "unit") (no default source has that name)")
                }
                if source.parser.isEmpty { throw ConfigError(key: "\(at).parser", message: "source '\(entry.name)' needs a parser") }
            }
            if let existing { sources[existing] = source } else { sources.append(source) }
        }
        return sources
    }
}

import ByteKit
import PluginKit

/// Which process names the sys tick watches. The plugin owns the keys (the
/// host does not read them), in this order of precedence:
/// `[plugin.system_metrics] processes`, then `COLLECTOR_PROCESSES`
/// (comma-separated), then `[collector] processes`, then the spec's six names.
/// A value of the wrong type is a `PluginConfigError` naming the key.
public enum WatchedProcessNames {
    public static let defaults = ["pqcrypta-api", "pqcrypta-proxy", "pqcrypta-collector", "postgres", "apache2", "php-fpm"]

    /// - Parameters:
    ///   - global: a key of the collector's configuration (`collector.processes`, `collector.processes.0`).
    ///   - plugin: a key of `[plugin.system_metrics]`.
    ///   - environment: an environment variable.
    public static func read(
        global: (String) -> ConfigValue?, plugin: (String) -> ConfigValue?, environment: (String) -> String?
    ) throws(PluginConfigError) -> [String] {
        if let names = try array("processes", prefix: "plugin.system_metrics.", plugin) { return names }
        if let text = environment("COLLECTOR_PROCESSES"), !text.isEmpty {
            return text.split(separator: ",").map { String($0).trimmingBlanks() }.filter { !$0.isEmpty }
        }
        return try array("collector.processes", prefix: "", global) ?? defaults
    }

    private static func array(_ key: String, prefix: String, _ read: (String) -> ConfigValue?) throws(PluginConfigError) -> [String]? {
        switch read(key) {
        case nil: return nil
        case .array(let count)?:
            var names: [String] = []
            for index in 0..<count {
                guard case .string(let name)? = read("\(key).\(index)"), !name.isEmpty else {
                    throw PluginConfigError(key: "\(prefix)\(key)[\(index)]", message: "expected a non-empty string")
                }
                names.append(name)
            }
            return names
        case let other?:
            throw PluginConfigError(key: prefix + key, message: "expected an array of process names, found \(other)")
        }
    }
}

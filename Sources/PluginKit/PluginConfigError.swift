/// A bad value in the plugin's configuration, naming its key. Thrown from
/// the setup closure, it makes init() return PQC_EINVAL after logging
/// "config: <key>: <message>": the host then stops with exit status 2
/// (`run`, `check-config`, `migrate`), like for a bad value of its own keys.
public struct PluginConfigError: Error, CustomStringConvertible, Sendable {
    public let key: String
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "config: \(key): \(message)" }
}

import PluginABI

/// A default log source a plugin proposes (`register_source`, ABI 1.1); the
/// operator's `[[logs.sources]]` entry of the same name changes or disables it.
public struct LogSourceDefault: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A file, followed through rotation.
        case file(path: String)
        /// A systemd unit's journal.
        case journal(unit: String)
    }

    public let name: String
    public let kind: Kind
    public let parser: String

    public init(name: String, kind: Kind, parser: String) {
        self.name = name
        self.kind = kind
        self.parser = parser
    }

    public static func file(_ name: String, _ path: String, parser: String) -> LogSourceDefault {
        LogSourceDefault(name: name, kind: .file(path: path), parser: parser)
    }

    public static func journal(_ name: String, unit: String, parser: String) -> LogSourceDefault {
        LogSourceDefault(name: name, kind: .journal(unit: unit), parser: parser)
    }
}

import PluginKit

/// The plugin's log lines: `PluginHost.log` in the daemon, a recorder in tests.
struct LogSink: Sendable {
    let write: @Sendable (PluginLogLevel, String) -> Void

    init(_ write: @escaping @Sendable (PluginLogLevel, String) -> Void) { self.write = write }

    func warn(_ message: String) { write(.warn, "\(message)") }
    func info(_ message: String) { write(.info, "\(message)") }
    func debug(_ message: String) { write(.debug, "\(message)") }
}

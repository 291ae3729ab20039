import CollectorCore
import Foundation

/// Records what the plugin logs through the host, so tests can count warnings.
///
/// The host logs a plugin's messages with a `Logger(label: "plugin:<name>")`;
/// every line passes `LogOutput.sink` first. This sink records the lines of
/// `plugin:app_metrics` and lets every other line through to stderr, so other
/// test targets sharing the process see no difference.
enum LogCapture {
    struct Entry: Sendable, Equatable {
        let label: String
        let level: Logger.Level
        let message: String
    }

    static let recordedLabel = "plugin:app_metrics"
    private static let store = Store()
    private static let installed: Void = {
        LogOutput.sink = { label, level, message in
            guard label == recordedLabel else { return false }
            store.append(Entry(label: label, level: level, message: message))
            // Keep warnings visible in the test output too.
            if level >= .warning { FileHandle.standardError.write(Data("[\(label)] \(message)\n".utf8)) }
            return true
        }
    }()

    /// Installs the sink (idempotent). Call before loading a plugin.
    static func install() { _ = installed }

    static func clear() { store.clear() }

    /// The plugin's entries at `level` or above.
    static func entries(atLeast level: Logger.Level = .trace) -> [Entry] {
        store.all().filter { $0.level >= level }
    }

    final class Store: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [Entry] = []

        func append(_ entry: Entry) { lock.withLock { entries.append(entry) } }
        func clear() { lock.withLock { entries.removeAll() } }
        func all() -> [Entry] { lock.withLock { entries } }
    }
}

import Foundation
import Logging

/// Records what the plugin logs through the host, so tests can count warnings.
///
/// The host logs a plugin's messages with a `Logger(label: "plugin:<name>")`
/// made when the plugin loads, through swift-log's global factory. That
/// factory can be set once per process, so this installs it on first use:
/// `plugin:app_metrics` gets a recording handler, every other label the
/// library's default stderr handler, so other test targets sharing the
/// process see no difference.
enum LogCapture {
    struct Entry: Sendable, Equatable {
        let label: String
        let level: Logger.Level
        let message: String
    }

    static let recordedLabel = "plugin:app_metrics"
    private static let store = Store()
    private static let installed: Void = {
        LoggingSystem.bootstrap { label in
            label == recordedLabel ? RecordingHandler(label: label, store: store) as any LogHandler
                : StreamLogHandler.standardError(label: label)
        }
    }()

    /// Installs the handler (idempotent). Call before loading a plugin.
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

    struct RecordingHandler: LogHandler {
        let label: String
        let store: Store
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            store.append(Entry(label: label, level: event.level, message: event.message.description))
            // Keep warnings visible in the test output too.
            if event.level >= .warning { FileHandle.standardError.write(Data("[\(label)] \(event.message)\n".utf8)) }
        }
    }
}

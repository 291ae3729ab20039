#if canImport(Glibc)
import Glibc
#endif

import Logging

/// What the host offers plugins through the API table: config, the writer,
/// the database lanes, HTTP, stats. One instance per daemon (or CLI command).
final class HostServices: Sendable {
    let config: CollectorConfig
    let stats: StatsRegistry
    let writer: BatchWriter
    /// nil for commands that run without a database (`plugins`, `check-config`).
    let lanes: [Lane: DatabaseLane]

    init(config: CollectorConfig, stats: StatsRegistry, writer: BatchWriter, lanes: [Lane: DatabaseLane]) {
        self.config = config
        self.stats = stats
        self.writer = writer
        self.lanes = lanes
    }
}

/// Receives the findings of one completed analyzer run; the implementation owns
/// their lifecycle (deduplication, auto-resolve, acknowledgement).
protocol FindingSink: Sendable {
    func complete(plugin: String, analyzer: String, findings: [FindingRecord], lane: Lane) throws(PGError)
}

/// A finding copied out of a `pqc_finding`.
struct FindingRecord: Sendable, Equatable {
    enum Kind: String, Sendable { case insight, alert, recommendation }
    var kind: Kind
    var severity: String
    var key: String
    var domain: String
    var metric: String
    var target: String?
    var title: String
    var description: String?
    var action: String?
    var value: Double?
    var threshold: Double?
    var zScore: Double?
    var dedupWindowSecs: Int
}

/// Per-thread facts a host call needs: the lane of the running tick, the
/// analyzer being run, and the last error text (for `last_error`).
final class CallContext {
    var lane: Lane = .fast
    var analyzer: (plugin: String, name: String)?
    var findings: [FindingRecord] = []
    var lastError: UnsafeMutablePointer<CChar>? = strdup("")

    deinit { free(lastError) }

    func setError(_ message: String) {
        free(lastError)
        lastError = strdup(message)
    }

    static let slot = ThreadLocal<CallContext>()

    /// This thread's context, created on first use.
    static var current: CallContext {
        if let existing = slot.value { return existing }
        let fresh = CallContext()
        slot.value = fresh
        return fresh
    }
}

extension HostServices {
    /// Services for commands that load plugins without a database or schedule.
    static func offline(_ config: CollectorConfig) -> HostServices {
        let stats = StatsRegistry()
        let writer = BatchWriter(lane: nil, batchSize: config.collector.batchSize, flushIntervalMs: config.collector.flushIntervalMs,
                                 maxBytes: config.collector.bufferMaxBytes, stats: stats)
        return HostServices(config: config, stats: stats, writer: writer, lanes: [:])
    }
}

#if canImport(Glibc)
import Glibc
#endif


/// What the host offers plugins through the API table: config, the writer,
/// the database lanes, HTTP, stats. One instance per daemon (or CLI command).
package final class HostServices: Sendable {
    package let config: CollectorConfig
    package let stats: StatsRegistry
    package let writer: BatchWriter
    /// nil for commands that run without a database (`plugins`, `check-config`).
    package let lanes: [Lane: DatabaseLane]

    package init(config: CollectorConfig, stats: StatsRegistry, writer: BatchWriter, lanes: [Lane: DatabaseLane]) {
        self.config = config
        self.stats = stats
        self.writer = writer
        self.lanes = lanes
    }
}

/// Receives the findings of one completed analyzer run; the implementation owns
/// their lifecycle (deduplication, auto-resolve, acknowledgement).
package protocol FindingSink: Sendable {
    func complete(plugin: String, analyzer: String, findings: [FindingRecord], lane: Lane) throws(PGError)
}

/// A finding copied out of a `pqc_finding`.
package struct FindingRecord: Sendable, Equatable {
    package enum Kind: String, Sendable { case insight, alert, recommendation }
    package var kind: Kind
    package var severity: String
    package var key: String
    package var domain: String
    package var metric: String
    package var target: String?
    package var title: String
    package var description: String?
    package var action: String?
    package var value: Double?
    package var threshold: Double?
    package var zScore: Double?
    package var dedupWindowSecs: Int
    // ABI 1.2 (nil from older plugins)
    package var type: String? = nil
    package var metricKey: String? = nil
    /// Already checked: a well-formed JSON object, or nil.
    package var contextJSON: String? = nil
    package var direction: String? = nil
    package var baselineStddev: Double? = nil
    package var driftPct: Double? = nil
}

/// Per-thread facts a host call needs: the lane of the running tick, the
/// analyzer being run, and the last error text (for `last_error`).
package final class CallContext {
    package var lane: Lane = .fast
    package var analyzer: (plugin: String, name: String)?
    package var findings: [FindingRecord] = []
    package var lastError: UnsafeMutablePointer<CChar>? = strdup("")

    deinit { free(lastError) }

    package func setError(_ message: String) {
        free(lastError)
        lastError = strdup(message)
    }

    package static let slot = ThreadLocal<CallContext>()

    /// This thread's context, created on first use.
    package static var current: CallContext {
        if let existing = slot.value { return existing }
        let fresh = CallContext()
        slot.value = fresh
        return fresh
    }
}

extension HostServices {
    /// Services for commands that load plugins without a database or schedule.
    package static func offline(_ config: CollectorConfig) -> HostServices {
        let stats = StatsRegistry()
        let writer = BatchWriter(lane: nil, batchSize: config.collector.batchSize, flushIntervalMs: config.collector.flushIntervalMs,
                                 maxBytes: config.collector.bufferMaxBytes, stats: stats)
        return HostServices(config: config, stats: stats, writer: writer, lanes: [:])
    }
}

#if canImport(Glibc)
import Glibc
#endif
import ByteKit
import LogFingerprint
import PluginABI

/// Assembles log records from parser results, joining continuation lines to the
/// record they belong to, and encodes finished records as COPY rows of
/// `collector.log_entries` (host, ts, source, level, component, message,
/// context, fingerprint). Reuses its buffers: one builder per source.
package struct LogRecordBuilder {
    package let hostname: String
    package let source: String
    /// A multi-line record is capped here; its further lines only count.
    package let maxMessageBytes: Int

    package private(set) var hasPending = false
    private var ts: Int64 = 0
    private var level: LogLevelName = .info
    private var component: [UInt8] = []
    private var hasComponent = false
    private var message: [UInt8] = []
    /// The context object, encoded as fields arrive (no per-field Strings on the
    /// hot path), closed when the record is finished. A key repeated by a
    /// continuation line is written again; jsonb keeps the last value.
    private var context = JSONWriter(capacity: 256)
    private var fieldCount = 0
    private var fingerprint: String?
    private var truncated = false
    private var unparsed = false
    /// Set for a line stored raw because the parser crashed or hung on it.
    private var parserFailed: String?
    private var fingerprinter = LogFingerprinter()

    package init(hostname: String, source: String, maxMessageBytes: Int) {
        self.hostname = hostname
        self.source = source
        self.maxMessageBytes = maxMessageBytes
    }

    /// Starts a record from a RECORD result.
    package mutating func start(_ r: pqc_log_record, truncated: Bool) {
        hasPending = true
        ts = r.ts_us
        level = LogLevelName(r.level)
        component.removeAll(keepingCapacity: true)
        hasComponent = r.component != nil
        if let c = r.component { component.append(contentsOf: UnsafeRawBufferPointer(start: c, count: r.component_len)) }
        message.removeAll(keepingCapacity: true)
        appendMessage(r.message, r.message_len)
        context.reset()
        context.beginObject()
        fieldCount = 0
        mergeFields(r)
        fingerprint = r.fingerprint.map { String(cString: $0) }
        self.truncated = truncated
        unparsed = false
        parserFailed = nil
    }

    /// Starts a record holding a raw line the parser did not recognise, or
    /// (`parserFailed`: "crash" or "timeout") could not parse without failing.
    package mutating func startUnparsed(_ line: UnsafeRawBufferPointer, truncated: Bool, now: Int64, parserFailed: String? = nil) {
        hasPending = true
        ts = now
        level = .info
        hasComponent = false
        component.removeAll(keepingCapacity: true)
        message.removeAll(keepingCapacity: true)
        message.append(contentsOf: line.prefix(maxMessageBytes))
        context.reset()
        context.beginObject()
        fieldCount = 0
        fingerprint = nil
        self.truncated = truncated
        unparsed = true
        self.parserFailed = parserFailed
    }

    /// Extends the pending record with a CONTINUATION result.
    package mutating func extend(_ r: pqc_log_record, truncated: Bool) {
        guard hasPending else {
            start(r, truncated: truncated)
            return
        }
        if message.count < maxMessageBytes { message.append(0x0A) }
        appendMessage(r.message, r.message_len)
        mergeFields(r)
        let more = LogLevelName(r.level)
        if r.level != PQC_LEVEL_UNKNOWN.rawValue, more.severity > level.severity { level = more }
        self.truncated = self.truncated || truncated
    }

    private mutating func appendMessage(_ p: UnsafePointer<CChar>?, _ len: Int) {
        guard let p, len > 0 else { return }
        let room = maxMessageBytes - message.count
        guard room > 0 else { truncated = true; return }
        message.append(contentsOf: UnsafeRawBufferPointer(start: p, count: min(len, room)))
        if len > room { truncated = true }
    }

    private mutating func mergeFields(_ r: pqc_log_record) {
        guard let f = r.fields else { return }
        for i in 0..<r.n_fields where fieldCount < 64 {
            guard let k = f[i].key else { continue }
            let v = f[i].value
            let type = pqc_value_type(v.type)
            switch type {
            case PQC_VALUE_BOOL, PQC_VALUE_INT, PQC_VALUE_TIMESTAMP, PQC_VALUE_DOUBLE, PQC_VALUE_TEXT, PQC_VALUE_JSON,
                PQC_VALUE_NULL:
                break
            default:
                continue  // a type this host does not know: the field is left out
            }
            context.key(bytes: UnsafeRawBufferPointer(start: k, count: strlen(k)))
            switch type {
            case PQC_VALUE_BOOL: context.value(v.v.i != 0)
            case PQC_VALUE_INT, PQC_VALUE_TIMESTAMP: context.value(v.v.i)
            case PQC_VALUE_DOUBLE: context.value(exactly: v.v.d)
            case PQC_VALUE_TEXT, PQC_VALUE_JSON:
                context.value(bytes: UnsafeRawBufferPointer(start: v.v.s, count: v.v.s == nil ? 0 : v.len))
            default: context.null()
            }
            fieldCount += 1
        }
    }

    /// Encodes the pending record as one COPY row and clears it.
    package mutating func finish(into e: inout CopyEncoder, now: Int64) {
        guard hasPending else { return }
        hasPending = false
        e.appendText(hostname); e.appendSeparator()
        e.appendTimestamp(micros: ts != 0 ? ts : now); e.appendSeparator()
        e.appendText(source); e.appendSeparator()
        e.appendText(level.rawValue); e.appendSeparator()
        if hasComponent { component.withUnsafeBytes { e.appendText($0) } } else { e.appendNull() }
        e.appendSeparator()
        message.withUnsafeBytes { e.appendText($0) }
        e.appendSeparator()
        if fieldCount == 0 && !truncated && !unparsed && parserFailed == nil {
            e.appendNull()
        } else {
            if truncated { context.key("truncated"); context.value(true) }
            if unparsed { context.key("unparsed"); context.value(true) }
            if let parserFailed { context.key("parser_failed"); context.value(parserFailed) }
            context.endObject()
            context.bytes.withUnsafeBytes { e.appendText($0) }
        }
        e.appendSeparator()
        let fp = fingerprint ?? message.withUnsafeBytes { fingerprinter.fingerprint(source: source, level: level.rawValue, message: $0) }
        e.appendText(fp)
        e.endRow()
    }

    package static let columns = ["host", "ts", "source", "level", "component", "message", "context", "fingerprint"]
}

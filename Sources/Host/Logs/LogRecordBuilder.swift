import LogFingerprint
import PluginABI

/// Assembles log records from parser results, joining continuation lines to the
/// record they belong to, and encodes finished records as COPY rows of
/// `collector.log_entries` (host, ts, source, level, component, message,
/// context, fingerprint). Reuses its buffers: one builder per source.
struct LogRecordBuilder {
    let hostname: String
    let source: String
    /// A multi-line record is capped here; its further lines only count.
    let maxMessageBytes: Int

    private(set) var hasPending = false
    private var ts: Int64 = 0
    private var level: LogLevelName = .info
    private var component: [UInt8] = []
    private var hasComponent = false
    private var message: [UInt8] = []
    private var fields: [(key: String, value: FieldValue)] = []
    private var fingerprint: String?
    private var truncated = false
    private var unparsed = false
    private var fingerprinter = LogFingerprinter()

    init(hostname: String, source: String, maxMessageBytes: Int) {
        self.hostname = hostname
        self.source = source
        self.maxMessageBytes = maxMessageBytes
    }

    /// Starts a record from a RECORD result.
    mutating func start(_ r: pqc_log_record, truncated: Bool) {
        hasPending = true
        ts = r.ts_us
        level = LogLevelName(r.level)
        component.removeAll(keepingCapacity: true)
        hasComponent = r.component != nil
        if let c = r.component { component.append(contentsOf: UnsafeRawBufferPointer(start: c, count: r.component_len)) }
        message.removeAll(keepingCapacity: true)
        appendMessage(r.message, r.message_len)
        fields.removeAll(keepingCapacity: true)
        mergeFields(r)
        fingerprint = r.fingerprint.map { String(cString: $0) }
        self.truncated = truncated
        unparsed = false
    }

    /// Starts a record holding a raw line the parser did not recognise.
    mutating func startUnparsed(_ line: UnsafeRawBufferPointer, truncated: Bool, now: Int64) {
        hasPending = true
        ts = now
        level = .info
        hasComponent = false
        component.removeAll(keepingCapacity: true)
        message.removeAll(keepingCapacity: true)
        message.append(contentsOf: line.prefix(maxMessageBytes))
        fields.removeAll(keepingCapacity: true)
        fingerprint = nil
        self.truncated = truncated
        unparsed = true
    }

    /// Extends the pending record with a CONTINUATION result.
    mutating func extend(_ r: pqc_log_record, truncated: Bool) {
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
        for i in 0..<r.n_fields {
            guard let k = f[i].key else { continue }
            let key = String(cString: k)
            let value = FieldValue(f[i].value)
            if let existing = fields.firstIndex(where: { $0.key == key }) {
                fields[existing].value = value
            } else if fields.count < 64 {
                fields.append((key, value))
            }
        }
    }

    /// Encodes the pending record as one COPY row and clears it.
    mutating func finish(into e: inout CopyEncoder, now: Int64) {
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
        if fields.isEmpty && !truncated && !unparsed {
            e.appendNull()
        } else {
            e.appendText(contextJSON())
        }
        e.appendSeparator()
        let fp = fingerprint ?? message.withUnsafeBytes { fingerprinter.fingerprint(source: source, level: level.rawValue, message: $0) }
        e.appendText(fp)
        e.endRow()
    }

    private func contextJSON() -> String {
        var parts: [String] = []
        for (key, value) in fields {
            let v: String = switch value {
            case .null: "null"
            case .bool(let b): b ? "true" : "false"
            case .int(let i): String(i)
            case .double(let d): d.isFinite ? String(d) : "null"
            case .text(let s): JSONText.quote(s)
            }
            parts.append("\(JSONText.quote(key)):\(v)")
        }
        if truncated { parts.append("\"truncated\":true") }
        if unparsed { parts.append("\"unparsed\":true") }
        return "{" + parts.joined(separator: ",") + "}"
    }

    static let columns = ["host", "ts", "source", "level", "component", "message", "context", "fingerprint"]
}

extension FieldValue {
    init(_ v: pqc_value) {
        switch pqc_value_type(v.type) {
        case PQC_VALUE_BOOL: self = .bool(v.v.i != 0)
        case PQC_VALUE_INT, PQC_VALUE_TIMESTAMP: self = .int(v.v.i)
        case PQC_VALUE_DOUBLE: self = .double(v.v.d)
        case PQC_VALUE_TEXT, PQC_VALUE_JSON:
            guard let s = v.v.s else { self = .text(""); return }
            self = .text(String(decoding: UnsafeRawBufferPointer(start: s, count: v.len), as: UTF8.self))
        default: self = .null
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
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
    /// The context as JSON members ("k":v,...) without braces, encoded as fields
    /// arrive: no per-field Strings on the hot path. A key repeated by a
    /// continuation line is appended again; jsonb keeps the last value.
    private var context: [UInt8] = []
    private var fieldCount = 0
    private var fingerprint: String?
    private var truncated = false
    private var unparsed = false
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
        context.removeAll(keepingCapacity: true)
        fieldCount = 0
        mergeFields(r)
        fingerprint = r.fingerprint.map { String(cString: $0) }
        self.truncated = truncated
        unparsed = false
    }

    /// Starts a record holding a raw line the parser did not recognise.
    package mutating func startUnparsed(_ line: UnsafeRawBufferPointer, truncated: Bool, now: Int64) {
        hasPending = true
        ts = now
        level = .info
        hasComponent = false
        component.removeAll(keepingCapacity: true)
        message.removeAll(keepingCapacity: true)
        message.append(contentsOf: line.prefix(maxMessageBytes))
        context.removeAll(keepingCapacity: true)
        fieldCount = 0
        fingerprint = nil
        self.truncated = truncated
        unparsed = true
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
            let mark = context.count
            if !context.isEmpty { context.append(0x2C) }
            JSONBytes.appendString(UnsafeRawBufferPointer(start: k, count: strlen(k)), to: &context)
            context.append(0x3A)
            switch pqc_value_type(v.type) {
            case PQC_VALUE_BOOL: context.append(contentsOf: v.v.i != 0 ? Array("true".utf8) : Array("false".utf8))
            case PQC_VALUE_INT, PQC_VALUE_TIMESTAMP: context.append(contentsOf: String(v.v.i).utf8)
            case PQC_VALUE_DOUBLE:
                if v.v.d.isFinite { context.append(contentsOf: String(v.v.d).utf8) } else { context.append(contentsOf: Array("null".utf8)) }
            case PQC_VALUE_TEXT, PQC_VALUE_JSON:
                JSONBytes.appendString(UnsafeRawBufferPointer(start: v.v.s, count: v.v.s == nil ? 0 : v.len), to: &context)
            case PQC_VALUE_NULL:
                context.append(contentsOf: Array("null".utf8))
            default:
                context.removeSubrange(mark...)
                continue
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
        if context.isEmpty && !truncated && !unparsed {
            e.appendNull()
        } else {
            if truncated { context.append(contentsOf: Array((context.isEmpty ? "" : ",").utf8) + Array("\"truncated\":true".utf8)) }
            if unparsed { context.append(contentsOf: Array((context.isEmpty ? "" : ",").utf8) + Array("\"unparsed\":true".utf8)) }
            context.insert(0x7B, at: 0)
            context.append(0x7D)
            context.withUnsafeBytes { e.appendText($0) }
        }
        e.appendSeparator()
        let fp = fingerprint ?? message.withUnsafeBytes { fingerprinter.fingerprint(source: source, level: level.rawValue, message: $0) }
        e.appendText(fp)
        e.endRow()
    }

    package static let columns = ["host", "ts", "source", "level", "component", "message", "context", "fingerprint"]
}


/// JSON string literals from raw bytes, valid for jsonb whatever the input:
/// invalid UTF-8 becomes U+FFFD, control characters are escaped, NUL is dropped.
package enum JSONBytes {
    package static func appendString(_ raw: UnsafeRawBufferPointer, to out: inout [UInt8]) {
        out.append(0x22)
        if let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) {
            let n = raw.count
            var i = 0
            while i < n {
                let b = base[i]
                if b >= 0x80 {
                    i += UTF8Validation.appendSequence(base, at: i, count: n, to: &out)
                    continue
                }
                switch b {
                case 0x00: break
                case 0x22: out.append(0x5C); out.append(0x22)
                case 0x5C: out.append(0x5C); out.append(0x5C)
                case 0x0A: out.append(0x5C); out.append(0x6E)
                case 0x0D: out.append(0x5C); out.append(0x72)
                case 0x09: out.append(0x5C); out.append(0x74)
                case 0x01...0x1F:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                default: out.append(b)
                }
                i += 1
            }
        }
        out.append(0x22)
    }
}

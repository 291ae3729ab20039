#if canImport(Glibc)
import Glibc
#endif
import PluginABI

/// One source's instance of a registered parser: its per-source state and the
/// call into the plugin. Used by one thread at a time (the log tick's).
package final class ParserInstance {
    package let registration: ParserRegistration
    package let source: String
    package let state: UnsafeMutableRawPointer?

    /// `options`: the source's `[[logs.sources]] options`, handed to
    /// create_with_options (ABI 1.3) when the parser has it.
    package init(_ registration: ParserRegistration, source: String, options: [SourceOption] = []) {
        self.registration = registration
        self.source = source
        guard let withOptions = registration.createWithOptions else {
            state = source.withCString { registration.create?(registration.userData, $0) }
            return
        }
        // Keys and text values as C strings for the call only (the header says: borrowed).
        let keys = options.map { strdup($0.key) }
        let texts: [UnsafeMutablePointer<CChar>?] = options.map { if case .string(let s) = $0.value { strdup(s) } else { nil } }
        defer { (keys + texts).forEach { free($0) } }
        var kvs = [pqc_kv](repeating: pqc_kv(), count: options.count)
        for (i, option) in options.enumerated() {
            kvs[i].key = UnsafePointer(keys[i])
            switch option.value {
            case .string: kvs[i].value.type = PQC_VALUE_TEXT.rawValue; kvs[i].value.v.s = UnsafePointer(texts[i]); kvs[i].value.len = strlen(texts[i]!)
            case .int(let n): kvs[i].value.type = PQC_VALUE_INT.rawValue; kvs[i].value.v.i = n
            case .double(let d): kvs[i].value.type = PQC_VALUE_DOUBLE.rawValue; kvs[i].value.v.d = d
            case .bool(let b): kvs[i].value.type = PQC_VALUE_BOOL.rawValue; kvs[i].value.v.i = b ? 1 : 0
            default: kvs[i].value.type = PQC_VALUE_NULL.rawValue
            }
        }
        state = source.withCString { name in kvs.withUnsafeBufferPointer { withOptions(registration.userData, name, $0.baseAddress, $0.count) } }
    }

    deinit { registration.destroy?(state) }

    /// Parses one line (no newline; any bytes) and copies the result out.
    package func parse(_ line: UnsafeRawBufferPointer) -> ParsedLine {
        var record = pqc_log_record()
        record.struct_size = UInt32(MemoryLayout<pqc_log_record>.size)
        let result = registration.parse(state, line.baseAddress?.assumingMemoryBound(to: CChar.self), line.count, &record)
        return ParsedLine(result, record, line: line)
    }
}

extension ParsedLine {
    /// Copies a parser's result out of its borrowed memory (in process, or
    /// rebuilt from a runner's reply); `line` is kept raw when it was not parsed.
    package init(_ result: pqc_parse_result, _ record: pqc_log_record, line: UnsafeRawBufferPointer) {
        switch result {
        case PQC_PARSE_SKIP:
            self.init(kind: .skip)
        case PQC_PARSE_RECORD, PQC_PARSE_CONTINUATION:
            self.init(kind: result == PQC_PARSE_RECORD ? .record : .continuation)
            timestampMicros = record.ts_us
            level = LogLevelName(record.level)
            component = Self.text(record.component, record.component_len)
            message = Self.text(record.message, record.message_len) ?? ""
            if let fields = record.fields {
                for i in 0..<record.n_fields {
                    guard let key = fields[i].key else { continue }
                    self.fields.append((String(cString: key), Self.value(fields[i].value)))
                }
            }
            fingerprint = record.fingerprint.map { String(cString: $0) }
        default:
            // Not this format: keep the raw line rather than lose it.
            self.init(kind: .unparsed, message: String(decoding: line, as: UTF8.self))
        }
    }

    private static func text(_ p: UnsafePointer<CChar>?, _ len: Int) -> String? {
        guard let p else { return nil }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: len), as: UTF8.self)
    }

    private static func value(_ v: pqc_value) -> FieldValue {
        switch pqc_value_type(v.type) {
        case PQC_VALUE_BOOL: .bool(v.v.i != 0)
        case PQC_VALUE_INT, PQC_VALUE_TIMESTAMP: .int(v.v.i)
        case PQC_VALUE_DOUBLE: .double(v.v.d)
        case PQC_VALUE_TEXT, PQC_VALUE_JSON: .text(text(v.v.s, v.v.s == nil ? 0 : v.len) ?? "")
        default: .null
        }
    }
}

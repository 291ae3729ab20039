import PluginABI

/// One source's instance of a registered parser: its per-source state and the
/// call into the plugin. Used by one thread at a time (the log tick's).
package final class ParserInstance {
    package let registration: ParserRegistration
    package let source: String
    package let state: UnsafeMutableRawPointer?

    package init(_ registration: ParserRegistration, source: String) {
        self.registration = registration
        self.source = source
        state = source.withCString { registration.create?(registration.userData, $0) }
    }

    deinit { registration.destroy?(state) }

    /// Parses one line (no newline; any bytes) and copies the result out.
    package func parse(_ line: UnsafeRawBufferPointer) -> ParsedLine {
        var record = pqc_log_record()
        record.struct_size = UInt32(MemoryLayout<pqc_log_record>.size)
        let result = registration.parse(state, line.baseAddress?.assumingMemoryBound(to: CChar.self), line.count, &record)
        switch result {
        case PQC_PARSE_SKIP:
            return ParsedLine(kind: .skip)
        case PQC_PARSE_RECORD, PQC_PARSE_CONTINUATION:
            var parsed = ParsedLine(kind: result == PQC_PARSE_RECORD ? .record : .continuation)
            parsed.timestampMicros = record.ts_us
            parsed.level = LogLevelName(record.level)
            parsed.component = Self.text(record.component, record.component_len)
            parsed.message = Self.text(record.message, record.message_len) ?? ""
            if let fields = record.fields {
                for i in 0..<record.n_fields {
                    guard let key = fields[i].key else { continue }
                    parsed.fields.append((String(cString: key), Self.value(fields[i].value)))
                }
            }
            parsed.fingerprint = record.fingerprint.map { String(cString: $0) }
            return parsed
        default:
            // Not this format: keep the raw line rather than lose it.
            return ParsedLine(kind: .unparsed, message: String(decoding: line, as: UTF8.self))
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

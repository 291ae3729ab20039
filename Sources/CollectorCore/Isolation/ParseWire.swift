#if canImport(Glibc)
import Glibc
#endif
import PluginABI

/// How a parse result crosses the socket. The runner writes the parser's
/// `pqc_log_record` field by field; the daemon rebuilds a `pqc_log_record`
/// whose pointers point into the received frame and hands it to the same
/// `LogRecordBuilder` calls an in-process parser's record goes to. No Swift
/// strings on either side: a batch of lines costs two copies of its bytes.
package enum ParseWire {
    /// Runner side: one line's result.
    package static func encode(_ result: pqc_parse_result, _ r: pqc_log_record, into w: inout FrameWriter) {
        w.u8(UInt8(truncatingIfNeeded: result.rawValue))
        guard result == PQC_PARSE_RECORD || result == PQC_PARSE_CONTINUATION else { return }
        w.i64(r.ts_us)
        w.u32(r.level)
        if let c = r.component {
            w.u8(1)
            w.raw(UnsafeRawBufferPointer(start: c, count: r.component_len))
        } else {
            w.u8(0)
        }
        w.raw(UnsafeRawBufferPointer(start: r.message, count: r.message == nil ? 0 : r.message_len))
        var kept = 0
        if let f = r.fields { for i in 0..<r.n_fields where f[i].key != nil { kept += 1 } }
        w.u32(UInt32(kept))
        if let f = r.fields {
            for i in 0..<r.n_fields {
                guard let key = f[i].key else { continue }
                let v = f[i].value
                w.cString(key)
                w.u32(v.type)
                switch pqc_value_type(v.type) {
                case PQC_VALUE_BOOL, PQC_VALUE_INT, PQC_VALUE_TIMESTAMP: w.i64(v.v.i)
                case PQC_VALUE_DOUBLE: w.f64(v.v.d)
                case PQC_VALUE_TEXT, PQC_VALUE_JSON: w.raw(UnsafeRawBufferPointer(start: v.v.s, count: v.v.s == nil ? 0 : v.len))
                default: break  // NULL, or a type the builder leaves out anyway
                }
            }
        }
        if let fp = r.fingerprint { w.u8(1); w.cString(fp) } else { w.u8(0) }
    }

    /// Daemon side: reads one result; `record` points into the frame and into
    /// `fields` (scratch, grown as needed) until the next call.
    package static func decode(_ reader: inout FrameReader, record: inout pqc_log_record,
                               fields: inout UnsafeMutableBufferPointer<pqc_kv>) throws(FrameError) -> pqc_parse_result {
        let result = pqc_parse_result(UInt32(try reader.u8()))
        record = pqc_log_record()
        record.struct_size = UInt32(MemoryLayout<pqc_log_record>.size)
        guard result == PQC_PARSE_RECORD || result == PQC_PARSE_CONTINUATION else { return result }
        record.ts_us = try reader.i64()
        record.level = try reader.u32()
        if try reader.u8() == 1 {
            let c = try reader.raw()
            record.component = c.baseAddress?.assumingMemoryBound(to: CChar.self) ?? UnsafePointer(Self.empty)
            record.component_len = c.count
        }
        let m = try reader.raw()
        record.message = m.baseAddress?.assumingMemoryBound(to: CChar.self)
        record.message_len = m.count
        let n = Int(try reader.u32())
        guard n <= 4096 else { throw FrameError("\(n) fields in one record") }
        if fields.count < n {
            fields.deallocate()
            fields = .allocate(capacity: max(n, 16))
        }
        for i in 0..<n {
            var kv = pqc_kv()
            kv.key = try reader.cString()
            kv.value.type = try reader.u32()
            switch pqc_value_type(kv.value.type) {
            case PQC_VALUE_BOOL, PQC_VALUE_INT, PQC_VALUE_TIMESTAMP: kv.value.v.i = try reader.i64()
            case PQC_VALUE_DOUBLE: kv.value.v.d = try reader.f64()
            case PQC_VALUE_TEXT, PQC_VALUE_JSON:
                let t = try reader.raw()
                kv.value.v.s = t.baseAddress?.assumingMemoryBound(to: CChar.self)
                kv.value.len = t.count
            default: break
            }
            fields[i] = kv
        }
        record.fields = n > 0 ? UnsafePointer(fields.baseAddress) : nil
        record.n_fields = n
        if try reader.u8() == 1 { record.fingerprint = try reader.cString() }
        return result
    }

    /// A present but empty component still reads as "" (not NULL).
    private nonisolated(unsafe) static let empty: UnsafeMutablePointer<CChar> = strdup("")!
}

import CollectorTestSupport
import PluginABI
import XCTest
@testable import CollectorCore

/// A parse result crosses the runner's socket field by field and is rebuilt as a
/// `pqc_log_record` pointing into the frame: everything a parser can say survives.
final class ParseWireTests: XCTestCase {
    func testRecordWithComponentFieldsAndFingerprintRoundTrips() throws {
        var w = FrameWriter(.parsed)
        let component = Array("sshd".utf8), message = Array("Accepted key for root".utf8), text = Array("10.0.0.1".utf8)
        try component.withUnsafeBufferPointer { c in
            try message.withUnsafeBufferPointer { m in
                try text.withUnsafeBufferPointer { t in
                    let keys = ["pid", "client", "ok", "load", "none"].map { (k: String) in k.withCString { strdup($0)! } }
                    defer { keys.forEach { free($0) } }
                    var fields = [pqc_kv](repeating: pqc_kv(), count: 5)
                    for i in 0..<5 { fields[i].key = UnsafePointer(keys[i]) }
                    fields[0].value.type = PQC_VALUE_INT.rawValue; fields[0].value.v.i = 4242
                    fields[1].value.type = PQC_VALUE_TEXT.rawValue
                    fields[1].value.v.s = UnsafeRawPointer(t.baseAddress!).assumingMemoryBound(to: CChar.self); fields[1].value.len = t.count
                    fields[2].value.type = PQC_VALUE_BOOL.rawValue; fields[2].value.v.i = 1
                    fields[3].value.type = PQC_VALUE_DOUBLE.rawValue; fields[3].value.v.d = 0.25
                    fields[4].value.type = PQC_VALUE_NULL.rawValue
                    let fp = "fp-123".withCString { strdup($0)! }
                    defer { free(fp) }
                    try fields.withUnsafeBufferPointer { f in
                        var r = pqc_log_record()
                        r.ts_us = 1_700_000_000_123_456
                        r.level = PQC_LEVEL_WARN.rawValue
                        r.component = UnsafeRawPointer(c.baseAddress!).assumingMemoryBound(to: CChar.self); r.component_len = c.count
                        r.message = UnsafeRawPointer(m.baseAddress!).assumingMemoryBound(to: CChar.self); r.message_len = m.count
                        r.fields = f.baseAddress; r.n_fields = f.count
                        r.fingerprint = UnsafePointer(fp)
                        ParseWire.encode(PQC_PARSE_RECORD, r, into: &w)
                        ParseWire.encode(PQC_PARSE_SKIP, pqc_log_record(), into: &w)
                        var cont = pqc_log_record()
                        cont.message = r.message; cont.message_len = 8
                        ParseWire.encode(PQC_PARSE_CONTINUATION, cont, into: &w)
                        ParseWire.encode(PQC_PARSE_UNPARSED, pqc_log_record(), into: &w)
                        _ = try XCTUnwrap(Optional(f))
                    }
                }
            }
        }
        let frame = w.finish()
        XCTAssertEqual(Int(UInt32(littleEndian: frame.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) })), frame.count - 4)
        var scratch = UnsafeMutableBufferPointer<pqc_kv>.allocate(capacity: 1)
        defer { scratch.deallocate() }
        try frame.readFrame(count: frame.count) { (r: inout FrameReader) throws(FrameError) in
            var record = pqc_log_record()
            XCTAssertEqual(try ParseWire.decode(&r, record: &record, fields: &scratch), PQC_PARSE_RECORD)
            XCTAssertEqual(record.ts_us, 1_700_000_000_123_456)
            XCTAssertEqual(record.level, PQC_LEVEL_WARN.rawValue)
            XCTAssertEqual(String(decoding: UnsafeRawBufferPointer(start: record.component, count: record.component_len), as: UTF8.self), "sshd")
            XCTAssertEqual(String(decoding: UnsafeRawBufferPointer(start: record.message, count: record.message_len), as: UTF8.self), "Accepted key for root")
            XCTAssertEqual(record.n_fields, 5)
            let f = record.fields!
            XCTAssertEqual(String(cString: f[0].key), "pid")
            XCTAssertEqual(f[0].value.v.i, 4242)
            XCTAssertEqual(String(decoding: UnsafeRawBufferPointer(start: f[1].value.v.s, count: f[1].value.len), as: UTF8.self), "10.0.0.1")
            XCTAssertEqual(f[2].value.type, PQC_VALUE_BOOL.rawValue)
            XCTAssertEqual(f[2].value.v.i, 1)
            XCTAssertEqual(f[3].value.v.d, 0.25)
            XCTAssertEqual(f[4].value.type, PQC_VALUE_NULL.rawValue)
            XCTAssertEqual(record.fingerprint.map { String(cString: $0) }, "fp-123")
            XCTAssertEqual(try ParseWire.decode(&r, record: &record, fields: &scratch), PQC_PARSE_SKIP)
            XCTAssertEqual(try ParseWire.decode(&r, record: &record, fields: &scratch), PQC_PARSE_CONTINUATION)
            XCTAssertNil(record.component, "no component stays NULL")
            XCTAssertEqual(String(decoding: UnsafeRawBufferPointer(start: record.message, count: record.message_len), as: UTF8.self), "Accepted")
            XCTAssertEqual(try ParseWire.decode(&r, record: &record, fields: &scratch), PQC_PARSE_UNPARSED)
            XCTAssertEqual(r.offset, r.base.count, "every byte read")
        }
    }

    func testTruncatedFrameIsAnErrorNotACrash() {
        var w = FrameWriter(.parsed)
        w.u8(UInt8(PQC_PARSE_RECORD.rawValue))
        w.i64(1)
        let frame = w.finish()
        var scratch = UnsafeMutableBufferPointer<pqc_kv>.allocate(capacity: 1)
        defer { scratch.deallocate() }
        XCTAssertThrowsError(try frame.readFrame(count: frame.count) { (r: inout FrameReader) throws(FrameError) in
            var record = pqc_log_record()
            _ = try ParseWire.decode(&r, record: &record, fields: &scratch)
        })
    }
}

import PluginABI
import LogSourcesCore
import PluginKit

/// Registers the spec's seven log parsers with the host. Parsing is in
/// `LogFormat` and the parsers; this file only moves results across the C ABI.
@_cdecl("pqc_plugin_entry")
public func pqcPluginEntry() -> UnsafePointer<pqc_plugin_descriptor> {
    PluginExport.descriptor(
        name: "log_sources", version: "1.0.0",
        description: "Log parsers: postgresql, journalctl, syslog, apache_error, simple_timestamp, fail2ban, certbot"
    ) { host in
        // Zone-less timestamps use the operator's `logs.timezone`, through the host.
        let time = LogTimeContext(
            localToUTC: { y, mo, d, h, mi, s, us in
                host.localTimeMicros(year: y, month: mo, day: d, hour: h, minute: mi, second: s, microsecond: us)
            },
            nowMicros: { host.nowMicros() })
        for format in LogFormat.allCases {
            try host.registerParser(name: format.rawValue) { _ in ABIParser(format.makeParser(time: time)) }
        }
        try host.registerSources(DefaultSources.all)
    }
}

/// One source's parser, filling `pqc_log_record` from a `ParseOutcome`.
final class ABIParser: LineParser {
    private var parser: any LogLineParser
    /// Reused for every line: the record's `fields` must stay valid until the next call,
    /// so they live in storage this object owns, not in a temporary array.
    private var kvs: UnsafeMutablePointer<pqc_kv>
    private var kvCapacity = 16

    init(_ parser: any LogLineParser) {
        self.parser = parser
        kvs = .allocate(capacity: kvCapacity)
    }

    deinit { kvs.deallocate() }

    func parse(_ line: UnsafeRawBufferPointer, into record: UnsafeMutablePointer<pqc_log_record>) -> pqc_parse_result {
        let outcome = parser.parse(line)
        switch outcome.kind {
        case .skip: return PQC_PARSE_SKIP
        case .unparsed: return PQC_PARSE_UNPARSED
        case .record, .continuation: break
        }
        record.pointee.ts_us = outcome.timestampMicros
        record.pointee.level = UInt32(outcome.level.rawValue)
        if let component = outcome.component {
            record.pointee.component = Self.chars(component)
            record.pointee.component_len = component.count
        }
        record.pointee.message = Self.chars(outcome.message)
        record.pointee.message_len = outcome.message.count
        if outcome.fields.count > kvCapacity {
            kvs.deallocate()
            kvCapacity = outcome.fields.count
            kvs = .allocate(capacity: kvCapacity)
        }
        for (index, field) in outcome.fields.enumerated() {
            var kv = pqc_kv()
            kv.key = UnsafeRawPointer(field.key.name.utf8Start).assumingMemoryBound(to: CChar.self)
            switch field.value {
            case .int(let i):
                kv.value.type = PQC_VALUE_INT.rawValue
                kv.value.v.i = i
            case .text(let t):
                kv.value.type = PQC_VALUE_TEXT.rawValue
                kv.value.v.s = Self.chars(t)
                kv.value.len = t.count
            }
            (kvs + index).initialize(to: kv)
        }
        record.pointee.fields = UnsafePointer(kvs)
        record.pointee.n_fields = outcome.fields.count
        return outcome.kind == .record ? PQC_PARSE_RECORD : PQC_PARSE_CONTINUATION
    }

    private static func chars(_ text: LogText) -> UnsafePointer<CChar>? {
        text.bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
    }
}

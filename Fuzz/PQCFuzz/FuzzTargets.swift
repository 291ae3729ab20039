#if canImport(Glibc)
import Glibc
#endif
@testable import AppMetricsCore
import ByteKit
import CollectorCore
import LogSourcesCore
import PluginABI

/// libFuzzer's entry: one input to the selected target.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzTargets.selected(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// One fuzz target: a name for the command line and what runs on each input.
struct FuzzTarget: Sendable {
    let name: String
    let body: @Sendable (UnsafeRawBufferPointer) -> Void
}

/// The targets: every parser a byte from outside the process reaches.
enum FuzzTargets {
    /// The target named by `PQC_FUZZ_TARGET`; the process exits 64 naming the
    /// targets when there is none.
    static let selected: @Sendable (UnsafeRawBufferPointer) -> Void = {
        let name = getenv("PQC_FUZZ_TARGET").map { String(cString: $0) } ?? ""
        guard let target = all.first(where: { $0.name == name }) else {
            StandardError.write("PQCFuzz: PQC_FUZZ_TARGET=\(name) is not a target\ntargets: \(all.map(\.name).joined(separator: " "))\n")
            exit(64)
        }
        return target.body
    }()

    static let all: [FuzzTarget] = [
        FuzzTarget(name: "toml", body: toml),
        FuzzTarget(name: "json", body: json),
        FuzzTarget(name: "journal-scanner", body: journalScanner),
        FuzzTarget(name: "copy", body: copy),
        FuzzTarget(name: "app-metrics", body: appMetrics),
        FuzzTarget(name: "runner-parse-results", body: runnerParseResults),
    ] + LogFormat.allCases.map { format in
        FuzzTarget(name: "parser-" + format.rawValue) { input in parseLines(input, format: format) }
    }

    /// A broken invariant: libFuzzer reports the input as a crash.
    static func require(_ condition: Bool, _ what: @autoclosure () -> String) {
        if !condition {
            StandardError.write("invariant broken: \(what())\n")
            abort()
        }
    }

    /// The configuration file: the TOML parser, then the whole loader. A parsed
    /// document was valid UTF-8, and an error points inside the input.
    static func toml(_ input: UnsafeRawBufferPointer) {
        let bytes = Array(input)
        do throws(TOMLParseError) {
            let tree = try TOMLParser.parse(bytes: bytes)
            require(UTF8Repair.firstInvalidOffset(input) == nil, "a document with invalid UTF-8 parsed")
            _ = tree.leafPaths()
            _ = try? ConfigLoader.load(bytes: bytes, environment: [:])
        } catch {
            let lines = bytes.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            require(error.line >= 1 && error.line <= lines && error.column >= 1, "error outside the input: \(error)")
        }
    }

    /// ByteKit's JSON reader, validator and object scanner. What the reader
    /// parses, the writer writes as JSON the reader parses again; the validator
    /// (COPY's JSONB check) accepts what the reader does not refuse for depth.
    static func json(_ input: UnsafeRawBufferPointer) {
        let bytes = Array(input)
        _ = JSONValidator.isValid(input)
        _ = JSONValidator.unstorableEscapes(input)
        if case .success(let value) = JSONParser.parse(bytes) {
            let text = value.jsonText
            if case .failure(let error) = JSONParser.parse(Array(text.utf8)) {
                require(false, "the writer's output does not parse again: \(error) in \(text.prefix(200))")
            }
        }
        if var scanner = try? JSONObjectScanner(input) {
            while let member = try? scanner.nextMember() {
                require(member.keyStart <= member.keyEnd && member.keyEnd <= input.count, "member key outside the input")
            }
        }
    }

    /// The host's `__CURSOR` scan of `journalctl -o json` lines.
    static func journalScanner(_ input: UnsafeRawBufferPointer) {
        for line in input.split(separator: 0x0A) {
            _ = JournalReader.cursor(in: UnsafeRawBufferPointer(rebasing: line))
        }
    }

    /// The COPY encoder: cells split at 0xFF bytes (which UTF-8 never has). The
    /// output is one row of valid UTF-8 without NUL, and unescaping each cell gives
    /// back its text under `TextPolicy`.
    static func copy(_ input: UnsafeRawBufferPointer) {
        let cells = input.split(separator: 0xFF, omittingEmptySubsequences: false).prefix(32)
        var encoder = CopyEncoder()
        for (index, cell) in cells.enumerated() {
            if index > 0 { encoder.appendSeparator() }
            encoder.appendText(UnsafeRawBufferPointer(rebasing: cell))
        }
        encoder.endRow()
        let out = encoder.bytes
        require(out.last == 0x0A && out.dropLast().allSatisfy { $0 != 0x0A && $0 != 0x0D && $0 != 0 }, "a row break or NUL inside the row")
        require(out.withUnsafeBytes { UTF8Repair.firstInvalidOffset($0) } == nil, "invalid UTF-8 in the COPY text")
        let decoded = out.dropLast().split(separator: 0x09, omittingEmptySubsequences: false).map(unescape)
        require(decoded.count == cells.count, "\(cells.count) cells written, \(decoded.count) read")
        for (cell, text) in zip(cells, decoded) {
            require(TextPolicy.storableString(UnsafeRawBufferPointer(rebasing: cell)) == text, "a cell does not round-trip")
        }
        var json = CopyEncoder()
        json.appendJSON(input)
        require(json.bytes.allSatisfy { $0 != 0x0A && $0 != 0x09 && $0 != 0 }, "a JSONB cell broke its row")
    }

    /// COPY text format's escapes, as PostgreSQL reads them.
    private static func unescape(_ cell: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        var escaped = false
        for byte in cell {
            if escaped {
                switch byte {
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                default: out.append(byte)
                }
                escaped = false
            } else if byte == 0x5C {
                escaped = true
            } else {
                out.append(byte)
            }
        }
        require(!escaped, "a cell ends in a lone backslash")
        return String(decoding: out, as: UTF8.self)
    }

    /// The AppMetrics plugin's scraped bodies: the JSON reader, then the API and
    /// proxy metric readers over whatever object it gives.
    static func appMetrics(_ input: UnsafeRawBufferPointer) {
        guard case .success(let document) = JSONParser.parse(Array(input)), document.isObject else { return }
        _ = ApiMetrics(document: document)
        _ = ProxyMetrics(document: document)
    }

    /// Parse results as an isolated plugin's runner sends them (`ParseWire`): the
    /// daemon decodes what a crashed or hostile child wrote. Every pointer it
    /// hands out must lie inside the frame (or the field scratch), so each is read.
    static func runnerParseResults(_ input: UnsafeRawBufferPointer) {
        var reader = FrameReader(input)
        var record = pqc_log_record()
        var fields = UnsafeMutableBufferPointer<pqc_kv>.allocate(capacity: 16)
        defer { fields.deallocate() }
        while reader.offset < input.count {
            guard let result = try? ParseWire.decode(&reader, record: &record, fields: &fields) else { return }
            guard result == PQC_PARSE_RECORD || result == PQC_PARSE_CONTINUATION else { continue }
            var sum = 0
            if let message = record.message {
                for i in 0..<record.message_len { sum &+= Int(message[i]) }
            }
            for i in 0..<(record.fields == nil ? 0 : record.n_fields) {
                guard let kv = record.fields?[i] else { break }
                sum &+= strlen(kv.key)
                if kv.value.type == PQC_VALUE_TEXT.rawValue || kv.value.type == PQC_VALUE_JSON.rawValue, let text = kv.value.v.s {
                    for j in 0..<kv.value.len { sum &+= Int(text[j]) }
                }
            }
            if let fingerprint = record.fingerprint { sum &+= strlen(fingerprint) }
            withExtendedLifetime(sum) {}  // the reads are the point: each would trap outside its buffer
        }
    }

    /// A log parser over the input's lines, in order and with one parser (its
    /// state carries between lines, as for a source), each outcome copied out.
    static func parseLines(_ input: UnsafeRawBufferPointer, format: LogFormat) {
        var parser = format.makeParser(time: .utc(now: 1_771_156_800_000_000))
        for line in input.split(separator: 0x0A, omittingEmptySubsequences: false) {
            let record = parser.parseCopy(Array(line))
            _ = record.fields.count
        }
    }
}

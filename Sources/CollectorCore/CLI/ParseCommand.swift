#if canImport(Glibc)
import Glibc
#endif
import ByteKit
import LogFingerprint
import PluginABI

/// `parse --parser NAME [--plugin FILE.so] [--source NAME] [--strict] [FILE|-]`:
/// the parser author's inner loop. Runs one parser over a file (or stdin)
/// without a database, through the daemon's loader and isolation, and prints
/// one JSON object per record as the daemon would store it: continuation lines
/// joined to their record, unparsed lines kept raw. A summary goes to stderr.
package struct ParseCommand: CollectorSubcommand {
    package static let spec = CommandSpec(
        name: "parse", abstract: "Run a log parser over a file or stdin without a database; print one JSON object per record.",
        options: [ConfigOption.spec,
                  .value("parser", "name", "The parser to run (see 'pqcrypta-collector plugins')."),
                  .value("plugin", "file.so", "Load only this plugin file (instead of the configured plugins) and take the parser from it."),
                  .value("source", "name", "The source name the parser instance is created for (default: the parser's name)."),
                  .flag("strict", "Exit 1 when any line was not parsed.")],
        arguments: [.init(name: "file", help: "The log to parse; '-' or none reads stdin.", optional: true)])

    package let options: ConfigOption
    package let parser: String
    package let plugin: String?
    package let source: String?
    package let strict: Bool
    package let file: String?

    package init(_ arguments: ParsedArguments) throws(UsageError) {
        options = ConfigOption(arguments)
        guard let parser = arguments.string("parser") else { throw UsageError("missing --parser <name>", command: Self.spec) }
        self.parser = parser
        plugin = arguments.string("plugin")
        source = arguments.string("source")
        strict = arguments.flag("strict")
        file = arguments.arguments.first.flatMap { $0 == "-" ? nil : $0 }
    }

    package func run() throws {
        var config = try options.load(quiet: true)
        if let plugin { config.plugins.files = [plugin.contains("/") ? plugin : "./" + plugin] }
        LoggingSetup.bootstrap(levelText: ProcessEnvironment.variables()["LOG_LEVEL"] ?? "error")
        let input: [UInt8]
        do throws(ParseInputError) {
            input = try Self.readInput(file)
        } catch {
            ProcessEnvironment.printError("error: \(error.description)")
            throw CommandExit(1)
        }

        let services = HostServices.offline(config)
        let registry = RunnerRegistry()
        let isolating = PluginLoader.isolatingInit(config: config, stats: services.stats, lanes: [:], registry: registry,
                                                   logger: Logger(label: "parse"))
        let report = PluginLoader(services: services, remoteInit: isolating).loadAll()
        defer {
            registry.stopAll()
            report.loaded.filter { registry.clients[$0.name] == nil }.shutDown()
        }
        if let bad = report.configurationErrors.first {
            ProcessEnvironment.printError("error: \(bad.reason)")
            throw CommandExit(2)
        }
        guard let owner = report.loaded.first(where: { $0.parsers.contains { $0.name == parser } }),
            let registration = owner.parsers.first(where: { $0.name == parser })
        else {
            let known = report.loaded.flatMap { $0.parsers.map(\.name) }.sorted()
            let refused = report.refused.map { "\n  \($0.description)" }.joined()
            ProcessEnvironment.printError("error: no loaded plugin provides parser '\(parser)' (loaded: \(known.isEmpty ? "none" : known.joined(separator: ", ")))\(refused)")
            throw CommandExit(1)
        }

        let sourceName = source ?? parser
        let lines = Self.splitLines(input, maxBytes: config.logs.maxLineBytes)
        var printer = ParseRecordPrinter(source: sourceName)
        if let client = registry.clients[owner.name] {
            // The same batches the daemon sends its runner.
            var start = 0
            while start < lines.count {
                let count = min(config.logs.maxLinesPerTick, lines.count - start)
                let failure: RunnerFailure? = input.withUnsafeBytes { bytes in
                    do throws(RunnerFailure) {
                        try client.parse(parser: parser, source: sourceName, count: count,
                                         line: { UnsafeRawBufferPointer(rebasing: bytes[lines[start + $0]]) }) { i, result, record in
                            let line = UnsafeRawBufferPointer(rebasing: bytes[lines[start + i]])
                            printer.add(ParsedLine(result, record, line: line), lineNumber: start + i + 1)
                        }
                        return nil
                    } catch {
                        return error
                    }
                }
                if let failure {
                    printer.finish()
                    ProcessEnvironment.printError("error: parser \(parser) failed\(failure.lineIndex.map { " on line \(start + $0 + 1)" } ?? ""): \(failure.message)")
                    throw CommandExit(1)
                }
                start += count
            }
        } else {
            let instance = ParserInstance(registration, source: sourceName, options: config.logs.sourceEntries.first { $0.name == sourceName }?.options ?? [])
            input.withUnsafeBytes { bytes in
                for (i, range) in lines.enumerated() {
                    printer.add(instance.parse(UnsafeRawBufferPointer(rebasing: bytes[range])), lineNumber: i + 1)
                }
            }
        }
        printer.finish()
        let c = printer.counts
        ProcessEnvironment.printError("parse: \(lines.count) line(s): \(c.records) record(s), \(c.continuations) continuation(s), \(c.skipped) skipped, \(c.unparsed) unparsed")
        if strict && c.unparsed > 0 { throw CommandExit(1) }
    }

    /// The byte ranges of the lines (no newline, no trailing CR), each at most `maxBytes` like the tailer's.
    package static func splitLines(_ input: [UInt8], maxBytes: Int) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        var start = 0
        while start < input.count {
            var end = input[start...].firstIndex(of: 0x0A) ?? input.count
            let next = end + 1
            if end > start && input[end - 1] == 0x0D { end -= 1 }
            lines.append(start..<min(end, start + maxBytes))
            start = next
        }
        return lines
    }

    private struct ParseInputError: Error, CustomStringConvertible {
        let description: String
    }

    private static func readInput(_ path: String?) throws(ParseInputError) -> [UInt8] {
        let fd = path.map { open($0, O_RDONLY | O_CLOEXEC) } ?? STDIN_FILENO
        guard fd >= 0 else { throw ParseInputError(description: "cannot open \(path ?? "-"): \(String(cString: strerror(errno)))") }
        defer { if path != nil { close(fd) } }
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw ParseInputError(description: "cannot read \(path ?? "stdin"): \(String(cString: strerror(errno)))") }
            if n == 0 { return data }
            data += chunk[0..<n]
        }
    }
}

/// Joins parse results into records as the ingester does and prints each
/// finished one as a JSON line on stdout.
package struct ParseRecordPrinter {
    package struct Counts: Equatable {
        package var records = 0, continuations = 0, skipped = 0, unparsed = 0
    }

    package let source: String
    package private(set) var counts = Counts()
    private var pending: ParsedLine?
    private var firstLine = 0, lastLine = 0
    private var fingerprinter = LogFingerprinter()
    /// Where the JSON goes: stdout by default, a collecting closure in tests.
    private let emit: (String) -> Void

    package init(source: String, emit: @escaping (String) -> Void = { print($0) }) {
        self.source = source
        self.emit = emit
    }

    package mutating func add(_ line: ParsedLine, lineNumber: Int) {
        switch line.kind {
        case .skip:
            counts.skipped += 1
        case .continuation where pending != nil && pending?.kind != .unparsed:
            counts.continuations += 1
            pending?.message += "\n" + line.message
            pending?.fields += line.fields
            if let level = pending?.level, line.level.severity > level.severity { pending?.level = line.level }
            lastLine = lineNumber
        case .record, .continuation, .unparsed:
            // An orphan continuation stands alone, as in the daemon.
            finish()
            if line.kind == .unparsed { counts.unparsed += 1 } else { counts.records += 1 }
            pending = line
            firstLine = lineNumber
            lastLine = lineNumber
        }
    }

    /// Prints the pending record, if any.
    package mutating func finish() {
        guard let r = pending else { return }
        pending = nil
        var w = JSONWriter(capacity: 256 + r.message.utf8.count)
        w.beginObject()
        w.key("lines"); w.beginArray(); w.value(firstLine); w.value(lastLine); w.endArray()
        w.key("ts")
        if r.timestampMicros != 0 { w.value(TimestampText.rfc3339(micros: r.timestampMicros)) } else { w.null() }
        w.key("level"); w.value(r.level.rawValue)
        w.key("component")
        if let component = r.component { w.value(component) } else { w.null() }
        w.key("message"); w.value(r.message)
        // The context column: a repeated key keeps its last value, as jsonb does.
        w.key("fields"); w.beginObject()
        for (i, field) in r.fields.enumerated() where !r.fields[(i + 1)...].contains(where: { $0.key == field.key }) {
            w.key(field.key)
            switch field.value {
            case .null: w.null()
            case .bool(let b): w.value(b)
            case .int(let n): w.value(n)
            case .double(let d): w.value(exactly: d)
            case .text(let t): w.value(t)
            }
        }
        if r.kind == .unparsed { w.key("unparsed"); w.value(true) }
        w.endObject()
        var message = r.message
        let fingerprint = r.fingerprint ?? message.withUTF8 { fingerprinter.fingerprint(source: source, level: r.level.rawValue, message: UnsafeRawBufferPointer($0)) }
        w.key("fingerprint"); w.value(fingerprint)
        let template = message.withUTF8 { fingerprinter.normalize(UnsafeRawBufferPointer($0)) }
        w.key("template"); w.value(String(decoding: template, as: UTF8.self))
        w.endObject()
        emit(String(decoding: w.bytes, as: UTF8.self))
    }
}

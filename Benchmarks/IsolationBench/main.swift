// IsolationBench: an isolated parser's throughput against the same parser in
// process (docs/benchmarks.md, "Plugin isolation"). Both paths run the
// daemon's own code for one file source up to the COPY bytes: the in-process
// path calls the parser through the C ABI per line (`LogSource.accept`); the
// isolated path sends batches of lines to a real plugin runner
// (`pqcrypta-collector plugin-runner`, started by `RunnerClient`) and applies
// the results it sends back (`LogSource.accept(parsed:)`). The database is
// left out on purpose: it costs both paths the same, and would only dilute
// the difference being measured.
//
//     IsolationBench --plugin libLogSources.so --parser syslog --collector pqcrypta-collector [--lines N] [--input FILE]
#if canImport(Glibc)
import Glibc
#endif
import CollectorCore
import PluginABI

var pluginPath = "", parserName = "syslog", collector = "", lines = 500_000, inputPath: String?
var argv = CommandLine.arguments.dropFirst().makeIterator()
while let a = argv.next() {
    switch a {
    case "--plugin": pluginPath = argv.next() ?? ""
    case "--parser": parserName = argv.next() ?? parserName
    case "--collector": collector = argv.next() ?? ""
    case "--lines": lines = argv.next().flatMap { Int($0) } ?? lines
    case "--input": inputPath = argv.next()
    default:
        print("usage: IsolationBench --plugin FILE.so --parser NAME --collector BINARY [--lines N] [--input FILE]")
        exit(2)
    }
}
guard !pluginPath.isEmpty, !collector.isEmpty else {
    print("--plugin and --collector are required")
    exit(2)
}

// The input: lines of FILE (or synthetic syslog lines), repeated to N lines.
var base: [[UInt8]] = []
if let inputPath, let f = fopen(inputPath, "r") {
    var line: UnsafeMutablePointer<CChar>?
    var cap = 0
    while getline(&line, &cap, f) > 0, let l = line {
        var bytes = Array(UnsafeRawBufferPointer(start: l, count: strlen(l)))
        while bytes.last == 0x0A || bytes.last == 0x0D { bytes.removeLast() }
        if !bytes.isEmpty { base.append(bytes) }
    }
    free(line)
    fclose(f)
}
if base.isEmpty {
    base = [
        "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0 euid=0 tty=NODEVssh ruser= rhost=218.188.2.4",
        "Jun 15 04:06:18 combo su(pam_unix)[21416]: session opened for user cyrus by (uid=0)",
        "Jul  1 09:00:55 calvisitor kernel: [ 1102.351256] usb 1-1: new high-speed USB device number 3 using ehci-pci",
    ].map { Array($0.utf8) }
}
var corpus: [[UInt8]] = []
corpus.reserveCapacity(lines)
for i in 0..<lines { corpus.append(base[i % base.count] + Array(" seq=\(i)".utf8)) }
let totalBytes = corpus.reduce(0) { $0 + $1.count + 1 }

var config = CollectorConfig()
config.plugins.files = [pluginPath]
config.collector.hostname = "bench"
let services = HostServices.offline(config)
let report = PluginLoader(services: services).loadAll()
guard let plugin = report.loaded.first, let registration = plugin.parsers.first(where: { $0.name == parserName }) else {
    print("cannot load parser \(parserName) from \(pluginPath): \(report.refused.map(\.description))")
    exit(1)
}
/// One measured configuration: the corpus through one path.
struct Bench {
    let corpus: [[UInt8]]
    let parserName: String
    let registration: ParserRegistration
    let client: RunnerClient
    let sourceConfig: LogSourceConfig
    let now = Int64(1_700_000_000_000_000)

    /// Rows encoded and COPY bytes (a check that both paths did the same work) and seconds.
    func inProcess() -> (rows: Int, bytes: Int, secs: Double) {
        let source = LogSource(config: sourceConfig, parser: ParserInstance(registration, source: "bench"), hostname: "bench", maxMessageBytes: 65536)
        var encoder = CopyEncoder(reservingCapacity: 2 << 20)
        var rows = 0, bytes = 0, offset: Int64 = 0
        let start = MonotonicClock.nowNanos()
        for line in corpus {
            offset += Int64(line.count + 1)
            let position = LogSource.Position.file(FilePosition(device: 1, inode: 1, offset: offset))
            let done = line.withUnsafeBytes { source.accept($0, truncated: false, position: position, into: &encoder, now: now) }
            if done { rows += 1 }
            if encoder.bytes.count >= 1 << 20 { bytes += encoder.bytes.count; encoder.removeAll() }
        }
        source.builder.finish(into: &encoder, now: now)
        rows += 1
        bytes += encoder.bytes.count
        return (rows, bytes, Double(MonotonicClock.nowNanos() - start) / 1e9)
    }

    func isolated() -> (rows: Int, bytes: Int, secs: Double) {
        let source = LogSource(config: sourceConfig, parser: nil, remote: client, hostname: "bench", maxMessageBytes: 65536)
        var encoder = CopyEncoder(reservingCapacity: 2 << 20)
        var rows = 0, bytes = 0, offset: Int64 = 0
        var batch = LineBatch()
        let start = MonotonicClock.nowNanos()
        func send() {
            let b = batch
            b.withLines { line in
                do throws(RunnerFailure) {
                    try client.parse(parser: parserName, source: "bench", count: b.count, line: line) { i, result, record in
                        let position = b.entries[i].position
                        if source.accept(parsed: result, record, line: line(i), truncated: false, position: position, into: &encoder, now: now) {
                            rows += 1
                        }
                    }
                } catch {
                    print("runner failed: \(error)")
                    exit(1)
                }
            }
            batch.removeAll()
            if encoder.bytes.count >= 1 << 20 { bytes += encoder.bytes.count; encoder.removeAll() }
        }
        for line in corpus {
            offset += Int64(line.count + 1)
            let position = LogSource.Position.file(FilePosition(device: 1, inode: 1, offset: offset))
            line.withUnsafeBytes { batch.append(bytes: $0, position: position, truncated: false) }
            if batch.count >= LogIngester.linesPerParseRequest || batch.bytes.count >= LogIngester.bytesPerParseRequest { send() }
        }
        if !batch.isEmpty { send() }
        source.builder.finish(into: &encoder, now: now)
        rows += 1
        bytes += encoder.bytes.count
        return (rows, bytes, Double(MonotonicClock.nowNanos() - start) / 1e9)
    }
}

/// Two decimals, without Foundation.
func fixed2(_ x: Double) -> String {
    let hundredths = Int((x * 100).rounded())
    let fraction = hundredths % 100
    return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
}

var settings = IsolationSettings()
settings.isolate = true
RunnerClient.executableOverride = collector
let client = RunnerClient(plugin: plugin, settings: settings, configPath: "/dev/null", stats: services.stats, lanes: [:])
let bench = Bench(corpus: corpus, parserName: parserName, registration: registration, client: client,
                  sourceConfig: LogSourceConfig(name: "bench", kind: .file, target: "/bench.log", parser: parserName))

print("input: \(lines) lines, \(totalBytes / 1024) KiB; parser \(parserName) of \(plugin.name)")
// Warm both paths (the runner starts on its first request), then the best of three.
_ = bench.isolated()
_ = bench.inProcess()
var bestIn = bench.inProcess(), bestIso = bench.isolated()
for _ in 0..<2 {
    let a = bench.inProcess()
    if a.secs < bestIn.secs { bestIn = a }
    let b = bench.isolated()
    if b.secs < bestIso.secs { bestIso = b }
}
client.stop()
for (name, r) in [("in process", bestIn), ("isolated", bestIso)] {
    let perSec = Double(lines) / r.secs
    let mib = Double(totalBytes) / r.secs / 1_048_576
    print("\(name): \(Int(perSec)) lines/s, \(fixed2(mib)) MiB/s (\(r.rows) rows, \(r.bytes) COPY bytes)")
}
print("ratio isolated / in process: \(fixed2(bestIn.secs / bestIso.secs)) (target >= 0.50)")
if bestIn.rows != bestIso.rows || bestIn.bytes != bestIso.bytes { print("WARNING: the two paths produced different rows") }

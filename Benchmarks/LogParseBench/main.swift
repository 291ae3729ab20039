#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LogFingerprint
import LogSourcesCore

/// Parse + fingerprint throughput per parser on one core.
///
///     swift run -c release LogParseBench [--mib N] [--samples DIR] [--parse-only] [--only SOURCE]
///
/// Each parser gets a corpus of real sample lines repeated to N MiB (default 64) in
/// memory; the best of three passes is reported, for parsing alone and for parsing
/// plus the standard fingerprint of every record (what the host does per line).

var targetMiB = 64
var samplesArgument: String?
var parseOnly = false
var onlySource: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--mib": targetMiB = arguments.next().flatMap { Int($0) } ?? targetMiB
    case "--samples": samplesArgument = arguments.next()
    case "--parse-only": parseOnly = true
    case "--only": onlySource = arguments.next()
    default:
        print("usage: LogParseBench [--mib N] [--samples DIR] [--parse-only] [--only SOURCE]")
        exit(2)
    }
}

let samples = SampleFiles.directory(samplesArgument)
print("samples: \(samples ?? "absent (the repository's fixtures only)")")
/// The logs in Tests/Fixtures/logs that the parser tests use too.
let fixtures: String = {
    var path = #filePath
    for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
    return path + "/Tests/Fixtures/logs"
}()

/// The source name and sample lines of each parser.
let corpora: [(LogFormat, String, [[UInt8]])] = [
    (.syslog, "auth", SampleFiles.lines(samples, "loghub/Linux_2k.log") + SampleFiles.lines(fixtures, "syslog-rfc5424.log")),
    // sshd and kernel firewall lines only: the cost of the security fields (docs/log-fields.md).
    (.syslog, "auth_sshd",
     SampleFiles.lines(fixtures, "sshd-9.2-auth.log") + SampleFiles.lines(fixtures, "netfilter-6.18-kern.log")),
    (.apacheError, "apache_error",
     SampleFiles.lines(samples, "fail2ban/apache-auth", dropComments: true) + SampleFiles.lines(fixtures, "apache-2.4-error.log")),
    (.postgresql, "postgresql",
     SampleFiles.lines(samples, "pgbadger/queryid.log") + SampleFiles.lines(samples, "pgbadger/stmt_type.log")
        + SampleFiles.lines(samples, "pgbadger/multiline_param.log") + SampleFiles.lines(fixtures, "postgresql-15.log")),
    (.journalctl, "api", SampleFiles.lines(fixtures, "journalctl-pqcrypta-api.json")),
    (.fail2ban, "fail2ban", SampleFiles.lines(fixtures, "fail2ban-1.0.2.log")),
    (.certbot, "certbot", SampleFiles.lines(fixtures, "certbot-2.1.0-letsencrypt.log")),
    (.simpleTimestamp, "health_check", SampleFiles.lines(fixtures, "simple-timestamp.log")),
]

/// The thread's CPU time, not the wall clock: on a machine shared with other builds
/// a pass that waits for a core would otherwise count the wait as parsing.
func monotonicSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

struct PassResult {
    var seconds: Double
    var records = 0
    var continuations = 0
    var other = 0
    var checksum = 0
}

/// One pass over the corpus with a fresh parser (as a new source would have).
func runPass(_ format: LogFormat, source: String, corpus: Corpus, fingerprint: Bool) -> PassResult {
    var parser = format.makeParser(time: .utc(now: 1_771_156_800_000_000))  // 2026-02-15 12:00 UTC
    var fingerprinter = LogFingerprinter()
    var result = PassResult(seconds: 0)
    var sourceBytes = Array(source.utf8)
    let levelNames = LogLevel.allCases.map { Array($0.storedName.utf8) }
    let start = monotonicSeconds()
    corpus.bytes.withUnsafeBytes { all in
        sourceBytes.withUnsafeMutableBytes { sourceRaw in
            let sourceView = UnsafeRawBufferPointer(sourceRaw)
            for index in 0..<corpus.lineCount {
                let line = UnsafeRawBufferPointer(
                    rebasing: all[corpus.lineStarts[index]..<(corpus.lineStarts[index] + corpus.lineLengths[index])])
                let outcome = parser.parse(line)
                switch outcome.kind {
                case .record:
                    result.records += 1
                    if fingerprint {
                        // What the host does per record: the 8 fingerprint bytes, then
                        // 16 hex characters written into its row buffer (no String).
                        let name = levelNames[Int(outcome.level.rawValue)]
                        let value = name.withUnsafeBytes {
                            fingerprinter.fingerprintBytes(source: sourceView, level: $0, message: outcome.message.bytes)
                        }
                        withUnsafeTemporaryAllocation(byteCount: 16, alignment: 1) { hex in
                            LogFingerprinter.writeHex(value, into: hex)
                            result.checksum &+= Int(hex[0])
                        }
                    } else {
                        result.checksum &+= outcome.message.count &+ Int(outcome.timestampMicros & 0xFF)
                    }
                case .continuation: result.continuations += 1
                case .skip, .unparsed: result.other += 1
                }
            }
        }
    }
    result.seconds = monotonicSeconds() - start
    return result
}

func format(_ value: Double, _ decimals: Int) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    return String(rounded)
}

func pad(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
}

/// Keeps every pass's result observable, so no work is optimised away.
var sink = 0

print("corpus per parser: \(targetMiB) MiB in memory, best of 3 passes, one core (thread CPU time)")
print([pad("parser", 17), pad("lines", 9), pad("parse MiB/s", 12), pad("parse lines/s", 14),
       pad("+fp MiB/s", 10), pad("+fp lines/s", 12), pad("rec/cont/other %", 18)].joined(separator: " "))
for (logFormat, source, lines) in corpora where onlySource == nil || onlySource == source {
    let corpus = Corpus(lines: lines, targetBytes: targetMiB << 20)
    let mebibytes = Double(corpus.bytes.count) / Double(1 << 20)
    var bestParse = Double.infinity
    var bestFull = Double.infinity
    var last = PassResult(seconds: 0)
    for _ in 0..<3 {
        let parsed = runPass(logFormat, source: source, corpus: corpus, fingerprint: false)
        bestParse = min(bestParse, parsed.seconds)
        last = parseOnly ? parsed : runPass(logFormat, source: source, corpus: corpus, fingerprint: true)
        sink &+= parsed.checksum &+ last.checksum
        bestFull = min(bestFull, last.seconds)
    }
    let total = Double(corpus.lineCount)
    let shares = [last.records, last.continuations, last.other].map { format(100 * Double($0) / total, 0) }
    print([
        pad(source == "auth_sshd" ? "syslog (sshd+fw)" : logFormat.rawValue, 17), pad(String(lines.count), 9),
        pad(format(mebibytes / bestParse, 1), 12), pad(String(Int(total / bestParse)), 14),
        pad(format(mebibytes / bestFull, 1), 10), pad(String(Int(total / bestFull)), 12),
        pad(shares.joined(separator: "/"), 18),
    ].joined(separator: " "))
}
print("(checksum \(sink & 0xFFFF))")

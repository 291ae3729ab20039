// pqcrypta-backtest: the live analyzer's anomaly detector over a CSV file.
// Thin on purpose: arguments and CSV here, the detector in IntelligenceCore.
import Glibc
import IntelligenceCore

/// Writes all of `text` to a descriptor (stdio's FILE globals are not
/// concurrency-safe in Swift 6, and these messages need no buffering).
func writeAll(_ fd: Int32, _ text: String) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
        let n = bytes.withUnsafeBytes { buf -> Int in
            guard let base = buf.baseAddress else { return 0 }
            return write(fd, base + offset, buf.count - offset)
        }
        if n < 0 && errno == EINTR { continue }
        if n <= 0 { return }
        offset += n
    }
}

func fail(_ message: String, status: Int32) -> Never {
    writeAll(2, "pqcrypta-backtest: \(message)\n")
    exit(status)
}

switch Arguments.parse(Array(CommandLine.arguments.dropFirst())) {
case .help:
    writeAll(1, usage)
    exit(0)
case .usageError(let message):
    writeAll(2, "pqcrypta-backtest: \(message)\n\n\(usage)")
    exit(64)
case .run(let arguments):
    var out = OutputBuffer()
    do {
        let bytes = try readAll(path: arguments.path)
        if arguments.epochsOnly {
            try printEpochs(bytes, out: &out)
        } else {
            try backtest(bytes, config: arguments.config, out: &out)
        }
    } catch {
        // Nothing is printed for a malformed file: half a result would look whole.
        let at = error.line > 0 ? "\(arguments.path):\(error.line): " : "\(arguments.path): "
        fail("\(at)\(error.message)", status: 2)
    }
    out.flush()
    exit(0)
}

// pqcrypta-backtest: the live analyzer's anomaly detector over a CSV file.
// Thin on purpose: arguments and CSV here, the detector in IntelligenceCore.
import Glibc
import IntelligenceCore

func fail(_ message: String, status: Int32) -> Never {
    fputs("pqcrypta-backtest: \(message)\n", stderr)
    exit(status)
}

switch Arguments.parse(Array(CommandLine.arguments.dropFirst())) {
case .help:
    fputs(usage, stdout)
    exit(0)
case .usageError(let message):
    fputs("pqcrypta-backtest: \(message)\n\n\(usage)", stderr)
    exit(64)
case .run(let arguments):
    var out = OutputBuffer()
    do {
        let bytes = try readAll(path: arguments.path)
        try backtest(bytes, config: arguments.config, out: &out)
    } catch {
        // Nothing is printed for a malformed file: half a result would look whole.
        let at = error.line > 0 ? "\(arguments.path):\(error.line): " : "\(arguments.path): "
        fail("\(at)\(error.message)", status: 2)
    }
    out.flush()
    exit(0)
}

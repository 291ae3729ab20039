import IntelligenceCore

let usage = """
    usage: pqcrypta-backtest [--direction both|up|down] [--threshold X] FILE.csv

    Runs the live analyzer's anomaly detector, with its defaults, over FILE.csv
    (header `timestamp,value`; timestamps ISO 8601, `YYYY-MM-DD HH:MM:SS` UTC or
    epoch seconds; rows in time order) and prints `timestamp,anomaly_score,anomaly`
    for every row. An empty value (or NULL, NaN, NA) is a missing point: score 0.
    FILE.csv may be - for standard input.

      --direction D   which deviations count: both (default), up, down
      --threshold X   anomaly when score >= X, 0 < X <= 1 (default 0.5)
      --epochs        print `timestamp,epoch_seconds` (how each timestamp is
                      read) instead of scores
      --help          this text

    Exit status: 0 done, 2 unreadable or malformed file (the message names the line),
    64 bad usage.

    """

struct Arguments {
    var config = DetectorConfig()
    var path = ""
    var epochsOnly = false

    enum Outcome {
        case run(Arguments)
        case help
        case usageError(String)
    }

    static func parse(_ argv: [String]) -> Outcome {
        var a = Arguments()
        var path: String?
        var i = 0
        func value(_ name: String) -> String? {
            i += 1
            return i < argv.count ? argv[i] : nil
        }
        while i < argv.count {
            var arg = argv[i]
            var inline: String?
            if arg.hasPrefix("--"), let eq = arg.firstIndex(of: "=") {
                inline = String(arg[arg.index(after: eq)...])
                arg = String(arg[..<eq])
            }
            switch arg {
            case "--help", "-h":
                return .help
            case "--epochs":
                a.epochsOnly = true
            case "--direction":
                guard let v = inline ?? value(arg) else { return .usageError("--direction needs a value") }
                guard let d = AnomalyDirection(rawValue: v) else {
                    return .usageError("--direction must be both, up or down, not '\(v)'")
                }
                a.config.direction = d
            case "--threshold":
                guard let v = inline ?? value(arg) else { return .usageError("--threshold needs a value") }
                guard let x = Double(v), x > 0, x <= 1 else {
                    return .usageError("--threshold must be a number in (0, 1], not '\(v)'")
                }
                a.config.threshold = x
            case "--":
                i += 1
                if i < argv.count {
                    guard path == nil else { return .usageError("one FILE.csv, please") }
                    path = argv[i]
                }
                i += 1
                continue
            default:
                if arg.hasPrefix("-") && arg != "-" { return .usageError("unknown option '\(argv[i])'") }
                guard path == nil else { return .usageError("one FILE.csv, please") }
                path = arg
            }
            i += 1
        }
        guard let path else { return .usageError("no FILE.csv given") }
        a.path = path
        return .run(a)
    }
}

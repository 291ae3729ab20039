// Runs the shared anomaly detector over a labelled synthetic set at the default
// threshold and prints precision and recall per shape and overall, point-wise and
// event-wise, then the detector's throughput.
//
//   swift run -c release BacktestEval [series-per-shape (10)] [throughput-points (10 M)] [setting=value ...]
//
// EVAL_DEBUG=<shape> lists each series' events (+ detected, score at the start) and
// false alarms; EVAL_TRACE=<shape> prints the detector state point by point.
import Glibc
import IntelligenceCore

/// Points after an event's start that still count as detecting it (a detector
/// that needs one more point to be sure is not wrong).
let tolerance = 3

struct Tally {
    var truePoints = 0, flaggedPoints = 0, labelledPoints = 0
    var events = 0, detectedEvents = 0, falseEvents = 0
    /// False events starting after the series' first 14 days (the weekly shape's
    /// first weekends and Mondays are new to any detector).
    var lateFalseEvents = 0
    var byKind: [String: (Int, Int)] = [:]

    mutating func add(_ o: Tally) {
        truePoints += o.truePoints; flaggedPoints += o.flaggedPoints; labelledPoints += o.labelledPoints
        events += o.events; detectedEvents += o.detectedEvents; falseEvents += o.falseEvents
        lateFalseEvents += o.lateFalseEvents
        for (k, v) in o.byKind { let c = byKind[k] ?? (0, 0); byKind[k] = (c.0 + v.0, c.1 + v.1) }
    }
}

func evaluate(_ s: LabelledSeries, config: DetectorConfig) -> Tally {
    var detector = AnomalyDetector(config: config)
    let n = s.values.count
    var flagged = [Bool](repeating: false, count: n)
    var scores = [Double](repeating: 0, count: n)
    for i in 0..<n {
        scores[i] = detector.score(timestamp: s.timestamps[i], value: s.values[i])
        flagged[i] = detector.isAnomaly(scores[i])
        if let d = getenv("EVAL_TRACE"), String(cString: d) == s.shape, i % 10 == 0 || flagged[i] || s.events.contains(where: { $0.range.contains(i) }) {
            print("  \(i) x=\(s.values[i]) score=\(scores[i]) \(detector.diagnostics)")
        }
    }
    var inWindow = [Bool](repeating: false, count: n)
    var t = Tally()
    for e in s.events {
        for i in e.range.lowerBound..<min(e.range.upperBound + tolerance, n) { inWindow[i] = true }
        for i in e.range where i < n { _ = i; t.labelledPoints += 1 }
        let hit = (e.range.lowerBound..<min(e.range.upperBound + tolerance, n)).contains { flagged[$0] }
        t.events += 1
        if hit { t.detectedEvents += 1 }
        let c = t.byKind[e.kind] ?? (0, 0)
        t.byKind[e.kind] = (c.0 + (hit ? 1 : 0), c.1 + 1)
    }
    if let d = getenv("EVAL_DEBUG"), String(cString: d) == s.shape {
        var line = "\(s.shape) n=\(n) seasonal=\(detector.seasonalActive) weekly=\(detector.weeklyActive) events:"
        for e in s.events {
            let hit = (e.range.lowerBound..<min(e.range.upperBound + tolerance, n)).contains { flagged[$0] }
            line += " \(e.kind)@\(e.range.lowerBound)\(hit ? "+" : "-")\(Int(100 * scores[e.range.lowerBound]))"
        }
        line += " | false at:"
        var prev = false
        for i in 0..<n where flagged[i] && !inWindow[i] {
            _ = prev
            line += " \(i)"
            prev = true
        }
        print(line)
    }
    var inRun = false
    for i in 0..<n {
        if flagged[i] {
            t.flaggedPoints += 1
            if inWindow[i] {
                t.truePoints += 1
                inRun = false
            } else {
                if !inRun {
                    t.falseEvents += 1
                    if s.timestamps[i] - s.timestamps[0] >= 14 * 86_400 { t.lateFalseEvents += 1 }
                }
                inRun = true
            }
        } else {
            inRun = false
        }
    }
    // Point-wise recall counts the labelled points (without the tolerance) that are flagged.
    var recalled = 0
    for e in s.events { for i in e.range where i < n && flagged[i] { recalled += 1 } }
    t.byKind["_recalledPoints"] = (recalled, 0)
    return t
}

func pct(_ a: Int, _ b: Int) -> String {
    guard b > 0 else { return "   -  " }
    let v = 100 * Double(a) / Double(b)
    var s = String(Int((v * 10).rounded()))
    while s.count < 2 { s = "0" + s }
    s.insert(".", at: s.index(s.endIndex, offsetBy: -1))
    return String(repeating: " ", count: max(0, 6 - s.count)) + s
}

func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

// Positional: series per shape, throughput points; key=value pairs override
// defaults, to try settings (k, memory, gain, z, quiet, shift, alpha, beta, scale, warmup).
var positional: [Int] = []
var config = DetectorConfig()
for arg in CommandLine.arguments.dropFirst() {
    let kv = arg.split(separator: "=", maxSplits: 1).map(String.init)
    if kv.count == 2, let v = Double(kv[1]) {
        switch kv[0] {
        case "k": config.familiarRank = Int(v)
        case "memory": config.memorySeconds = Int64(v)
        case "damp": config.firstDayDamping = v
        case "repeat": config.repeatWeight = v
        case "ratio": config.noveltyRatio = v
        case "z": config.thresholdZ = v
        case "quiet": config.quietZ = v
        case "shift": config.shiftPoints = Int(v)
        case "alpha": config.levelRate = v
        case "beta": config.trendRate = v
        case "scale": config.scaleRate = v
        case "warmup": config.warmUpPoints = Int(v)
        case "floor": config.relativeScaleFloor = v
        case "wgain": config.weeklyGain = v
        case "wdays": config.weeklyMinDays = v
        default: print("unknown setting \(kv[0])"); exit(64)
        }
    } else if let v = Int(arg) {
        positional.append(v)
    }
}
let perShape = positional.count > 0 ? positional[0] : 10
let throughputPoints = positional.count > 1 ? positional[1] : 10_000_000

var generator = Generator(seed: 20_240_201)
let set = generator.all(perShape: perShape)

var byShape: [(String, Tally)] = []
var overall = Tally()
for s in set {
    let t = evaluate(s, config: config)
    if let i = byShape.firstIndex(where: { $0.0 == s.shape }) { byShape[i].1.add(t) } else { byShape.append((s.shape, t)) }
    overall.add(t)
}

print("Labelled synthetic set: \(set.count) series (\(perShape) per shape), seed 20240201, threshold \(config.threshold)")
print("point-wise: precision = flagged points inside a label window (+\(tolerance)) / flagged; recall = labelled points flagged / labelled")
print("event-wise: an event is detected if any point in its window (+\(tolerance)) is flagged; a false event is a run of flagged points outside every window")
print("")
print("\(pad("shape", 14)) points  p.prec  p.rec | events  e.prec  e.rec  false (after day 14)")
for (name, t) in byShape + [("overall", overall)] {
    let recalled = t.byKind["_recalledPoints"]?.0 ?? 0
    let eprec = pct(t.detectedEvents, t.detectedEvents + t.falseEvents)
    print("\(pad(name, 14)) \(pad(String(t.labelledPoints), 6)) \(pct(t.truePoints, t.flaggedPoints)) \(pct(recalled, t.labelledPoints)) | \(pad(String(t.events), 6)) \(eprec) \(pct(t.detectedEvents, t.events))  \(t.falseEvents) (\(t.lateFalseEvents))")
}
let nonDrift = overall.byKind.filter { !$0.key.hasPrefix("_") && $0.key != "drift" }.values
let nd = nonDrift.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
print("overall event recall without slow drifts (which the trend follows by design): \(pct(nd.0, nd.1)) (\(nd.0)/\(nd.1))")
print("")
print("event recall by kind:")
for (k, v) in overall.byKind.sorted(by: { $0.key < $1.key }) where !k.hasPrefix("_") {
    print("  \(pad(k, 10)) \(pct(v.0, v.1))  (\(v.0)/\(v.1))")
}

// Throughput: the detector alone, over the set's points repeated to the target count.
var flat: [(Int64, Double)] = []
for s in set { for i in 0..<s.values.count { flat.append((s.timestamps[i], s.values[i])) } }
var detector = AnomalyDetector(config: config)
var sum = 0.0
let t0 = monotonicSeconds()
var done = 0
var offset: Int64 = 0
while done < throughputPoints {
    for (t, v) in flat {
        sum += detector.score(timestamp: t + offset, value: v)
        done += 1
        if done == throughputPoints { break }
    }
    offset += 86_400 * 30
}
let elapsed = monotonicSeconds() - t0
print("")
print("throughput: \(done) points in \(Int(elapsed * 1000)) ms = \(Int(Double(done) / elapsed)) points/s on one core (checksum \(Int(sum)))")

import Glibc

/// One labelled synthetic series.
struct LabelledSeries {
    var shape: String
    var timestamps: [Int64]
    var values: [Double]
    /// Anomaly windows, half-open point-index ranges.
    var events: [Event]
}

struct Event {
    var kind: String
    var range: Range<Int>
}

/// Builds the labelled set: several series of each shape, each with injected
/// spikes, drops, level shifts, variance changes and slow drifts. Events are placed
/// after the warm-up (and after two days on seasonal series) and far apart.
struct Generator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    static let start: Int64 = 1_706_745_600  // 2024-02-01T00:00:00Z

    mutating func regularTimes(_ n: Int, every seconds: Int64) -> [Int64] {
        (0..<n).map { Generator.start + Int64($0) * seconds }
    }

    /// Irregular: jittered intervals around `mean` seconds, with a few long gaps.
    mutating func irregularTimes(_ n: Int, mean: Double) -> [Int64] {
        var t = Generator.start
        var out: [Int64] = []
        out.reserveCapacity(n)
        for _ in 0..<n {
            out.append(t)
            var dt = mean * rng.uniform(0.3, 1.7)
            if rng.chance(0.003) { dt *= rng.uniform(10, 60) }  // collector down for a while
            t += Int64(max(dt, 1).rounded())
        }
        return out
    }

    mutating func noise(_ n: Int, sigma: Double) -> [Double] {
        (0..<n).map { _ in sigma * rng.gaussian() }
    }

    /// Places up to `count` events in [from, n - 120), at least `gap` points apart:
    /// real anomalies are rare, and a detector may treat a repeat as familiar.
    mutating func eventStarts(_ count: Int, n: Int, from: Int, gap: Int = 500) -> [Int] {
        var starts: [Int] = []
        var tries = 0
        while starts.count < count && tries < 10_000 {
            tries += 1
            let s = rng.int(from, n - 120)
            if starts.allSatisfy({ abs($0 - s) >= gap }) { starts.append(s) }
        }
        return starts.sorted()
    }

    /// Injects a mix of anomalies of size ~`unit` (the noise sigma, or a floor for
    /// near-constant series) into values; returns the labels.
    mutating func inject(_ values: inout [Double], unit: Double, from: Int, count: Int, kinds: [String]) -> [Event] {
        let n = values.count
        var events: [Event] = []
        for (k, s) in eventStarts(count, n: n, from: from).enumerated() {
            let kind = kinds[k % kinds.count]
            let sign: Double = rng.chance(0.5) ? 1 : -1
            switch kind {
            case "spike":
                values[s] += rng.uniform(7, 14) * unit
                events.append(Event(kind: kind, range: s..<s + 1))
            case "drop":
                values[s] -= rng.uniform(7, 14) * unit
                events.append(Event(kind: kind, range: s..<s + 1))
            case "shift":
                let d = sign * rng.uniform(6, 10) * unit
                for i in s..<n { values[i] += d }
                events.append(Event(kind: kind, range: s..<s + 10))
            case "variance":
                let len = 40
                for i in s..<min(s + len, n) { values[i] += 5 * unit * rng.gaussian() }
                events.append(Event(kind: kind, range: s..<s + len))
            case "drift":
                // A slow ramp to 12 units over 100 points that then persists.
                let len = 100
                let d = sign * 12 * unit
                for i in s..<n { values[i] += d * min(Double(i - s) / Double(len), 1) }
                events.append(Event(kind: kind, range: s + len / 2..<s + len + 10))
            default:
                break
            }
        }
        return events
    }

    static let allKinds = ["spike", "drop", "shift", "variance", "drift"]

    mutating func steady(_ idx: Int) -> LabelledSeries {
        let n = 4032
        let level = pow(10, rng.uniform(0, 4)), sigma = level * rng.uniform(0.005, 0.03)
        var v = noise(n, sigma: sigma).map { $0 + level }
        let ev = inject(&v, unit: sigma, from: 300, count: 6, kinds: Generator.allKinds)
        return LabelledSeries(shape: "steady", timestamps: regularTimes(n, every: 300), values: v, events: ev)
    }

    mutating func noisy(_ idx: Int) -> LabelledSeries {
        let n = 4032
        let level = pow(10, rng.uniform(0, 3)), sigma = level * rng.uniform(0.1, 0.3)
        // Heavy-ish tails: one point in 50 is twice as noisy.
        var v = (0..<n).map { _ in level + sigma * rng.gaussian() * (rng.chance(0.02) ? 2 : 1) }
        let ev = inject(&v, unit: sigma, from: 300, count: 6, kinds: Generator.allKinds)
        return LabelledSeries(shape: "noisy", timestamps: regularTimes(n, every: 300), values: v, events: ev)
    }

    mutating func trend(_ idx: Int) -> LabelledSeries {
        let n = 4032
        let level = pow(10, rng.uniform(1, 3)), sigma = level * rng.uniform(0.01, 0.05)
        let slope = (rng.chance(0.5) ? 1 : -0.4) * level * rng.uniform(0.5, 2) / Double(n)
        var v = (0..<n).map { level + slope * Double($0) + sigma * rng.gaussian() }
        let ev = inject(&v, unit: sigma, from: 300, count: 6, kinds: Generator.allKinds)
        return LabelledSeries(shape: "trend", timestamps: regularTimes(n, every: 300), values: v, events: ev)
    }

    /// Daily curve: a sine, optionally with a business-hours plateau (sharp ramps)
    /// and a nightly batch job, so a plain predictor cannot follow it.
    mutating func seasonal(_ idx: Int, every seconds: Int64, days: Int) -> LabelledSeries {
        let perDay = Int(86_400 / seconds), n = perDay * days
        let level = pow(10, rng.uniform(1, 3))
        let amp = level * rng.uniform(0.2, 0.5), sigma = amp * rng.uniform(0.03, 0.1)
        let business = idx % 2 == 1
        let batch = idx % 3 == 2
        let phase = rng.uniform(0, 2 * Double.pi)
        var v = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let hour = Double(i % perDay) / Double(perDay) * 24
            var x = level + amp * sin(2 * Double.pi * hour / 24 + phase)
            if business && hour >= 8 && hour < 18 { x += amp * min(1, (hour - 8) * 2, (18 - hour) * 2) }
            if batch && hour >= 2 && hour < 2.5 { x += 2 * amp }
            v[i] = x + sigma * rng.gaussian()
        }
        let ev = inject(&v, unit: sigma, from: 2 * perDay + 50, count: seconds == 60 ? 6 : 8, kinds: Generator.allKinds)
        let shape = seconds == 60 ? "seasonal-1m" : "seasonal-5m"
        return LabelledSeries(shape: shape, timestamps: regularTimes(n, every: seconds), values: v, events: ev)
    }

    /// Weekly: a daily curve, busier weekdays than weekends (UTC; Generator.start
    /// is a Thursday) and a Monday-morning peak, 28 days at 5 minutes. Events come
    /// after day 15, once the detector may know the week.
    mutating func weekly(_ idx: Int) -> LabelledSeries {
        let perDay = 288, n = perDay * 28
        let level = pow(10, rng.uniform(1, 3))
        let amp = level * rng.uniform(0.2, 0.4), sigma = amp * rng.uniform(0.03, 0.1)
        let weekend = amp * rng.uniform(0.5, 1.2), peak = amp * rng.uniform(1, 2.5)
        var v = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let day = i / perDay, hour = Double(i % perDay) / Double(perDay) * 24
            var x = level + amp * sin(2 * Double.pi * (hour - 6) / 24)
            let weekday = (day + 4) % 7  // 0 = Monday
            if weekday >= 5 { x -= weekend }
            if weekday == 0 && hour >= 8 && hour < 11 { x += peak }
            v[i] = x + sigma * rng.gaussian()
        }
        let ev = inject(&v, unit: sigma, from: 15 * perDay + 50, count: 8, kinds: Generator.allKinds)
        return LabelledSeries(shape: "weekly", timestamps: regularTimes(n, every: 300), values: v, events: ev)
    }

    /// Two levels (a job on or off), each state lasting 20..200 points.
    mutating func onOff(_ idx: Int) -> LabelledSeries {
        let n = 4032
        let low = rng.uniform(0, 10), high = low + rng.uniform(20, 200)
        let sigma = (high - low) * rng.uniform(0.01, 0.04)
        var v = [Double](repeating: 0, count: n)
        var on = false, left = rng.int(20, 200)
        for i in 0..<n {
            if left == 0 { on.toggle(); left = rng.int(20, 200) }
            left -= 1
            v[i] = (on ? high : low) + sigma * rng.gaussian()
        }
        // Only anomalies that the two-level shape does not explain: far from both levels.
        let ev = inject(&v, unit: (high - low) / 4, from: 400, count: 5, kinds: ["spike", "drop", "variance"])
        return LabelledSeries(shape: "two-level", timestamps: regularTimes(n, every: 300), values: v, events: ev)
    }

    /// Near-constant: jitter far below the scale floor; also a harmless 0.05 % step
    /// (unlabelled) that must not alarm; anomalies are 5 % of the level and up.
    mutating func nearConstant(_ idx: Int) -> LabelledSeries {
        let n = 2016
        let level = pow(10, rng.uniform(0, 4)), sigma = level * 1e-6
        var v = noise(n, sigma: sigma).map { $0 + level }
        for i in 1000..<n { v[i] += level * 0.0005 }
        let ev = inject(&v, unit: level * 0.01, from: 200, count: 4, kinds: ["spike", "drop", "shift"])
        return LabelledSeries(shape: "near-constant", timestamps: regularTimes(n, every: 300), values: v, events: ev)
    }

    mutating func irregular(_ idx: Int) -> LabelledSeries {
        let n = 4032
        let level = pow(10, rng.uniform(0, 3)), sigma = level * rng.uniform(0.02, 0.1)
        var v = noise(n, sigma: sigma).map { $0 + level }
        let ev = inject(&v, unit: sigma, from: 300, count: 6, kinds: Generator.allKinds)
        return LabelledSeries(shape: "irregular", timestamps: irregularTimes(n, mean: 60), values: v, events: ev)
    }

    mutating func all(perShape: Int) -> [LabelledSeries] {
        var out: [LabelledSeries] = []
        for i in 0..<perShape {
            out.append(steady(i))
            out.append(noisy(i))
            out.append(trend(i))
            out.append(seasonal(i, every: 300, days: 14))
            out.append(seasonal(i, every: 60, days: 4))
            out.append(weekly(i))
            out.append(onOff(i))
            out.append(nearConstant(i))
            out.append(irregular(i))
        }
        return out
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// What the baseline is computed from: an hourly rollup row (the hour's mean of
/// `weight` samples, with its lowest and highest point when the rollup keeps
/// them) or one raw point of the tail since the last rolled-up hour (weight 1).
public struct BaselineSample: Sendable, Equatable {
    /// Seconds since the epoch: the hour's start, or the raw point's time.
    public var time: Int64
    public var mean: Double
    public var weight: Double
    public var low: Double?
    public var high: Double?

    public init(time: Int64, mean: Double, weight: Double = 1, low: Double? = nil, high: Double? = nil) {
        self.time = time
        self.mean = mean
        self.weight = weight
        self.low = low
        self.high = high
    }
}

/// Rolling statistics of one series over the baseline window.
public struct Baseline: Sendable, Equatable {
    public var mean: Double
    /// Point-level standard deviation: the spread of the hourly means around the
    /// mean plus each hour's own spread (estimated from its range, see
    /// `BaselineMath.withinSigma`).
    public var stddev: Double
    public var min: Double
    public var max: Double
    /// Points the window holds (hourly rows count their `sample_count`).
    public var sampleCount: Int
    /// Weighted median and median absolute deviation of the samples (hourly
    /// means and raw points): the typical level, robust to a few wild hours.
    public var median: Double
    public var mad: Double
    public var windowStart: Int64
    public var windowEnd: Int64
    /// Hour-of-day x day-of-week means (`profile[dow][hour]`, dow 0 = Sunday, UTC),
    /// present once `BaselineMath.profileMinDays` of history exist.
    public var profile: [[Double?]]?

    /// A baseline counts (is stored, gives z-scores) from this many points on.
    public static let minimumSamples = 6
    public var counts: Bool { sampleCount >= Baseline.minimumSamples }

    /// `(value - mean) / stddev`, nil without a spread.
    public func zScore(_ value: Double) -> Double? {
        guard counts, stddev > 0, stddev.isFinite else { return nil }
        return (value - mean) / stddev
    }

    /// `(value - mean) / mean * 100`, nil for a zero mean.
    public func driftPct(_ value: Double) -> Double? {
        guard counts, mean != 0 else { return nil }
        return (value - mean) / abs(mean) * 100
    }

    /// The profile's mean for the hour containing `time`.
    public func expected(at time: Int64) -> Double? {
        guard let profile else { return nil }
        let (dow, hour) = BaselineMath.weekCell(time)
        return profile[dow][hour]
    }
}

public enum BaselineMath {
    /// The baseline window (7 days) and the seasonal profile's (28 days, used
    /// once the oldest hourly row is `profileMinDays` old).
    public static let windowSeconds: Int64 = 7 * 86_400
    public static let profileWindowSeconds: Int64 = 28 * 86_400
    public static let profileMinDays: Int64 = 14

    /// - Parameters:
    ///   - samples: the window's hourly rows and raw tail points (any order).
    ///   - profileSamples: hourly rows of the profile window; `historyStart`: the
    ///     oldest of them. The profile is built when it is at least 14 days before `now`.
    public static func baseline(samples: [BaselineSample], profileSamples: [BaselineSample] = [], historyStart: Int64? = nil,
                                now: Int64) -> Baseline? {
        let usable = samples.filter { $0.mean.isFinite && $0.weight > 0 }
        guard !usable.isEmpty else { return nil }
        let total = usable.reduce(0) { $0 + $1.weight }
        let mean = usable.reduce(0) { $0 + $1.weight * $1.mean } / total
        var squares = 0.0
        var low = Double.infinity, high = -Double.infinity
        for s in usable {
            let d = s.mean - mean
            let within = withinSigma(s) ?? 0
            squares += s.weight * (d * d + within * within)
            low = Swift.min(low, s.low ?? s.mean, s.mean)
            high = Swift.max(high, s.high ?? s.mean, s.mean)
        }
        let stddev = total > 1 ? (squares / total).squareRoot() : 0
        let median = weightedMedian(usable.map { ($0.mean, $0.weight) })
        let mad = weightedMedian(usable.map { (abs($0.mean - median), $0.weight) })
        var profile: [[Double?]]?
        if let historyStart, now - historyStart >= profileMinDays * 86_400 {
            profile = weekProfile(profileSamples)
        }
        return Baseline(
            mean: mean, stddev: stddev, min: low, max: high, sampleCount: Int(total.rounded()), median: median, mad: mad,
            windowStart: usable.map(\.time).min()!, windowEnd: usable.map(\.time).max()!, profile: profile)
    }

    /// The spread of the points within one hourly row, from its range: a range
    /// of n normal points is about `expectedRange(n)` sigmas wide (half of it
    /// above the mean when the rollup keeps only the maximum). nil for a raw
    /// point or a row without a range.
    public static func withinSigma(_ s: BaselineSample) -> Double? {
        guard s.weight >= 2 else { return nil }
        let d2 = expectedRange(Int(s.weight.rounded()))
        if let low = s.low, let high = s.high, high >= low { return (high - low) / d2 }
        if let high = s.high, high >= s.mean { return 2 * (high - s.mean) / d2 }
        return nil
    }

    /// The expected range of n standard normal points (Tippett's d2), about
    /// 2 Φ⁻¹(1 - 0.5/n): 1.35 for 2 (exact 1.13), 3.46 for 12 (3.26), 4.78 for 60 (4.64), 5.98 for 360.
    public static func expectedRange(_ n: Int) -> Double {
        guard n >= 2 else { return 1 }
        return 2 * normalQuantile(1 - 0.5 / Double(n))
    }

    /// Φ⁻¹(p) for p in (0.5, 1): Abramowitz and Stegun 26.2.23 (error < 4.5e-4).
    static func normalQuantile(_ p: Double) -> Double {
        let q = 1 - p
        guard q > 0, q < 0.5 else { return 0 }
        let t = (-2 * log(q)).squareRoot()
        return t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
    }

    /// The value at which half the weight lies on either side (the lower one on a tie).
    public static func weightedMedian(_ values: [(Double, Double)]) -> Double {
        let sorted = values.sorted { $0.0 < $1.0 }
        guard !sorted.isEmpty else { return .nan }
        let half = sorted.reduce(0) { $0 + $1.1 } / 2
        var seen = 0.0
        for (value, weight) in sorted {
            seen += weight
            if seen >= half { return value }
        }
        return sorted[sorted.count - 1].0
    }

    /// Day of week (0 = Sunday) and hour of day, UTC.
    public static func weekCell(_ time: Int64) -> (dow: Int, hour: Int) {
        let days = time >= 0 ? time / 86_400 : (time - 86_399) / 86_400
        let second = time - days * 86_400
        // 1970-01-01 was a Thursday (4).
        let dow = Int(((days + 4) % 7 + 7) % 7)
        return (dow, Int(second / 3_600))
    }

    /// The weighted mean of the samples per (day of week, hour); nil where none fell.
    public static func weekProfile(_ samples: [BaselineSample]) -> [[Double?]] {
        var sums = [[Double]](repeating: [Double](repeating: 0, count: 24), count: 7)
        var weights = sums
        for s in samples where s.mean.isFinite && s.weight > 0 {
            let (dow, hour) = weekCell(s.time)
            sums[dow][hour] += s.mean * s.weight
            weights[dow][hour] += s.weight
        }
        return (0..<7).map { d in (0..<24).map { h in weights[d][h] > 0 ? sums[d][h] / weights[d][h] : nil } }
    }
}

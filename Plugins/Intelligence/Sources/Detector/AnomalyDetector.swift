import Glibc

/// The one anomaly detector every metric shares: feed it a series point by point,
/// in time order, and it returns each point's anomaly score in [0, 1].
///
/// A point's score depends only on the points before it and itself (no look-ahead).
/// The score is the squashed minimum of two robust z values:
///  - the prediction z: |value - robust Holt prediction| / noise scale, where the
///    prediction runs on the value minus an hour-of-day profile once the profile
///    has seen `seasonalMinDays` days and actually explains variance;
///  - the novelty z: noveltyGain * (distance to the k-th nearest of the last
///    `memory` values) / noise scale. A value the series has recently taken
///    several times (the other level of an on/off metric, a recurring spike) is
///    not an anomaly even when the predictor did not expect it.
/// The first `warmUpPoints` points score 0. docs/anomaly-detection.md has the details.
public struct AnomalyDetector {
    public let config: DetectorConfig
    private let curve: ScoreCurve

    private var seen = 0
    private var firstTimestamp: Int64 = 0
    private var lastTimestamp: Int64 = 0
    /// Typical interval between points, in seconds (robust running estimate).
    private var step = 0.0

    private var plain = RobustHolt(level: 0, trend: 0, scale: 0)
    private var seasonal = RobustHolt(level: 0, trend: 0, scale: 0)
    private var profile = DailyProfile()
    /// A slow (one-day) level the profile is learned against.
    private var dayLevel = 0.0
    /// Typical absolute residual of each predictor over about half a day.
    private var plainError = 0.0
    private var seasonalError = 0.0
    private var profileError = 0.0
    private(set) public var seasonalActive = false

    private var window: SortedWindow

    public init(config: DetectorConfig = DetectorConfig()) {
        self.config = config
        curve = ScoreCurve(quietZ: config.quietZ, thresholdZ: config.thresholdZ)
        window = SortedWindow(capacity: max(config.memory, config.warmUpPoints, 2))
    }

    /// Whether a score counts as an anomaly at the configured threshold.
    public func isAnomaly(_ score: Double) -> Bool { score >= config.threshold }

    /// Scores one point. `timestamp` is in seconds; a non-finite value is a missing
    /// point: it scores 0 and leaves the state untouched.
    public mutating func score(timestamp: Int64, value x: Double) -> Double {
        guard x.isFinite else { return 0 }
        seen += 1
        var dt = 0.0
        if seen == 1 {
            firstTimestamp = timestamp
        } else {
            dt = Double(timestamp) - Double(lastTimestamp)
            if dt < 0 { dt = 0 }
            trackStep(dt)
        }
        lastTimestamp = timestamp

        let profileValue = profile.value(at: timestamp)
        if seen <= config.warmUpPoints {
            window.push(x)
            learnProfile(timestamp: timestamp, value: x, dt: dt, profileValue: profileValue)
            if seen == config.warmUpPoints { finishWarmUp() }
            return 0
        }

        // Past a gap the last level is older news: widen the scale like a random
        // walk, at most threefold, and do not extrapolate the trend across it.
        let gapSteps = step > 0 ? dt / step : 1
        let widen = gapSteps > 2 ? min((gapSteps / 2).squareRoot(), 3) : 1
        let projection = step > 0 ? min(dt, 5 * step) : dt

        let yPlain = x
        let ySeasonal = x - profileValue
        let rPlain = yPlain - plain.predict(after: projection)
        let rSeasonal = ySeasonal - seasonal.predict(after: projection)
        let sigmaPlain = floored(plain.scale, level: plain.level)
        let sigmaSeasonal = floored(seasonal.scale, level: plain.level)

        let y = seasonalActive ? ySeasonal : yPlain
        let r = seasonalActive ? rSeasonal : rPlain
        let sigma = (seasonalActive ? sigmaSeasonal : sigmaPlain) * widen

        var z = abs(r) / sigma
        switch config.direction {
        case .both: break
        case .up: if r < 0 { z = 0 }
        case .down: if r > 0 { z = 0 }
        }
        if z > config.quietZ {
            let novelty = config.noveltyGain * window.neighbourDistance(config.familiarNeighbours, to: y) / sigma
            if novelty < z { z = novelty }
        }
        let s = curve.score(z: z)

        // Learn from the point only after scoring it.
        plain.update(value: yPlain, residual: rPlain, dt: projection, sigma: sigmaPlain, stepSeconds: step, config: config)
        seasonal.update(
            value: ySeasonal, residual: rSeasonal, dt: projection, sigma: sigmaSeasonal, stepSeconds: step, config: config)
        window.push(y)
        learnProfile(timestamp: timestamp, value: x, dt: dt, profileValue: profileValue)
        judgeSeasonality(timestamp: timestamp, rPlain: rPlain, rSeasonal: rSeasonal, sigmaPlain: sigmaPlain,
                         sigmaSeasonal: sigmaSeasonal)
        return s
    }

    private func floored(_ scale: Double, level: Double) -> Double {
        max(scale, config.relativeScaleFloor * abs(level), config.absoluteScaleFloor)
    }

    /// A running typical interval that one gap or burst barely moves.
    private mutating func trackStep(_ dt: Double) {
        guard dt > 0 else { return }
        if step == 0 {
            step = dt
        } else {
            step += 0.05 * (min(max(dt, step / 2), step * 2) - step)
        }
    }

    private mutating func learnProfile(timestamp: Int64, value x: Double, dt: Double, profileValue: Double) {
        // The day level: a running mean at first, then an EWMA over one day.
        let dayRate = max(min(dt / 86_400, 1), 1 / Double(seen))
        let dayResidual = x - dayLevel
        let target = x - dayLevel
        let e = target - profileValue
        let firstDay = Double(timestamp) - Double(firstTimestamp) < 86_400
        // Winsorise what the profile learns once it has a day's worth of error scale.
        let bound = 4 * profileError
        let eClipped = firstDay || bound == 0 ? e : min(max(e, -bound), bound)
        let pointsPerBinPerDay = step > 0 ? Double(DailyProfile.binSeconds) / step : 1
        profile.learn(at: timestamp, target: profileValue + eClipped, minRate: 1 / max(4 * pointsPerBinPerDay, 1))
        profileError += (firstDay ? 1 / Double(seen) : 0.01) * (1.2533 * abs(eClipped) - profileError)
        dayLevel += dayRate * (firstDay ? dayResidual : clipTo(dayResidual, 4 * max(plainError, profileError)))
    }

    private func clipTo(_ v: Double, _ bound: Double) -> Double {
        bound > 0 ? min(max(v, -bound), bound) : v
    }

    /// Starts both predictors from the warm-up points: level from the median of
    /// the last few, trend from the median first difference, scale from the MAD of
    /// first differences (divided by sqrt 2), which a level shift or trend in the
    /// warm-up does not inflate.
    private mutating func finishWarmUp() {
        let values = window.inArrivalOrder
        guard let last = values.last else { return }
        let tail = Array(values.suffix(8)).sorted()
        let level = tail[tail.count / 2]
        var diffs: [Double] = []
        diffs.reserveCapacity(values.count)
        for i in 1..<max(values.count, 1) { diffs.append(values[i] - values[i - 1]) }
        var trend = 0.0, scale = 0.0
        if !diffs.isEmpty {
            let sortedDiffs = diffs.sorted()
            let medianDiff = sortedDiffs[sortedDiffs.count / 2]
            trend = step > 0 ? medianDiff / step : 0
            let deviations = diffs.map { abs($0 - medianDiff) }.sorted()
            scale = 1.4826 * deviations[deviations.count / 2] / 2.0.squareRoot()
        }
        _ = last
        plain = RobustHolt(level: level, trend: trend, scale: scale)
        seasonal = plain
        plainError = scale
        seasonalError = scale
    }

    /// Uses the profile once it has seen enough days and while its residuals are
    /// clearly smaller than the plain predictor's (hysteresis avoids flapping).
    private mutating func judgeSeasonality(
        timestamp: Int64, rPlain: Double, rSeasonal: Double, sigmaPlain: Double, sigmaSeasonal: Double
    ) {
        let rate = step > 0 ? min(max(step / 43_200, 1.0 / 5000), 1.0 / 20) : 1.0 / 200
        plainError += rate * (min(1.2533 * abs(rPlain), 4 * sigmaPlain) - plainError)
        seasonalError += rate * (min(1.2533 * abs(rSeasonal), 4 * sigmaSeasonal) - seasonalError)
        let days = (Double(timestamp) - Double(firstTimestamp)) / 86_400
        guard days >= config.seasonalMinDays else { return }
        if seasonalActive {
            if seasonalError > (config.seasonalGain + 0.15) * plainError { seasonalActive = false }
        } else if seasonalError < config.seasonalGain * plainError {
            seasonalActive = true
        }
    }
}

import Glibc

/// The one anomaly detector every metric shares: feed it a series point by point,
/// in time order, and it returns each point's anomaly score in [0, 1].
///
/// A point's score depends only on the points before it and itself (no look-ahead).
/// The score squashes a robust z (`ScoreCurve`: 0.5 at z = 5):
///  - the prediction z: |value - robust Holt forecast| / noise scale, where the
///    forecast runs on the value minus a time-of-day profile once the profile has
///    seen `seasonalMinDays` days and actually explains variance;
///  - lowered to the novelty z when the surprise is familiar: compared on a log
///    scale with how far the series recently went on that side (the
///    `familiarRank`-th largest surprise episode of the last `memorySeconds`,
///    `repeatWeight` x the largest, the farthest level it settled at), it reaches
///    the threshold only at `noveltyRatio` times that. A recurring spike or the
///    switch of an on/off metric is not news the third time.
/// Each step is non-decreasing in the deviation, so scores rank. The first
/// `warmUpPoints` points score 0 and the first day is damped.
/// docs/anomaly-detection.md has the details and the reasons for the defaults.
public struct AnomalyDetector {
    public let config: DetectorConfig
    private let curve: ScoreCurve
    /// The warm-up needs two points for a first difference.
    private let warmUpPoints: Int

    private var seen = 0
    private var firstTimestamp: Int64 = 0
    private var lastTimestamp: Int64 = 0
    /// Typical interval between points, in seconds (robust running estimate).
    private var step = 0.0

    private var plain = RobustHolt(level: 0, trend: 0, scale: 0)
    private var seasonal = RobustHolt(level: 0, trend: 0, scale: 0)
    /// Created once the sampling interval is known (after `profileStartPoints`).
    private var profile: DailyProfile?
    private static let profileStartPoints = 8
    /// Surprises remembered per side (the last ones within `memorySeconds`).
    static let surpriseSlots = 32
    /// Mean squared residual of each predictor over about two days.
    private var plainError = 0.0
    private var seasonalError = 0.0
    private var profileError = 0.0
    /// Points the seasonal judgement has seen.
    private var judged = 0
    private var seasonalRestarted = false
    private(set) public var seasonalActive = false
    /// The last scored point's value minus what the detector expected (its sign
    /// says spike or drop); 0 before the warm-up ends.
    private(set) public var lastResidual = 0.0

    /// Recent surprises above and below the prediction, for the novelty z.
    private var surprisesAbove: SurpriseMemory
    private var surprisesBelow: SurpriseMemory
    /// Levels each predictor settled at around its level shifts.
    private var plainLevels = LevelMemory()
    private var seasonalLevels = LevelMemory()
    /// The warm-up points, to start the predictors from.
    private var warmUp: [Double] = []

    public init(config: DetectorConfig = DetectorConfig()) {
        self.config = config
        curve = ScoreCurve(quietZ: config.quietZ, thresholdZ: config.thresholdZ)
        warmUpPoints = max(config.warmUpPoints, 2)
        surprisesAbove = SurpriseMemory(capacity: AnomalyDetector.surpriseSlots)
        surprisesBelow = SurpriseMemory(capacity: AnomalyDetector.surpriseSlots)
        warmUp.reserveCapacity(warmUpPoints)
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

        let profileValue = profile?.value(at: timestamp) ?? 0
        if seen <= warmUpPoints {
            warmUp.append(x)
            learnProfile(timestamp: timestamp, value: x, profileValue: profileValue)
            if seen == warmUpPoints { finishWarmUp() }
            return 0
        }

        // Past a gap the last level is older news: widen the scale like a random
        // walk, at most threefold, and do not extrapolate the trend across it.
        let gapSteps = step > 0 ? dt / step : 1
        let widen = gapSteps > 2 ? min((gapSteps / 2).squareRoot(), 3) : 1
        let projection = step > 0 ? min(dt, 5 * step) : dt

        let yPlain = x
        let ySeasonal = x - profileValue
        // The seasonal predictor restarts once the profile has a full day: what it
        // learned from a half-built profile (a level chasing it, an inflated scale)
        // is worthless.
        if !seasonalRestarted && Double(timestamp) - Double(firstTimestamp) >= 86_400 {
            seasonal = RobustHolt(level: ySeasonal, trend: 0, scale: plain.scale)
            seasonalRestarted = true
        }
        let rPlain = yPlain - plain.predict(after: projection)
        let rSeasonal = ySeasonal - seasonal.predict(after: projection)
        let sigmaPlain = floored(plain.scale, level: plain.level)
        // The seasonal level is value - profile, near 0: the relative floor
        // follows the metric's own level.
        let sigmaSeasonal = floored(seasonal.scale, level: plain.level)

        let r = seasonalActive ? rSeasonal : rPlain
        let sigma = (seasonalActive ? sigmaSeasonal : sigmaPlain) * widen
        let signedZ = r / sigma

        var z = abs(signedZ)
        switch config.direction {
        case .both: break
        case .up: if r < 0 { z = 0 }
        case .down: if r > 0 { z = 0 }
        }
        if z > config.quietZ {
            // The familiar size of a surprise on this side; an empty memory is a calm
            // one, and a calm memory (nothing beyond quietZ) never suppresses.
            let since = timestamp &- config.memorySeconds
            let memory = r > 0 ? surprisesAbove : surprisesBelow
            // Sizes are remembered in the metric's unit, not in scales: the noise
            // scale of a piecewise-constant series shrinks between episodes, and the
            // same spike must not look bigger each time it recurs.
            let kth = memory.kthLargest(config.familiarRank, since: since) ?? 0
            let largest = memory.kthLargest(1, since: since) ?? 0
            // A level the series recently settled at, on this side, is known ground
            // too: the other state of an on/off metric is not news.
            let levels = seasonalActive ? seasonalLevels : plainLevels
            let reach = levels.reach(from: (seasonalActive ? ySeasonal : yPlain) - r, above: r > 0, since: since)
            let familiar = max(max(kth, config.repeatWeight * largest, reach) / sigma, config.quietZ)
            let novelty = config.quietZ
                + (config.thresholdZ - config.quietZ) * log2(z / familiar) / log2(max(config.noveltyRatio, 1.0001))
            if novelty < z { z = max(novelty, 0) }
        }
        // The first day cannot tell a daily pattern (a nightly job, the morning
        // ramp) from an anomaly: it needs a deviation firstDayDamping times larger.
        if Double(timestamp) - Double(firstTimestamp) < 86_400 { z *= config.firstDayDamping }
        let s = curve.score(z: z)
        lastResidual = r

        // Learn from the point only after scoring it.
        if let before = plain.update(
            value: yPlain, residual: rPlain, dt: projection, sigma: sigmaPlain, stepSeconds: step, config: config)
        {
            plainLevels.record(before, time: timestamp)
            plainLevels.record(plain.level, time: timestamp)
        }
        if let before = seasonal.update(
            value: ySeasonal, residual: rSeasonal, dt: projection, sigma: sigmaSeasonal, stepSeconds: step, config: config)
        {
            seasonalLevels.record(before, time: timestamp)
            seasonalLevels.record(seasonal.level, time: timestamp)
        }
        if signedZ > config.quietZ { surprisesAbove.record(r, point: seen, time: timestamp) }
        if signedZ < -config.quietZ { surprisesBelow.record(-r, point: seen, time: timestamp) }
        learnProfile(timestamp: timestamp, value: x, profileValue: profileValue)
        judgeSeasonality(timestamp: timestamp, rPlain: rPlain, rSeasonal: rSeasonal, sigmaPlain: sigmaPlain,
                         sigmaSeasonal: sigmaSeasonal)
        return s
    }

    /// The predictors' state, for diagnostics (BacktestEval's EVAL_TRACE).
    public var diagnostics: String {
        "plain(level \(plain.level) trend \(plain.trend) scale \(plain.scale)) seasonal(level \(seasonal.level) scale \(seasonal.scale)) errors(plain \(plainError) seasonal \(seasonalError)) active \(seasonalActive)"
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

    /// The profile learns the raw value per time-of-day bin (a running mean, then
    /// an EWMA over four days); the seasonal predictor follows whatever level and
    /// trend remain in value - profile. After the first day a point moves its bin
    /// by at most four typical profile errors, so an outlier barely marks it.
    private mutating func learnProfile(timestamp: Int64, value x: Double, profileValue: Double) {
        if profile == nil && seen >= AnomalyDetector.profileStartPoints && step > 0 { profile = DailyProfile(step: step) }
        guard profile != nil else { return }
        let firstDay = Double(timestamp) - Double(firstTimestamp) < 86_400
        let e = x - profileValue
        let bound = 4 * profileError
        let eClipped = firstDay || bound == 0 ? e : min(max(e, -bound), bound)
        profile?.learn(at: timestamp, target: profileValue + eClipped, step: step, memoryDays: 4)
        if firstDay {
            profileError = max(profileError, plain.scale)
        } else {
            profileError += 0.01 * (1.2533 * abs(eClipped) - profileError)
        }
    }

    /// Starts both predictors from the warm-up points: level from the median of
    /// the last few, trend from the median first difference, scale from the spread
    /// of first differences (divided by sqrt 2), which a level shift or trend in
    /// the warm-up does not inflate.
    private mutating func finishWarmUp() {
        let values = warmUp
        guard !values.isEmpty else { return }
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
            // The MAD is 0 for quantised or patterned data (a counter stepping by 1,
            // a sawtooth) whose steps are mostly equal; the mean absolute deviation
            // still sees the odd larger step. Either, converted to a normal sigma.
            let mad = 1.4826 * deviations[deviations.count / 2]
            let meanAbs = 1.2533 * deviations.reduce(0, +) / Double(deviations.count)
            scale = max(mad, meanAbs) / 2.0.squareRoot()
        }
        warmUp = []
        plain = RobustHolt(level: level, trend: trend, scale: scale)
        seasonal = plain
    }

    /// Uses the profile once it has seen enough days and while it explains at
    /// least 1 - seasonalGain of the plain predictor's residual variance (mean
    /// squares over about two days, so a pattern that lasts half an hour a day
    /// counts; each term capped at 30 scales so one outlier cannot decide); the
    /// hysteresis keeps it from flapping.
    private mutating func judgeSeasonality(
        timestamp: Int64, rPlain: Double, rSeasonal: Double, sigmaPlain: Double, sigmaSeasonal: Double
    ) {
        // Judged only once the profile has a full day behind it: its first-day
        // errors say nothing about how well it predicts.
        guard Double(timestamp) - Double(firstTimestamp) >= 86_400 else { return }
        judged += 1
        let rate = max(step > 0 ? min(max(step / 172_800, 1.0 / 20_000), 1.0 / 20) : 1.0 / 500, 1 / Double(judged))
        let cp = min(abs(rPlain), 30 * sigmaPlain), cs = min(abs(rSeasonal), 30 * sigmaSeasonal)
        plainError += rate * (cp * cp - plainError)
        seasonalError += rate * (cs * cs - seasonalError)
        let days = (Double(timestamp) - Double(firstTimestamp)) / 86_400
        guard days >= config.seasonalMinDays else { return }
        if seasonalActive {
            if seasonalError > (config.seasonalGain + 0.2) * plainError { seasonalActive = false }
        } else if seasonalError < config.seasonalGain * plainError {
            seasonalActive = true
        }
    }
}

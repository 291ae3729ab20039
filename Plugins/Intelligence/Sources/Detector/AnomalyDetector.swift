import Glibc

/// The one anomaly detector every metric shares: feed it a series point by point,
/// in time order, and it returns each point's anomaly score in [0, 1].
///
/// A point's score depends only on the points before it and itself (no look-ahead).
/// The score squashes a robust z (`ScoreCurve`: 0.5 at z = 5):
///  - the prediction z: |value - robust Holt forecast| / noise scale, where the
///    forecast runs on the value minus a time-of-day profile once the profile has
///    seen `seasonalMinDays` days and actually explains variance, and also minus
///    an hour-of-week correction once that has seen `weeklyMinDays` days and
///    explains more (a Monday-morning peak, a quiet weekend);
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
    /// The hour-of-week correction on top of `profile`, created with it.
    private var weekly: WeeklyProfile?
    private static let profileStartPoints = 8
    /// Surprises remembered per side (the last ones within `memorySeconds`).
    static let surpriseSlots = 32
    /// Mean squared residual of each predictor over about two days.
    private var plainError = 0.0
    private var seasonalError = 0.0
    /// Mean squared residual of the weekly predictor and of the one otherwise in
    /// use, over about two weeks.
    private var weeklyError = 0.0
    private var weeklyOtherError = 0.0
    private var profileError = 0.0
    /// Points the seasonal judgement has seen.
    private var judged = 0
    private var seasonalRestarted = false
    private(set) public var seasonalActive = false
    /// The weekly predictor runs on value - profile - weekly correction; it restarts
    /// once the correction has seen a whole week.
    private var weeklyHolt = RobustHolt(level: 0, trend: 0, scale: 0)
    private var weeklyRestarted = false
    private var weeklyJudged = 0
    private(set) public var weeklyActive = false
    /// The last scored point's value minus what the detector expected (its sign
    /// says spike or drop); 0 before the warm-up ends.
    private(set) public var lastResidual = 0.0

    /// Recent surprises above and below the prediction, for the novelty z.
    private var surprisesAbove: SurpriseMemory
    private var surprisesBelow: SurpriseMemory
    /// Levels each predictor settled at around its level shifts.
    private var plainLevels = LevelMemory()
    private var seasonalLevels = LevelMemory()
    private var weeklyLevels = LevelMemory()
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
        let weeklyValue = weekly?.value(at: timestamp) ?? 0
        if seen <= warmUpPoints {
            warmUp.append(x)
            learnProfile(timestamp: timestamp, value: x, profileValue: profileValue, weeklyValue: weeklyValue)
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
        let yWeekly = ySeasonal - weeklyValue
        // The seasonal predictor restarts once the profile has a full day: what it
        // learned from a half-built profile (a level chasing it, an inflated scale)
        // is worthless.
        if !seasonalRestarted && Double(timestamp) - Double(firstTimestamp) >= 86_400 {
            seasonal = RobustHolt(level: ySeasonal, trend: 0, scale: plain.scale)
            seasonalRestarted = true
        }
        // Likewise the weekly one once the correction has seen every hour of a week.
        if !weeklyRestarted && Double(timestamp) - Double(firstTimestamp) >= 7 * 86_400 {
            weeklyHolt = RobustHolt(level: yWeekly, trend: 0, scale: seasonal.scale)
            weeklyRestarted = true
        }
        let rPlain = yPlain - plain.predict(after: projection)
        let rSeasonal = ySeasonal - seasonal.predict(after: projection)
        let rWeekly = yWeekly - weeklyHolt.predict(after: projection)
        let sigmaPlain = floored(plain.scale, level: plain.level)
        // The seasonal level is value - profile, near 0: the relative floor
        // follows the metric's own level.
        let sigmaSeasonal = floored(seasonal.scale, level: plain.level)
        let sigmaWeekly = floored(weeklyHolt.scale, level: plain.level)

        let path: Path = weeklyActive ? .weekly : seasonalActive ? .seasonal : .plain
        let (r, y, unwidened): (Double, Double, Double) = switch path {
        case .plain: (rPlain, yPlain, sigmaPlain)
        case .seasonal: (rSeasonal, ySeasonal, sigmaSeasonal)
        case .weekly: (rWeekly, yWeekly, sigmaWeekly)
        }
        let sigma = unwidened * widen
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
            let levels = switch path {
            case .plain: plainLevels
            case .seasonal: seasonalLevels
            case .weekly: weeklyLevels
            }
            let reach = levels.reach(from: y - r, above: r > 0, since: since)
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
        if let before = weeklyHolt.update(
            value: yWeekly, residual: rWeekly, dt: projection, sigma: sigmaWeekly, stepSeconds: step, config: config)
        {
            weeklyLevels.record(before, time: timestamp)
            weeklyLevels.record(weeklyHolt.level, time: timestamp)
        }
        if signedZ > config.quietZ { surprisesAbove.record(r, point: seen, time: timestamp) }
        if signedZ < -config.quietZ { surprisesBelow.record(-r, point: seen, time: timestamp) }
        learnProfile(timestamp: timestamp, value: x, profileValue: profileValue, weeklyValue: weeklyValue)
        judgeSeasonality(timestamp: timestamp, rPlain: rPlain, rSeasonal: rSeasonal, sigmaPlain: sigmaPlain,
                         sigmaSeasonal: sigmaSeasonal)
        judgeWeekly(timestamp: timestamp, rWeekly: rWeekly, sigmaWeekly: sigmaWeekly,
                    rOther: seasonalActive ? rSeasonal : rPlain, sigmaOther: seasonalActive ? sigmaSeasonal : sigmaPlain)
        return s
    }

    /// The predictors' state, for diagnostics (BacktestEval's EVAL_TRACE).
    public var diagnostics: String {
        "plain(level \(plain.level) trend \(plain.trend) scale \(plain.scale)) seasonal(level \(seasonal.level) scale \(seasonal.scale)) weekly(level \(weeklyHolt.level) scale \(weeklyHolt.scale)) errors(plain \(plainError) seasonal \(seasonalError) weekly \(weeklyError)) active \(weeklyActive ? "weekly" : seasonalActive ? "seasonal" : "plain")"
    }

    /// Which predictor judges a point.
    private enum Path { case plain, seasonal, weekly }

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
    /// The weekly correction learns what remains beyond the daily profile per hour
    /// of the week (an EWMA over three weeks once a bin has them), from the second
    /// day on (the first day's profile is still being built), bounded the same way.
    private mutating func learnProfile(timestamp: Int64, value x: Double, profileValue: Double, weeklyValue: Double) {
        if profile == nil && seen >= AnomalyDetector.profileStartPoints && step > 0 {
            profile = DailyProfile(step: step)
            weekly = WeeklyProfile()
        }
        guard profile != nil else { return }
        let firstDay = Double(timestamp) - Double(firstTimestamp) < 86_400
        // Until the weekly correction is in use it learns what the daily profile
        // leaves; once in use, both learn from what neither explains (backfitting:
        // the daily bin quickly, the weekly one slowly, so what recurs on one day
        // of the week only stays in the weekly correction, and the error bound
        // below tightens to the noise, so a spike barely marks either).
        let e = x - profileValue - (weeklyActive ? weeklyValue : 0)
        let bound = 4 * profileError
        let eClipped = firstDay || bound == 0 ? e : min(max(e, -bound), bound)
        profile?.learn(at: timestamp, target: profileValue + eClipped, step: step, memoryDays: 4)
        if !firstDay {
            weekly?.learn(at: timestamp, target: (weeklyActive ? weeklyValue : 0) + eClipped, step: step, memoryWeeks: 3)
        }
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

    /// Uses the weekly correction once it has seen `weeklyMinDays` days and while
    /// it cuts the residual variance to at most `weeklyGain` of the predictor
    /// otherwise in use. Both are averaged over about two weeks: a weekly pattern
    /// shows in the residuals a few hours a week, and a two-day average would
    /// forget it between Mondays and flap.
    private mutating func judgeWeekly(timestamp: Int64, rWeekly: Double, sigmaWeekly: Double, rOther: Double, sigmaOther: Double) {
        guard weeklyRestarted else { return }
        weeklyJudged += 1
        let rate = max(step > 0 ? min(max(step / 1_209_600, 1.0 / 200_000), 1.0 / 20) : 1.0 / 5_000, 1 / Double(weeklyJudged))
        let cw = min(abs(rWeekly), 30 * sigmaWeekly), co = min(abs(rOther), 30 * sigmaOther)
        weeklyError += rate * (cw * cw - weeklyError)
        weeklyOtherError += rate * (co * co - weeklyOtherError)
        let days = (Double(timestamp) - Double(firstTimestamp)) / 86_400
        guard days >= config.weeklyMinDays else { return }
        if weeklyActive {
            if weeklyError > (config.weeklyGain + 0.1) * weeklyOtherError { weeklyActive = false }
        } else if weeklyError < config.weeklyGain * weeklyOtherError {
            weeklyActive = true
        }
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

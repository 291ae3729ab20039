/// Level + trend (Holt's linear exponential smoothing) with winsorised updates and
/// a robust noise scale, the predictor behind the detector's z.
///
/// - The residual that updates level and trend is clipped at `clip` scales, so a
///   spike barely moves them (robust Holt smoothing, Gelper, Fried and Croux 2010).
/// - The scale is an EWMA of 1.2533 |residual| (the mean absolute deviation of a
///   normal distribution times sqrt(pi/2) is its sigma), each term clipped at 3
///   scales, so one outlier inflates it by at most 2 * scaleRate.
/// - A run of `shiftPoints` residuals beyond `shiftBand` scales on the same side is
///   a level shift, not a string of outliers: the level jumps to the run's mean.
struct RobustHolt {
    private(set) var level = 0.0
    /// Per second.
    private(set) var trend = 0.0
    private(set) var scale = 0.0
    private var runLength = 0
    private var runPositive = false
    private var runSum = 0.0

    init(level: Double, trend: Double, scale: Double) {
        self.level = level
        self.trend = trend
        self.scale = scale
    }

    func predict(after dt: Double) -> Double { level + trend * dt }

    /// Takes the point y observed dt seconds after the previous one, with residual
    /// r = y - predict(after: dt), judged against sigma (the floored scale).
    /// `stepSeconds` is the typical interval: the trend is learned per typical step,
    /// so an irregular short interval does not amplify it.
    /// Returns the level before the jump when this point completed a level shift.
    @discardableResult
    mutating func update(
        value y: Double, residual r: Double, dt: Double, sigma: Double, stepSeconds: Double, config c: DetectorConfig
    ) -> Double? {
        let bound = c.clip * sigma
        let rc = min(max(r, -bound), bound)
        level = level + trend * dt + c.levelRate * rc
        if stepSeconds > 0 { trend += c.levelRate * c.trendRate * rc / stepSeconds }
        scale += c.scaleRate * (min(1.2533 * abs(r), 3 * sigma) - scale)

        if abs(r) > c.shiftBand * sigma {
            let positive = r > 0
            if runLength > 0 && positive == runPositive {
                runLength += 1
                runSum += y
            } else {
                runLength = 1
                runPositive = positive
                runSum = y
            }
            if runLength >= c.shiftPoints {
                let before = level
                level = runSum / Double(runLength)
                runLength = 0
                return before
            }
        } else {
            runLength = 0
        }
        return nil
    }
}

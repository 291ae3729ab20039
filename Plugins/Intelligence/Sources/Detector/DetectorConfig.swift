/// Which side of the expected value hurts for a metric. A latency spike or a
/// cache-hit drop matters; a drop in errors does not. With `.up` a point below the
/// expected value scores 0, with `.down` a point above it scores 0.
public enum AnomalyDirection: String, Sendable, CaseIterable {
    case both, up, down
}

/// The detector's settings. The defaults are the ones the live analyzer and
/// `pqcrypta-backtest` use; docs/anomaly-detection.md says why each is what it is.
public struct DetectorConfig: Sendable, Equatable {
    /// A point is an anomaly when its score is at least this. Scores are calibrated
    /// so that 0.5 is a robust z of `thresholdZ` (see `ScoreCurve`).
    public var threshold: Double = 0.5
    public var direction: AnomalyDirection = .both

    /// Points scored 0 while the detector learns the level and the noise scale
    /// (at least 2).
    public var warmUpPoints: Int = 48

    /// Robust z that scores exactly 0.5; at or below `quietZ` a point scores 0.
    public var thresholdZ: Double = 5
    public var quietZ: Double = 2

    /// Level and trend smoothing of the robust Holt predictor (per point).
    public var levelRate: Double = 0.2
    public var trendRate: Double = 0.02
    /// Rate at which the noise scale follows the (winsorised) absolute residual.
    public var scaleRate: Double = 1.0 / 64
    /// Residuals are winsorised at this many scales before they update the level,
    /// so one spike moves the level by at most levelRate * clip scales.
    public var clip: Double = 2.5
    /// After this many consecutive points beyond `shiftBand` scales on the same
    /// side, the level jumps to them: a lasting level shift stops alarming.
    public var shiftPoints: Int = 6
    public var shiftBand: Double = 3

    /// How long a surprise (a run of residuals beyond quietZ) is remembered to
    /// judge whether a new one is familiar (the last 32 on each side at most).
    public var memorySeconds: Int64 = 2 * 86_400
    /// A surprise is compared with the `familiarRank`-th (1...4) largest remembered
    /// one on the same side ...
    public var familiarRank: Int = 2
    /// (or with `repeatWeight` times the largest, so even one earlier episode of the
    /// same size makes a repeat score lower, or with the farthest level the series
    /// settled at on that side within `memorySeconds`) ...
    public var repeatWeight: Double = 0.35
    /// ... and reaches the threshold only when it is `noveltyRatio` times that large.
    public var noveltyRatio: Double = 2

    /// The noise scale never drops below relativeScaleFloor * |level| nor below
    /// absoluteScaleFloor: a near-constant series has no noise to divide by.
    public var relativeScaleFloor: Double = 0.002
    public var absoluteScaleFloor: Double = 1e-9

    /// The hour-of-day profile is used only after this many days of data, and only
    /// while it cuts the residual variance to at most `seasonalGain` of the plain one.
    public var seasonalMinDays: Double = 2
    public var seasonalGain: Double = 0.6

    /// The hour-of-week correction (`WeeklyProfile`) is used only after this many
    /// days of data, and only while it cuts the residual variance (over two weeks)
    /// to at most `weeklyGain` of the daily-profile (or plain) predictor's. A
    /// weekly pattern shows a few hours a week, so the bar is lower than the daily
    /// one; with no weekly pattern the correction only adds its bins' noise (about
    /// 3 % of the variance) and stays off.
    public var weeklyMinDays: Double = 14
    public var weeklyGain: Double = 0.85

    /// During the first 24 hours z is multiplied by this: a daily pattern seen for
    /// the first time must not page, so only a clearly larger deviation does.
    public var firstDayDamping: Double = 0.6

    public init() {}

    public init(threshold: Double = 0.5, direction: AnomalyDirection = .both) {
        self.threshold = threshold
        self.direction = direction
    }
}

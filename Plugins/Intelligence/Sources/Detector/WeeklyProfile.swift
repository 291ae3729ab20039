/// An hour-of-week correction on top of the daily profile: per hour of the week
/// (168 bins, UTC), what the value usually is beyond the time-of-day profile. A
/// Monday-morning peak or a quiet weekend is learned here; the daily profile
/// alone would miss it every week (it averages the days). Each bin is a running
/// mean until it holds about `memoryWeeks` weeks of points, then an EWMA. Stored
/// as Float (1.3 KB a series): a correction needs no more precision than that.
struct WeeklyProfile {
    static let bins = 168
    private var values = [Float](repeating: 0, count: WeeklyProfile.bins)
    private var weights = [Float](repeating: 0, count: WeeklyProfile.bins)

    private static func bin(_ t: Int64) -> Int {
        var hour = (t / 3_600) % Int64(bins)
        if hour < 0 { hour += Int64(bins) }
        return Int(hour)
    }

    /// The correction at t (0 for an hour of the week not seen yet).
    func value(at t: Int64) -> Double { Double(values[WeeklyProfile.bin(t)]) }

    mutating func learn(at t: Int64, target: Double, step: Double, memoryWeeks: Double) {
        let b = WeeklyProfile.bin(t)
        let pointsPerBinPerWeek = max(3_600 / max(step, 1), 1)
        weights[b] += 1
        let rate = min(1, max(1 / Double(weights[b]), 1 / (memoryWeeks * pointsPerBinPerWeek)))
        values[b] += Float(rate * (target - Double(values[b])))
    }
}

/// A time-of-day profile learned online. The bin width follows the sampling
/// interval (5 min for data every minute or five, up to an hour for hourly data), so
/// a daily 30-minute batch job is a few bins. Bins are read as steps, not
/// interpolated: interpolation would smear a sharp daily edge into the bin before
/// it, while a smooth daily curve loses little to 5-minute steps (a sine's step
/// error is 1.1 % of its amplitude). Each bin is a running mean of what it has
/// seen until it holds about `memoryDays` days, then an EWMA over that many days.
/// Storage is allocated once.
struct DailyProfile {
    let binSeconds: Int64
    let bins: Int
    private var values: [Double]
    private var weights: [Double]

    /// The finest of 5, 10, 15, 30 or 60 minutes that is not finer than the step.
    init(step: Double) {
        let choice: Int64 = [300, 600, 900, 1800].first { Double($0) >= step } ?? 3600
        binSeconds = choice
        bins = Int(86_400 / choice)
        values = [Double](repeating: 0, count: bins)
        weights = [Double](repeating: 0, count: bins)
    }

    private func bin(_ t: Int64) -> Int {
        var sod = t % 86_400
        if sod < 0 { sod += 86_400 }
        return min(Int(sod / binSeconds), bins - 1)
    }

    /// The bin's value; a bin never learned (the profile started after its time of
    /// day, or the data had a gap) borrows the nearest learned bin before it.
    func value(at t: Int64) -> Double {
        var b = bin(t)
        for _ in 0..<bins {
            if weights[b] > 0 { return values[b] }
            b = b == 0 ? bins - 1 : b - 1
        }
        return 0
    }

    /// Moves the profile at t towards target. `memoryDays` sets the EWMA rate a bin
    /// keeps once it has that many days of points.
    mutating func learn(at t: Int64, target: Double, step: Double, memoryDays: Double) {
        let b = bin(t)
        let pointsPerBinPerDay = max(Double(binSeconds) / max(step, 1), 1)
        if weights[b] == 0 { values[b] = value(at: t) }
        weights[b] += 1
        let rate = min(1, max(1 / weights[b], 1 / (memoryDays * pointsPerBinPerDay)))
        values[b] += rate * (target - values[b])
    }
}

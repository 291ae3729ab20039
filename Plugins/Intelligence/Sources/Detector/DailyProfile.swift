/// An hour-of-day profile learned online: 48 half-hour bins, read and updated with
/// linear interpolation between bin centres, so a smooth daily curve is followed
/// without steps at bin edges. Each bin is a running mean of what it has seen
/// until it has about `memoryDays` days of points, then an EWMA over that many days.
struct DailyProfile {
    static let bins = 48
    static let binSeconds: Int64 = 86_400 / Int64(bins)
    private var values = [Double](repeating: 0, count: bins)
    private var weights = [Double](repeating: 0, count: bins)

    private static func position(_ t: Int64) -> (a: Int, b: Int, f: Double) {
        var sod = t % 86_400
        if sod < 0 { sod += 86_400 }
        // Bin centres sit at (i + 0.5) * binSeconds.
        let pos = Double(sod) / Double(binSeconds) - 0.5
        let fl = pos.rounded(.down)
        var a = Int(fl)
        if a < 0 { a += bins }
        let b = a + 1 == bins ? 0 : a + 1
        return (a, b, pos - fl)
    }

    func value(at t: Int64) -> Double {
        let (a, b, f) = DailyProfile.position(t)
        return (1 - f) * values[a] + f * values[b]
    }

    /// Moves the profile at t towards target. `minRate` is the EWMA rate once a bin
    /// has enough weight (1 / points per bin over the memory).
    mutating func learn(at t: Int64, target: Double, minRate: Double) {
        let (a, b, f) = DailyProfile.position(t)
        let e = target - ((1 - f) * values[a] + f * values[b])
        weights[a] += 1 - f
        weights[b] += f
        let ra = min(1, max(1 / max(weights[a], 1e-12), minRate))
        let rb = min(1, max(1 / max(weights[b], 1e-12), minRate))
        values[a] += (1 - f) * ra * e
        values[b] += f * rb * e
    }
}

/// Levels a series has recently settled at: both sides of every level shift the
/// predictor absorbed. A surprise that lands on one of them (the other state of an
/// on/off metric, the old level after a recovery) is a known state, not news.
/// A fixed ring; recording and looking up never allocate.
struct LevelMemory {
    static let slots = 8
    private var levels = [Double](repeating: 0, count: slots)
    private var times = [Int64](repeating: 0, count: slots)
    private var head = 0
    private var count = 0

    mutating func record(_ level: Double, time: Int64) {
        levels[head] = level
        times[head] = time
        head = head + 1 == LevelMemory.slots ? 0 : head + 1
        if count < LevelMemory.slots { count += 1 }
    }

    /// Distance from y to the nearest level remembered since `since`; infinity if none.
    func distance(to y: Double, since: Int64) -> Double {
        var best = Double.infinity
        for i in 0..<count where times[i] >= since {
            best = min(best, abs(y - levels[i]))
        }
        return best
    }
}

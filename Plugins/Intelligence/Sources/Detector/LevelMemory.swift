/// Levels a series has recently settled at: both sides of every level shift the
/// predictor absorbed. A surprise that reaches no farther than one of them (the
/// other state of an on/off metric, the old level after a recovery) stays within
/// known ground, not news.
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

    /// How far beyond `forecast`, on the given side, the farthest level remembered
    /// since `since` lies (0 if none): anything up to there is within the range
    /// the series has recently occupied.
    func reach(from forecast: Double, above: Bool, since: Int64) -> Double {
        var best = 0.0
        for i in 0..<count where times[i] >= since {
            let d = above ? levels[i] - forecast : forecast - levels[i]
            if d > best { best = d }
        }
        return best
    }
}

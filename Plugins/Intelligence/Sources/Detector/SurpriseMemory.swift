/// The most recent surprises (residuals beyond quietZ scales, in the metric's
/// unit) on one side, with the time each came at, in a fixed ring: recording one and
/// asking for the k-th largest still within the memory never allocates. A run of
/// consecutive surprises is one episode (one entry, its largest): a level shift
/// is one event however many points it takes to absorb.
struct SurpriseMemory {
    private var sizes: [Double]
    private var times: [Int64]
    private var head = 0
    private var count = 0

    init(capacity: Int) {
        let c = max(capacity, 1)
        sizes = [Double](repeating: 0, count: c)
        times = [Int64](repeating: 0, count: c)
    }

    private var lastPoint = Int.min

    /// Records a surprise at point number `point` (consecutive points continue an
    /// episode) and time `time` (seconds).
    mutating func record(_ size: Double, point: Int, time: Int64) {
        defer { lastPoint = point }
        if count > 0 && point == lastPoint + 1 {
            let last = head == 0 ? sizes.count - 1 : head - 1
            sizes[last] = max(sizes[last], size)
            times[last] = time
            return
        }
        sizes[head] = size
        times[head] = time
        head = head + 1 == sizes.count ? 0 : head + 1
        if count < sizes.count { count += 1 }
    }

    /// The k-th largest (k = 1 is the largest, k <= 4) surprise recorded at time
    /// `since` or later; nil when fewer than k are.
    func kthLargest(_ k: Int, since: Int64) -> Double? {
        guard k >= 1 && k <= 4 else { return nil }
        // Keep the k largest in a tiny sorted tuple-like buffer, largest first.
        var top = (-Double.infinity, -Double.infinity, -Double.infinity, -Double.infinity)
        var found = 0
        for i in 0..<count where times[i] >= since {
            let v = sizes[i]
            found += 1
            if v > top.3 {
                top.3 = v
                if top.3 > top.2 { swap(&top.3, &top.2) }
                if top.2 > top.1 { swap(&top.2, &top.1) }
                if top.1 > top.0 { swap(&top.1, &top.0) }
            }
        }
        guard found >= k else { return nil }
        switch k {
        case 1: return top.0
        case 2: return top.1
        case 3: return top.2
        default: return top.3
        }
    }
}

import Glibc

/// The last `capacity` values, kept both in arrival order (a ring) and sorted, so
/// the distance from a value to its k-th nearest remembered neighbour costs a
/// binary search plus k steps, and each push one memmove of at most `capacity`.
/// Storage is allocated once; pushing never allocates.
struct SortedWindow {
    let capacity: Int
    private var ring: [Double]
    private var sorted: [Double]
    private var head = 0
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
        ring = [Double](repeating: 0, count: self.capacity)
        sorted = [Double](repeating: 0, count: self.capacity)
    }

    /// The remembered values in arrival order, oldest first.
    var inArrivalOrder: [Double] {
        count < capacity ? Array(ring[0..<count]) : Array(ring[head...] + ring[..<head])
    }

    private static func lowerBound(_ v: Double, _ p: UnsafeMutableBufferPointer<Double>, _ n: Int) -> Int {
        var lo = 0, hi = n
        while lo < hi {
            let mid = (lo + hi) >> 1
            if p[mid] < v { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    mutating func push(_ v: Double) {
        let n = count, cap = capacity
        if n == cap {
            let old = ring[head]
            sorted.withUnsafeMutableBufferPointer { p in
                guard let base = p.baseAddress else { return }
                let i = SortedWindow.lowerBound(old, p, n)  // p[i] == old
                let j = SortedWindow.lowerBound(v, p, n)
                if j > i {
                    // Drop p[i], slide p[i+1..<j] left, v lands at j-1.
                    memmove(base + i, base + i + 1, (j - 1 - i) * MemoryLayout<Double>.stride)
                    p[j - 1] = v
                } else {
                    // Slide p[j..<i] right over the dropped p[i], v lands at j.
                    memmove(base + j + 1, base + j, (i - j) * MemoryLayout<Double>.stride)
                    p[j] = v
                }
            }
        } else {
            sorted.withUnsafeMutableBufferPointer { p in
                guard let base = p.baseAddress else { return }
                let j = SortedWindow.lowerBound(v, p, n)
                memmove(base + j + 1, base + j, (n - j) * MemoryLayout<Double>.stride)
                p[j] = v
            }
            count = n + 1
        }
        ring[head] = v
        head = head + 1 == cap ? 0 : head + 1
    }

    /// Distance from v to its k-th nearest remembered value; infinity when fewer
    /// than k values are remembered.
    func neighbourDistance(_ k: Int, to v: Double) -> Double {
        let n = count
        guard k >= 1, n >= k else { return .infinity }
        return sorted.withUnsafeBufferPointer { p -> Double in
            var lo = 0, hi = n
            while lo < hi {
                let mid = (lo + hi) >> 1
                if p[mid] < v { lo = mid + 1 } else { hi = mid }
            }
            var up = lo, down = lo - 1
            var d = 0.0
            for _ in 0..<k {
                let dDown = down >= 0 ? v - p[down] : .infinity
                let dUp = up < n ? p[up] - v : .infinity
                if dDown <= dUp { d = dDown; down -= 1 } else { d = dUp; up += 1 }
            }
            return d
        }
    }
}

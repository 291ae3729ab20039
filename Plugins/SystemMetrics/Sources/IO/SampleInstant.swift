import Glibc

/// A point in time on CLOCK_BOOTTIME, the clock `/proc/<pid>/stat` start times
/// are measured against. It is monotonic and keeps counting through suspend,
/// so rates stay averaged over the real interval and uptimes stay correct.
public struct SampleInstant: Sendable, Hashable, Comparable {
    public var nanosecondsSinceBoot: UInt64

    public init(nanosecondsSinceBoot: UInt64) {
        self.nanosecondsSinceBoot = nanosecondsSinceBoot
    }

    public init(secondsSinceBoot: Double) {
        self.nanosecondsSinceBoot = secondsSinceBoot > 0 ? UInt64(secondsSinceBoot * 1e9) : 0
    }

    public static func now() -> SampleInstant {
        var spec = timespec()
        clock_gettime(CLOCK_BOOTTIME, &spec)
        return SampleInstant(
            nanosecondsSinceBoot: UInt64(max(spec.tv_sec, 0)) &* 1_000_000_000 &+ UInt64(max(spec.tv_nsec, 0)))
    }

    public var secondsSinceBoot: Double { Double(nanosecondsSinceBoot) / 1e9 }

    /// Seconds elapsed since `earlier`; negative when `earlier` is later.
    public func seconds(since earlier: SampleInstant) -> Double {
        nanosecondsSinceBoot >= earlier.nanosecondsSinceBoot
            ? Double(nanosecondsSinceBoot - earlier.nanosecondsSinceBoot) / 1e9
            : -Double(earlier.nanosecondsSinceBoot - nanosecondsSinceBoot) / 1e9
    }

    public static func < (lhs: SampleInstant, rhs: SampleInstant) -> Bool {
        lhs.nanosecondsSinceBoot < rhs.nanosecondsSinceBoot
    }
}

#if canImport(Glibc)
import Glibc
#endif

/// Converts zone-less local times (log timestamps) with the process's zone,
/// which the daemon sets from `logs.timezone` (TZ) at start.
package enum LocalTime {
    package static func micros(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int) -> Int64? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute),
              (0...60).contains(second), (0..<1_000_000).contains(microsecond), (1900...9999).contains(year) else { return nil }
        var t = tm()
        t.tm_year = Int32(year - 1900)
        t.tm_mon = Int32(month - 1)
        t.tm_mday = Int32(day)
        t.tm_hour = Int32(hour)
        t.tm_min = Int32(minute)
        t.tm_sec = Int32(second)
        t.tm_isdst = -1
        let seconds = mktime(&t)
        guard seconds != -1 || (year == 1969 && month == 12 && day == 31) else { return nil }
        // mktime normalises impossible dates (Feb 30 → Mar 2); refuse them instead.
        guard t.tm_mday == Int32(day), t.tm_mon == Int32(month - 1) else { return nil }
        return Int64(seconds) * 1_000_000 + Int64(microsecond)
    }
}

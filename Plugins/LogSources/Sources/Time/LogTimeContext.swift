#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ByteKit

/// The clock and time zone a parser works with, injected so the host's configured
/// zone applies (through `pqc_host_api.local_time_to_us`) and tests are deterministic.
public struct LogTimeContext: Sendable {
    /// Converts a zone-less local civil time (month 1-12) to microseconds since the
    /// epoch, UTC; nil for impossible dates.
    public typealias LocalTimeConverter = @Sendable (
        _ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int, _ microsecond: Int
    ) -> Int64?

    public var localToUTC: LocalTimeConverter
    /// Wall clock, microseconds since the epoch; used to infer the year of RFC 3164
    /// timestamps.
    public var nowMicros: @Sendable () -> Int64

    public init(localToUTC: @escaping LocalTimeConverter, nowMicros: @escaping @Sendable () -> Int64) {
        self.localToUTC = localToUTC
        self.nowMicros = nowMicros
    }

    /// Local times are UTC (servers usually run in UTC) and the clock is fixed.
    public static func utc(now: Int64) -> LogTimeContext {
        fixedOffset(seconds: 0, now: now)
    }

    /// Local times are `seconds` east of UTC; the clock is fixed. For tests.
    public static func fixedOffset(seconds: Int, now: Int64) -> LogTimeContext {
        LogTimeContext(
            localToUTC: { year, month, day, hour, minute, second, microsecond in
                CivilTime.utcMicros(
                    year: year, month: month, day: day, hour: hour, minute: minute,
                    second: second, microsecond: microsecond
                ).map { $0 - Int64(seconds) * CivilTime.microsPerSecond }
            },
            nowMicros: { now }
        )
    }

    /// The process's own zone (TZ / /etc/localtime via mktime) and the real clock:
    /// what a standalone tool wants. The plugin uses the host's functions instead.
    public static let system = LogTimeContext(
        localToUTC: { year, month, day, hour, minute, second, microsecond in
            LocalTime.micros(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                microsecond: microsecond)
        },
        nowMicros: {
            var spec = timespec()
            clock_gettime(CLOCK_REALTIME, &spec)
            return Int64(spec.tv_sec) * CivilTime.microsPerSecond + Int64(spec.tv_nsec / 1000)
        }
    )
}

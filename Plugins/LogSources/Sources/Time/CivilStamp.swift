import ByteKit

/// A civil date and time as written in a log line, before any zone is applied.
struct CivilStamp {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int
    var second: Int
    var microsecond: Int

    /// As UTC shifted by a known offset east of UTC (`+02:00` is 7200).
    func micros(offsetSeconds: Int) -> Int64? {
        CivilTime.utcMicros(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            microsecond: microsecond
        ).map { $0 - Int64(offsetSeconds) * CivilTime.microsPerSecond }
    }

    /// As local time in the configured zone.
    func localMicros(_ cache: inout LocalTimeCache, _ context: LogTimeContext) -> Int64? {
        cache.micros(
            context, year: year, month: month, day: day, hour: hour, minute: minute, second: second,
            microsecond: microsecond
        )
    }
}

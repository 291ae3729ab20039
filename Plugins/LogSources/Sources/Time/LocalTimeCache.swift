import ByteKit

/// Converts zone-less local times through the injected converter, once per hour.
///
/// The host's conversion (mktime-like) costs far more than parsing a line, and log
/// lines arrive in time order, so the start of the current hour is converted once and
/// minutes, seconds and microseconds are added. UTC offsets change on hour
/// boundaries in every zone but Lord Howe Island's half-hour DST, a cost accepted.
struct LocalTimeCache {
    private var cachedHourKey: Int = -1
    private var cachedHourStart: Int64 = 0

    mutating func micros(
        _ context: LogTimeContext,
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int
    ) -> Int64? {
        guard CivilTime.isValid(year: year, month: month, day: day, hour: hour, minute: minute, second: second),
            microsecond >= 0, microsecond < 1_000_000
        else { return nil }
        let key = ((year * 16 + month) * 32 + day) * 32 + hour
        if key != cachedHourKey {
            guard let start = context.localToUTC(year, month, day, hour, 0, 0, 0) else { return nil }
            cachedHourKey = key
            cachedHourStart = start
        }
        return cachedHourStart + Int64(minute * 60 + second) * CivilTime.microsPerSecond + Int64(microsecond)
    }
}

import ByteKit

/// Picks the year of RFC 3164 timestamps, which have none.
///
/// A line's year is the latest one that does not put it in the future (allowing a
/// day of clock skew): a December line read in January is last year's, a January
/// line read on 31 December (a fast remote clock) is next year's, and 29 February
/// goes back to the last leap year. The decision is cached per log hour, since lines
/// arrive in time order, and redone when the hour changes or every few thousand lines
/// so the clock is read rarely.
struct YearInference {
    private static let futureSlackMicros: Int64 = 86_400 * CivilTime.microsPerSecond
    private static let linesPerRefresh = 4096

    private var cachedKey = -1
    private var cachedYear = 0
    private var linesSinceRefresh = 0

    mutating func year(month: Int, day: Int, hour: Int, _ context: LogTimeContext) -> Int? {
        let key = (month * 32 + day) * 32 + hour
        linesSinceRefresh += 1
        if key == cachedKey, linesSinceRefresh < Self.linesPerRefresh {
            return cachedYear
        }
        let now = context.nowMicros()
        let latestAllowed = now + Self.futureSlackMicros
        let currentYear = CivilTime.utcYear(ofMicros: now)
        // Newest first: next year only wins across New Year with a fast clock.
        for year in stride(from: currentYear + 1, through: currentYear - 8, by: -1) {
            guard let micros = context.localToUTC(year, month, day, hour, 0, 0, 0), micros <= latestAllowed
            else { continue }
            cachedKey = key
            cachedYear = year
            linesSinceRefresh = 0
            return year
        }
        return nil
    }
}

/// Calendar arithmetic on the proleptic Gregorian calendar, in UTC, without
/// Foundation: the one copy of Howard Hinnant's days_from_civil / civil_from_days.
public enum CivilTime {
    public static let microsPerSecond: Int64 = 1_000_000

    @inlinable
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Whether the fields name a real instant-of-day on a real date (years 1-9999).
    /// Second 60 is allowed: leap seconds do appear in logs and land on the next second.
    @inlinable
    public static func isValid(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) -> Bool {
        year >= 1 && year <= 9999 && month >= 1 && month <= 12
            && day >= 1 && day <= daysInMonth(year: year, month: month)
            && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 60
    }

    /// Days since 1970-01-01 of a civil date (days_from_civil).
    @inlinable
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The civil date of a day count since 1970-01-01 (civil_from_days).
    @inlinable
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Splits seconds since the epoch into whole days and the second of that day
    /// (0..<86400), flooring for instants before 1970.
    @inlinable
    public static func daysAndSecondOfDay(_ seconds: Int64) -> (days: Int, second: Int) {
        var days = seconds / 86_400
        var second = seconds % 86_400
        if second < 0 {
            second += 86_400
            days -= 1
        }
        return (Int(days), Int(second))
    }

    /// Splits microseconds since the epoch into whole seconds and the microsecond
    /// of that second (0..<1_000_000), flooring for instants before 1970.
    @inlinable
    public static func secondsAndMicros(_ micros: Int64) -> (seconds: Int64, micros: Int) {
        var seconds = micros / microsPerSecond
        var fraction = micros % microsPerSecond
        if fraction < 0 {
            fraction += microsPerSecond
            seconds -= 1
        }
        return (seconds, Int(fraction))
    }

    /// Microseconds since the epoch of a UTC civil time; nil for impossible dates.
    @inlinable
    public static func utcMicros(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int
    ) -> Int64? {
        guard isValid(year: year, month: month, day: day, hour: hour, minute: minute, second: second),
            microsecond >= 0, microsecond < 1_000_000
        else { return nil }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return seconds * microsPerSecond + Int64(microsecond)
    }

    /// The UTC civil year containing `micros`.
    @inlinable
    public static func utcYear(ofMicros micros: Int64) -> Int {
        let days = daysAndSecondOfDay(secondsAndMicros(micros).seconds).days
        return civilFromDays(days).year
    }
}

import ByteKit

/// Timestamp pieces shared by the formats: ISO dates, clock times, zones, month names.
extension ByteScanner {
    /// `YYYY-MM-DD`.
    mutating func isoDate() -> (year: Int, month: Int, day: Int)? {
        let start = position
        guard let year = fixedDigits(4), consume(ASCII.minus),
            let month = fixedDigits(2), consume(ASCII.minus),
            let day = fixedDigits(2)
        else {
            position = start
            return nil
        }
        return (year, month, day)
    }

    /// `HH:MM:SS` (two digits each; the hour may be a single digit in some formats).
    mutating func clockTime() -> (hour: Int, minute: Int, second: Int)? {
        let start = position
        guard let hour = digits(maxCount: 2), consume(ASCII.colon),
            let minute = fixedDigits(2), consume(ASCII.colon),
            let second = fixedDigits(2)
        else {
            position = start
            return nil
        }
        return (hour, minute, second)
    }

    /// `YYYY-MM-DD[T ]HH:MM:SS[(.|,)fraction]`, no zone. `fractionSeparators` lists
    /// the bytes accepted before the fraction ("." for ISO, "," for Python logging).
    mutating func isoDateTime(fractionSeparators: (UInt8, UInt8) = (ASCII.dot, ASCII.comma)) -> CivilStamp? {
        let start = position
        guard let date = isoDate() else { return nil }
        guard let separator = peek(), separator == ASCII.space || separator == ASCII.upperT || separator == ASCII.lowerT
        else {
            position = start
            return nil
        }
        position += 1
        guard let time = clockTime() else {
            position = start
            return nil
        }
        var micros = 0
        if let next = peek(), next == fractionSeparators.0 || next == fractionSeparators.1,
            let digit = peek(at: 1), ASCII.isDigit(digit)
        {
            position += 1
            micros = fractionMicros() ?? 0
        }
        return CivilStamp(
            year: date.year, month: date.month, day: date.day, hour: time.hour, minute: time.minute,
            second: time.second, microsecond: micros
        )
    }

    /// A numeric zone right after a time: `Z`, `+HH:MM`, `+HHMM` or `+HH`, as seconds
    /// east of UTC. Stays put and returns nil when there is none.
    mutating func numericZoneOffset() -> Int? {
        guard let first = peek() else { return nil }
        if first == ASCII.upperZ || first == ASCII.lowerZ {
            position += 1
            return 0
        }
        guard first == ASCII.plus || first == ASCII.minus else { return nil }
        let start = position
        position += 1
        guard let hours = fixedDigits(2), hours <= 15 else {
            position = start
            return nil
        }
        var minutes = 0
        let beforeMinutes = position
        _ = consume(ASCII.colon)
        if let value = fixedDigits(2), value < 60 {
            minutes = value
        } else {
            position = beforeMinutes
        }
        let seconds = hours * 3600 + minutes * 60
        return first == ASCII.minus ? -seconds : seconds
    }

    /// An English month abbreviation (`Jan` ... `Dec`, any case) as 1-12.
    mutating func monthName() -> Int? {
        guard remaining >= 3 else { return nil }
        let packed =
            UInt32(ASCII.lowercased(bytes[position])) << 16
            | UInt32(ASCII.lowercased(bytes[position + 1])) << 8
            | UInt32(ASCII.lowercased(bytes[position + 2]))
        let month: Int
        switch packed {
        case 0x6A_616E: month = 1  // jan
        case 0x66_6562: month = 2  // feb
        case 0x6D_6172: month = 3  // mar
        case 0x61_7072: month = 4  // apr
        case 0x6D_6179: month = 5  // may
        case 0x6A_756E: month = 6  // jun
        case 0x6A_756C: month = 7  // jul
        case 0x61_7567: month = 8  // aug
        case 0x73_6570: month = 9  // sep
        case 0x6F_6374: month = 10  // oct
        case 0x6E_6F76: month = 11  // nov
        case 0x64_6563: month = 12  // dec
        default: return nil
        }
        position += 3
        return month
    }
}

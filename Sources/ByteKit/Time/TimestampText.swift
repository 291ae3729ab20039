/// Parses a timestamp written as text into whole seconds since the epoch (UTC):
/// the backtest's CSV column, and anything else that takes epoch or ISO 8601 text.
///
/// Accepted, with surrounding spaces ignored:
///  - epoch seconds, integer or fractional: `1706745600`, `1706745600.25`, `-5`;
///  - ISO 8601 / RFC 3339 and PostgreSQL's text form: `YYYY-MM-DD`, then `T` or a
///    space, `HH:MM`, optional `:SS`, optional `.fraction`, optional `Z` or an offset
///    `+hh`, `+hhmm`, `+hh:mm` (PostgreSQL prints `+00`). No offset means UTC.
/// `epochSeconds` drops fractions of a second (the detector works in whole
/// seconds); `epochMicros` keeps six digits of them (the plugin ABI's
/// `parse_timestamp`, ABI 1.3). `rfc3339(micros:)` writes the other way.
public enum TimestampText {
    public struct Invalid: Error, Sendable {
        public let reason: String
    }

    public static func epochSeconds(_ bytes: ArraySlice<UInt8>) throws(Invalid) -> Int64 {
        var s = bytes
        while let f = s.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
        guard !s.isEmpty else { throw Invalid(reason: "empty timestamp") }
        if s.count >= 10, s[s.startIndex + 4] == UInt8(ascii: "-") {
            return CivilTime.secondsAndMicros(try parseISO(s)).seconds
        }
        return try parseEpoch(s)
    }

    /// An ISO 8601 / RFC 3339 date-time (the forms above, not epoch numbers) as
    /// microseconds since the epoch, UTC; fraction digits past the sixth are dropped.
    public static func epochMicros(_ bytes: ArraySlice<UInt8>) throws(Invalid) -> Int64 {
        var s = bytes
        while let f = s.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
        guard s.count >= 10, s[s.startIndex + 4] == UInt8(ascii: "-") else {
            throw Invalid(reason: "not an ISO 8601 timestamp (want YYYY-MM-DDTHH:MM:SS[.ffffff][Z|+hh:mm])")
        }
        return try parseISO(s)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`: RFC 3339 in UTC, always six fraction digits
    /// (so lines sort as text), for years 0...9999.
    public static func rfc3339(micros: Int64) -> String {
        let (seconds, fraction) = CivilTime.secondsAndMicros(micros)
        let (days, secondOfDay) = CivilTime.daysAndSecondOfDay(seconds)
        let date = CivilTime.civilFromDays(days)
        var out: [UInt8] = []
        out.reserveCapacity(27)
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var v = max(0, value)
            while divisor > 0 {
                out.append(UInt8(0x30 + (v / divisor) % 10))
                v %= divisor
                divisor /= 10
            }
        }
        digits(date.year, 4); out.append(UInt8(ascii: "-"))
        digits(date.month, 2); out.append(UInt8(ascii: "-"))
        digits(date.day, 2); out.append(UInt8(ascii: "T"))
        digits(secondOfDay / 3600, 2); out.append(UInt8(ascii: ":"))
        digits(secondOfDay / 60 % 60, 2); out.append(UInt8(ascii: ":"))
        digits(secondOfDay % 60, 2); out.append(UInt8(ascii: "."))
        digits(fraction, 6); out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private static func parseEpoch(_ s: ArraySlice<UInt8>) throws(Invalid) -> Int64 {
        var i = s.startIndex
        var negative = false
        if s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") {
            negative = s[i] == UInt8(ascii: "-")
            i += 1
        }
        var seconds: Int64 = 0
        var digits = 0
        while i < s.endIndex, isDigit(s[i]) {
            guard digits < 15 else { throw Invalid(reason: "epoch seconds out of range") }
            seconds = seconds * 10 + Int64(s[i] - 0x30)
            digits += 1
            i += 1
        }
        var fractional = false
        if i < s.endIndex, s[i] == UInt8(ascii: ".") {
            i += 1
            var fractionDigits = 0
            while i < s.endIndex, isDigit(s[i]) {
                if s[i] != 0x30 { fractional = true }
                fractionDigits += 1
                i += 1
            }
            guard digits + fractionDigits > 0 else { throw Invalid(reason: "not a timestamp") }
        } else if digits == 0 {
            throw Invalid(reason: "not a timestamp")
        }
        guard i == s.endIndex else { throw Invalid(reason: "not a timestamp (want ISO 8601, YYYY-MM-DD HH:MM:SS or epoch seconds)") }
        // Floor, so -0.5 is second -1 like any other instant in that second.
        return negative ? -seconds - (fractional ? 1 : 0) : seconds
    }

    /// Microseconds since the epoch.
    private static func parseISO(_ s: ArraySlice<UInt8>) throws(Invalid) -> Int64 {
        var i = s.startIndex
        func number(_ width: Int) throws(Invalid) -> Int {
            guard i + width <= s.endIndex else { throw Invalid(reason: "truncated timestamp") }
            var v = 0
            for k in 0..<width {
                let b = s[i + k]
                guard isDigit(b) else { throw Invalid(reason: "not a timestamp (want ISO 8601, YYYY-MM-DD HH:MM:SS or epoch seconds)") }
                v = v * 10 + Int(b - 0x30)
            }
            i += width
            return v
        }
        func expect(_ c: Character) throws(Invalid) {
            guard i < s.endIndex, s[i] == UInt8(ascii: c.unicodeScalars.first ?? "?") else {
                throw Invalid(reason: "not a timestamp (expected '\(c)')")
            }
            i += 1
        }
        let year = try number(4)
        try expect("-")
        let month = try number(2)
        try expect("-")
        let day = try number(2)
        var hour = 0, minute = 0, second = 0, micros = 0
        if i < s.endIndex {
            guard s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") || s[i] == 0x20 else {
                throw Invalid(reason: "not a timestamp (expected 'T' or a space after the date)")
            }
            i += 1
            hour = try number(2)
            try expect(":")
            minute = try number(2)
            if i < s.endIndex, s[i] == UInt8(ascii: ":") {
                i += 1
                second = try number(2)
                if i < s.endIndex, s[i] == UInt8(ascii: ".") || s[i] == UInt8(ascii: ",") {
                    i += 1
                    let start = i
                    var scale = 100_000
                    while i < s.endIndex, isDigit(s[i]) {
                        micros += Int(s[i] - 0x30) * scale
                        scale /= 10
                        i += 1
                    }
                    guard i > start else { throw Invalid(reason: "empty fraction of a second") }
                }
            }
        }
        var offsetSeconds = 0
        if i < s.endIndex {
            // An offset may follow a space in PostgreSQL's output ("... 00:00:00 +00").
            if s[i] == 0x20 { i += 1 }
            guard i < s.endIndex else { throw Invalid(reason: "truncated timestamp") }
            let c = s[i]
            if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
                i += 1
            } else if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                i += 1
                let oh = try number(2)
                var om = 0
                if i < s.endIndex {
                    if s[i] == UInt8(ascii: ":") { i += 1 }
                    om = try number(2)
                }
                guard oh <= 23, om <= 59 else { throw Invalid(reason: "bad UTC offset") }
                offsetSeconds = (oh * 3600 + om * 60) * (c == UInt8(ascii: "-") ? -1 : 1)
            } else {
                throw Invalid(reason: "unexpected text after the time")
            }
            guard i == s.endIndex else { throw Invalid(reason: "unexpected text after the time") }
        }
        guard month >= 1, month <= 12, day >= 1, day <= CivilTime.daysInMonth(year: year, month: month),
            hour <= 24, minute <= 59, second <= 60, hour < 24 || (minute == 0 && second == 0)
        else { throw Invalid(reason: "no such date or time") }
        let days = Int64(CivilTime.daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        return seconds * 1_000_000 + Int64(micros)
    }
}

/// UTC offsets of zone abbreviations as PostgreSQL's `%m`/`%t` print them.
///
/// Only unambiguous ones: "CST" (US or China) and "IST" (India, Ireland, Israel) are
/// left out on purpose, and an abbreviation not listed falls back to the configured
/// local zone, which is right whenever the database and the collector share a host.
enum ZoneAbbreviation {
    /// Seconds east of UTC for the abbreviation in `bytes[start..<end]`.
    static func offsetSeconds(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Int? {
        let length = end - start
        guard length >= 1, length <= 5, start >= 0, end <= bytes.count else { return nil }
        var packed: UInt64 = 0
        for index in start..<end {
            let byte = bytes[index]
            guard ASCII.isLetter(byte) else { return nil }
            packed = packed << 8 | UInt64(byte & ~0x20)  // uppercase
        }
        for entry in table where entry.packed == packed {
            return entry.offset
        }
        return nil
    }

    private static let table: [(packed: UInt64, offset: Int)] = {
        let hour = 3600
        let zones: [(StaticString, Int)] = [
            ("UTC", 0), ("GMT", 0), ("UCT", 0), ("Z", 0), ("UT", 0), ("WET", 0),
            ("BST", hour), ("WEST", hour), ("CET", hour), ("MET", hour), ("WAT", hour),
            ("CEST", 2 * hour), ("MEST", 2 * hour), ("EET", 2 * hour), ("SAST", 2 * hour), ("CAT", 2 * hour),
            ("EEST", 3 * hour), ("MSK", 3 * hour), ("EAT", 3 * hour), ("TRT", 3 * hour),
            ("GST", 4 * hour), ("PKT", 5 * hour), ("WIB", 7 * hour),
            ("HKT", 8 * hour), ("AWST", 8 * hour), ("SGT", 8 * hour), ("PHT", 8 * hour),
            ("JST", 9 * hour), ("KST", 9 * hour), ("AEST", 10 * hour), ("AEDT", 11 * hour),
            ("NZST", 12 * hour), ("NZDT", 13 * hour),
            ("NST", -(3 * hour + 1800)), ("NDT", -(2 * hour + 1800)),
            ("AST", -4 * hour), ("ADT", -3 * hour), ("EDT", -4 * hour), ("EST", -5 * hour), ("CDT", -5 * hour),
            ("MDT", -6 * hour), ("MST", -7 * hour), ("PDT", -7 * hour), ("PST", -8 * hour),
            ("AKDT", -8 * hour), ("AKST", -9 * hour), ("HDT", -9 * hour), ("HST", -10 * hour),
        ]
        return zones.map { name, offset in
            var packed: UInt64 = 0
            let start = name.utf8Start
            for index in 0..<name.utf8CodeUnitCount { packed = packed << 8 | UInt64(start[index]) }
            return (packed, offset)
        }
    }()
}

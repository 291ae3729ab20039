#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one conversion of a zone-less local civil time with the process's zone (TZ,
/// else /etc/localtime), through `mktime`. The daemon sets TZ from `logs.timezone`
/// at start and hands this to plugins as `local_time_to_us`; standalone tools use it
/// directly.
public enum LocalTime {
    /// Microseconds since the epoch (UTC); nil for impossible dates (checked here,
    /// because mktime would silently normalise 30 February to 2 March). A DST gap
    /// time is normalised by mktime (02:30 on a spring-forward night is 03:30).
    public static func micros(
        year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int
    ) -> Int64? {
        guard CivilTime.isValid(year: year, month: month, day: day, hour: hour, minute: minute, second: second),
            microsecond >= 0, microsecond < 1_000_000
        else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        parts.tm_isdst = -1  // let the zone rules decide
        let seconds = mktime(&parts)
        // -1 is also the error value; it is a real instant only around the epoch.
        guard seconds != -1 || year == 1969 || year == 1970 else { return nil }
        return Int64(seconds) * CivilTime.microsPerSecond + Int64(microsecond)
    }
}

extension LocalTime {
    /// Why `TZ=name` would not give the zone asked for, or nil when the zone
    /// database has it. glibc falls back to UTC for a zone it cannot load, in
    /// silence, and every zone-less log timestamp would then be off by the
    /// zone's offset: so a zone is checked by finding its TZif file, as glibc
    /// would (`:name` or `name` under `$TZDIR`, else /usr/share/zoneinfo, or
    /// an absolute path).
    public static func zoneProblem(_ name: String) -> String? {
        let zone = name.hasPrefix(":") ? String(name.dropFirst()) : name
        if zone.isEmpty { return "empty zone name" }
        if zone.utf8.contains(0) { return "a zone name cannot contain NUL" }
        let path: String
        if zone.hasPrefix("/") {
            path = zone
        } else {
            if zone.split(separator: "/").contains("..") { return "a zone name cannot contain '..'" }
            let directory = getenv("TZDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/usr/share/zoneinfo"
            path = directory + "/" + zone
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ENOENT ? "no such zone" : String(cString: strerror(errno))
            return "\(reason) (\(path))"
        }
        defer { close(fd) }
        var magic = [UInt8](repeating: 0, count: 4)
        let n = read(fd, &magic, 4)
        guard n == 4, magic == Array("TZif".utf8) else { return "not a zone (\(path) is not a TZif file)" }
        return nil
    }
}

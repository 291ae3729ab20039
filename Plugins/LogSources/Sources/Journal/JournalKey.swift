/// The journal fields the journalctl parser reads; every other key is skipped.
enum JournalKey {
    case message
    case priority
    case syslogIdentifier
    case systemdUnit
    case pid
    case hostname
    case realtimeTimestamp
    case command

    /// Recognises the raw key bytes `line[start..<end]`.
    init?(_ line: UnsafeRawBufferPointer, from start: Int, to end: Int) {
        let key = UnsafeRawBufferPointer(rebasing: line[start..<end])
        // Cheap rejection first: keys we want start with M, P, S or _.
        guard let first = key.first, first == 0x4D || first == 0x50 || first == 0x53 || first == ASCII.underscore
        else { return nil }
        for (name, value) in Self.names where name.utf8CodeUnitCount == key.count {
            if Self.equals(key, name) {
                self = value
                return
            }
        }
        return nil
    }

    private static let names: [(StaticString, JournalKey)] = [
        ("MESSAGE", .message), ("PRIORITY", .priority), ("SYSLOG_IDENTIFIER", .syslogIdentifier),
        ("_SYSTEMD_UNIT", .systemdUnit), ("_PID", .pid), ("_HOSTNAME", .hostname),
        ("__REALTIME_TIMESTAMP", .realtimeTimestamp), ("_COMM", .command),
    ]

    private static func equals(_ key: UnsafeRawBufferPointer, _ name: StaticString) -> Bool {
        let start = name.utf8Start
        for index in 0..<key.count where key[index] != start[index] {
            return false
        }
        return true
    }
}

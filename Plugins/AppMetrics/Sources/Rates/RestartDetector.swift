/// Notices from its reported uptime that the scraped process restarted
/// between two samples.
///
/// A counter that dropped already shows a restart, but one that climbed past
/// its old value before the next scrape (a restart during an outage, say) does
/// not; an uptime that went backwards does. Only a decrease counts: an
/// exporter whose "uptime" does not advance (or is a start timestamp) must not
/// make every sample look like a restart and suppress all rates.
struct RestartDetector: Sendable {
    private var previousUptime: Double?

    init() {}

    mutating func restarted(uptimeSecs: Double?) -> Bool {
        guard let uptimeSecs else { return false }
        defer { previousUptime = uptimeSecs }
        guard let previousUptime else { return false }
        // One second of slack for exporters that round uptime.
        return uptimeSecs + 1 < previousUptime
    }
}

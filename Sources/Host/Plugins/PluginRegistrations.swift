import PluginABI

/// A tick as a plugin registered it (copied out of its pqc_tick_def).
struct TickRegistration: Sendable {
    let name: String
    let group: TickGroup?
    let defaultIntervalMs: UInt32
    let slow: Bool
    let run: @convention(c) (UnsafeMutableRawPointer?) -> pqc_status
    nonisolated(unsafe) let userData: UnsafeMutableRawPointer?

    var lane: Lane { slow ? .slow : (group?.lane ?? .fast) }
}

struct ParserRegistration: Sendable {
    let name: String
    let create: (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> UnsafeMutableRawPointer?)?
    let parse: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<pqc_log_record>?) -> pqc_parse_result
    let destroy: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?
    nonisolated(unsafe) let userData: UnsafeMutableRawPointer?
}

struct AnalyzerRegistration: Sendable {
    let name: String
    let group: TickGroup
    let run: @convention(c) (UnsafeMutableRawPointer?) -> pqc_status
    nonisolated(unsafe) let userData: UnsafeMutableRawPointer?
}

/// Names plugins give their ticks, parsers, analyzers and themselves.
enum PluginName {
    static func isValid(_ s: String) -> Bool {
        let u = s.utf8
        return (1...48).contains(u.count) && u.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
}

import PluginABI

/// A tick as a plugin registered it (copied out of its pqc_tick_def).
package struct TickRegistration: Sendable {
    package let name: String
    package let group: TickGroup?
    package let defaultIntervalMs: UInt32
    package let slow: Bool
    package let run: @convention(c) (UnsafeMutableRawPointer?) -> pqc_status
    nonisolated(unsafe) let userData: UnsafeMutableRawPointer?

    package var lane: Lane { slow ? .slow : (group?.lane ?? .fast) }
}

package struct ParserRegistration: Sendable {
    package let name: String
    package let create: (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> UnsafeMutableRawPointer?)?
    package let parse: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<pqc_log_record>?) -> pqc_parse_result
    package let destroy: (@convention(c) (UnsafeMutableRawPointer?) -> Void)?
    nonisolated(unsafe) let userData: UnsafeMutableRawPointer?
    /// ABI 1.3: create() with the source's options; nil for older plugins.
    package var createWithOptions: (@convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, UnsafePointer<pqc_kv>?, Int) -> UnsafeMutableRawPointer?)? = nil
    /// The registering plugin's name, as a C string for crash attribution (set by register_parser).
    nonisolated(unsafe) package var owner: UnsafePointer<CChar>? = nil
}

package struct AnalyzerRegistration: Sendable {
    package let name: String
    package let group: TickGroup
    package let run: @convention(c) (UnsafeMutableRawPointer?) -> pqc_status
    nonisolated(unsafe) let userData: UnsafeMutableRawPointer?
}

/// Names plugins give their ticks, parsers, analyzers and themselves.
package enum PluginName {
    package static func isValid(_ s: String) -> Bool {
        let u = s.utf8
        return (1...48).contains(u.count) && u.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
}

import ByteKit

/// What a fail2ban jail line reports: the `action` context field, one stable
/// lower-case name per message form (docs/log-fields.md), so queries do not depend
/// on fail2ban's capitalisation or on "Restore Ban" having a space.
enum Fail2banAction: UInt8 {
    case found
    case ban
    case unban
    case restoreBan
    case reban
    case ignore
    case alreadyBanned
    case flush

    var name: StaticString {
        switch self {
        case .found: return "found"
        case .ban: return "ban"
        case .unban: return "unban"
        case .restoreBan: return "restore_ban"
        case .reban: return "reban"
        case .ignore: return "ignore"
        case .alreadyBanned: return "already_banned"
        case .flush: return "flush"
        }
    }

    /// Whether an address follows the action word.
    var hasAddress: Bool { self != .flush && self != .alreadyBanned }

    /// The action word at the scanner (consumed with its trailing space), or nil.
    init?(_ scanner: inout ByteScanner) {
        if scanner.consume(literal: "Found ") {
            self = .found
        } else if scanner.consume(literal: "Ban ") {
            self = .ban
        } else if scanner.consume(literal: "Unban ") {
            self = .unban
        } else if scanner.consume(literal: "Restore Ban ") {
            self = .restoreBan
        } else if scanner.consume(literal: "Reban ") {
            self = .reban
        } else if scanner.consume(literal: "Ignore ") {
            self = .ignore
        } else if scanner.consume(literal: "Flush ") {
            self = .flush
        } else {
            return nil
        }
    }
}

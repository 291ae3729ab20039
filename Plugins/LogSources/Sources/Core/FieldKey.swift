/// Names of the structured context fields parsers extract (keys of the `context` JSONB).
///
/// A closed set so that the same thing has the same key in every source
/// (`context->>'client_ip'` works for Apache, fail2ban and PostgreSQL alike), and
/// so that keys are static NUL-terminated strings the C glue can hand out as is.
public enum FieldKey: UInt8, Sendable, CaseIterable {
    case pid
    case tid
    case user
    case database
    case application
    case clientIP
    case clientPort
    case unit
    case module
    case syslogIdentifier
    case host
    case facility
    case errorCode
    case queryID
    case jail
    case action
    // Security fields (docs/log-fields.md): sshd/PAM and kernel firewall lines.
    case sshEvent
    case method
    case clientHost
    case sourceIP
    case destinationIP
    case sourcePort
    case destinationPort
    case proto
    case inInterface
    case outInterface
    case logPrefix

    /// The JSON key; a string literal, so `utf8Start` is NUL-terminated and immortal.
    public var name: StaticString {
        switch self {
        case .pid: return "pid"
        case .tid: return "tid"
        case .user: return "user"
        case .database: return "database"
        case .application: return "application"
        case .clientIP: return "client_ip"
        case .clientPort: return "client_port"
        case .unit: return "unit"
        case .module: return "module"
        case .syslogIdentifier: return "syslog_identifier"
        case .host: return "host"
        case .facility: return "facility"
        case .errorCode: return "error_code"
        case .queryID: return "query_id"
        case .jail: return "jail"
        case .action: return "action"
        case .sshEvent: return "ssh_event"
        case .method: return "method"
        case .clientHost: return "client_host"
        case .sourceIP: return "src_ip"
        case .destinationIP: return "dst_ip"
        case .sourcePort: return "src_port"
        case .destinationPort: return "dst_port"
        case .proto: return "proto"
        case .inInterface: return "in_iface"
        case .outInterface: return "out_iface"
        case .logPrefix: return "log_prefix"
        }
    }

    public var nameString: String { name.description }
}

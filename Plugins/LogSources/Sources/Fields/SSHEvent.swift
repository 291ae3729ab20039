/// What an sshd (or sshd PAM) line reports: the `ssh_event` context field. The
/// list and the message forms behind each name are in docs/log-fields.md.
enum SSHEvent: UInt8, CaseIterable {
    case failedPassword
    case failedPublickey
    case failedKeyboardInteractive
    case failedOther
    case invalidUser
    case authFailure
    case unknownUser
    case tooManyFailures
    case userNotAllowed
    case reverseMappingFailed
    case accepted
    case sessionOpened
    case sessionClosed
    case connection
    case connectionClosed
    case connectionReset
    case preauthDisconnect
    case disconnected
    case noIdentification
    case badProtocol
    case negotiationFailure
    case loginTimeout

    /// The stored value; literals, so they can be borrowed by any record.
    var name: StaticString {
        switch self {
        case .failedPassword: return "failed_password"
        case .failedPublickey: return "failed_publickey"
        case .failedKeyboardInteractive: return "failed_keyboard_interactive"
        case .failedOther: return "failed_other"
        case .invalidUser: return "invalid_user"
        case .authFailure: return "auth_failure"
        case .unknownUser: return "unknown_user"
        case .tooManyFailures: return "too_many_failures"
        case .userNotAllowed: return "user_not_allowed"
        case .reverseMappingFailed: return "reverse_mapping_failed"
        case .accepted: return "accepted"
        case .sessionOpened: return "session_opened"
        case .sessionClosed: return "session_closed"
        case .connection: return "connection"
        case .connectionClosed: return "connection_closed"
        case .connectionReset: return "connection_reset"
        case .preauthDisconnect: return "preauth_disconnect"
        case .disconnected: return "disconnected"
        case .noIdentification: return "no_identification"
        case .badProtocol: return "bad_protocol"
        case .negotiationFailure: return "negotiation_failure"
        case .loginTimeout: return "login_timeout"
        }
    }
}

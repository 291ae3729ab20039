/// Why a statement failed, classified once where the host's error enters the
/// plugin, so tiers decide on a kind instead of parsing messages.
struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    enum Kind: Sendable, Equatable {
        /// No connection right now (database down, reconnect backoff, link lost):
        /// the whole tick is retried later by the host.
        case connection
        /// The SQL names a column, table or function this server does not have
        /// (42703, 42P01, 42883, 42704): the server or extension version may have
        /// changed under us, so it is re-detected.
        case undefinedObject
        /// The role may not read it (42501): the tier is skipped, warned once.
        case privilege
        /// A prerequisite is missing (55000, e.g. pg_stat_statements not in
        /// shared_preload_libraries): the tier is skipped, warned once.
        case prerequisite
        /// Anything else (statement timeout, out of memory, ...).
        case other
    }

    let kind: Kind
    /// The five-character SQLSTATE, when the server sent one.
    let sqlstate: String?
    let message: String

    var description: String { message }

    init(kind: Kind, sqlstate: String? = nil, message: String) {
        self.kind = kind
        self.sqlstate = sqlstate
        self.message = message
    }

    /// Classifies a failed host query. `connectionLost` is the host's own verdict
    /// (PQC_RETRY); otherwise the SQLSTATE at the start of the host's error text
    /// ("SQLSTATE 42P01: relation ... does not exist") decides.
    static func classify(connectionLost: Bool, message: String) -> QueryError {
        if connectionLost { return QueryError(kind: .connection, message: message) }
        let state = sqlstate(in: message)
        let kind: Kind = switch state {
        case "42703", "42P01", "42883", "42704": .undefinedObject
        case "42501": .privilege
        case "55000": .prerequisite
        default: .other
        }
        return QueryError(kind: kind, sqlstate: state, message: message)
    }

    /// The SQLSTATE of a "SQLSTATE xxxxx: message" text, or nil.
    static func sqlstate(in message: String) -> String? {
        let prefix = "SQLSTATE "
        guard message.hasPrefix(prefix) else { return nil }
        let code = message.dropFirst(prefix.count).prefix(5)
        guard code.count == 5, code.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }) else { return nil }
        return String(code)
    }
}

/// A PostgreSQL failure with what an operator needs: the SQLSTATE and message.
struct PGError: Error, CustomStringConvertible, Sendable {
    enum Kind: Sendable {
        /// No usable connection (refused, reset, in reconnect backoff): try later.
        case connection
        /// The server rejected the statement.
        case server
        /// Misuse on our side (bad COPY data, wrong result shape).
        case client
    }

    let kind: Kind
    let sqlstate: String
    let message: String

    var description: String {
        sqlstate.isEmpty ? message : "SQLSTATE \(sqlstate): \(message)"
    }

    /// SQLSTATE class 08 (connection exception) and 57P0x (shutdown) mean the link is gone.
    var isConnectionLoss: Bool {
        kind == .connection || sqlstate.hasPrefix("08") || sqlstate.hasPrefix("57P0")
    }

    static func connection(_ message: String) -> PGError { PGError(kind: .connection, sqlstate: "", message: message) }
    static func client(_ message: String) -> PGError { PGError(kind: .client, sqlstate: "", message: message) }
}

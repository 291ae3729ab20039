/// A PostgreSQL failure with what an operator needs: the SQLSTATE and message.
package struct PGError: Error, CustomStringConvertible, Sendable {
    package enum Kind: Sendable {
        /// No usable connection (refused, reset, in reconnect backoff): try later.
        case connection
        /// The server rejected the statement.
        case server
        /// Misuse on our side (bad COPY data, wrong result shape).
        case client
    }

    package let kind: Kind
    package let sqlstate: String
    package let message: String

    package var description: String {
        sqlstate.isEmpty ? message : "SQLSTATE \(sqlstate): \(message)"
    }

    /// SQLSTATE class 08 (connection exception) and 57P0x (shutdown) mean the link is gone.
    package var isConnectionLoss: Bool {
        kind == .connection || sqlstate.hasPrefix("08") || sqlstate.hasPrefix("57P0")
    }

    package static func connection(_ message: String) -> PGError { PGError(kind: .connection, sqlstate: "", message: message) }
    package static func client(_ message: String) -> PGError { PGError(kind: .client, sqlstate: "", message: message) }
}

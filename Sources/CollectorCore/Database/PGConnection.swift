#if canImport(Glibc)
import Glibc
#endif
import CLibPQ

/// One libpq connection. Not thread-safe: `DatabaseLane` serialises access.
package final class PGConnection: @unchecked Sendable {
    private let conn: OpaquePointer

    package init(conninfo: String) throws(PGError) {
        guard let c = PQconnectdb(conninfo) else { throw .connection("out of memory creating a connection") }
        guard PQstatus(c) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(c))
            PQfinish(c)
            throw .connection(message)
        }
        conn = c
        // Row values are written as UTC timestamps; make the session agree.
        _ = try? execute("SET TIME ZONE 'UTC'")
    }

    deinit { PQfinish(conn) }

    package var isHealthy: Bool { PQstatus(conn) == CONNECTION_OK }

    /// True when no transaction is open on the connection (PQtransactionStatus
    /// IDLE): after a plugin's statement the host insists on it.
    package var isIdle: Bool { PQtransactionStatus(conn) == PQTRANS_IDLE }

    /// Server version as an integer (150012 for 15.12).
    package var serverVersion: Int { Int(PQserverVersion(conn)) }

    /// Runs one statement with text parameters ($1...); nil is SQL NULL.
    @discardableResult
    package func query(_ sql: String, _ params: [String?] = []) throws(PGError) -> PGResult {
        let result: OpaquePointer? = withCStrings(params) { ptrs in
            PQexecParams(conn, sql, Int32(ptrs.count), nil, ptrs.baseAddress, nil, nil, 0)
        }
        return try check(result)
    }

    /// Runs one parameterised statement with raw C string parameters (plugin calls).
    package func query(_ sql: UnsafePointer<CChar>, cParams: UnsafePointer<UnsafePointer<CChar>?>?, count: Int) throws(PGError) -> PGResult {
        try check(PQexecParams(conn, sql, Int32(count), nil, cParams, nil, nil, 0))
    }

    /// Runs SQL that may hold several statements (migrations), without parameters.
    @discardableResult
    package func execute(_ sql: String) throws(PGError) -> PGResult {
        try check(PQexec(conn, sql))
    }

    /// `COPY ... FROM STDIN` with text-format `data`.
    @discardableResult
    package func copyIn(_ copySQL: String, data: [UInt8]) throws(PGError) -> Int {
        try copyBegin(copySQL)
        var failure: PGError?
        data.withUnsafeBytes { bytes in
            do throws(PGError) { try copyPut(bytes) } catch { failure = error }
        }
        return try copyEnd(abortWith: failure)
    }

    /// Starts `COPY ... FROM STDIN`; send data with `copyPut`, finish with `copyEnd`.
    /// Streaming lets the server insert rows while the caller is still encoding.
    package func copyBegin(_ copySQL: String) throws(PGError) {
        let start = PQexec(conn, copySQL)
        guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try check(start)
            throw .client("\(copySQL) did not enter COPY IN mode")
        }
        PQclear(start)
    }

    /// Sends COPY text-format bytes (whole rows or not: the server reassembles them).
    package func copyPut(_ bytes: UnsafeRawBufferPointer) throws(PGError) {
        var offset = 0
        let piece = 1 << 20
        while offset < bytes.count, let base = bytes.baseAddress {
            let n = min(piece, bytes.count - offset)
            let rc = PQputCopyData(conn, (base + offset).assumingMemoryBound(to: CChar.self), Int32(n))
            guard rc == 1 else { throw .connection(Self.trimmed(PQerrorMessage(conn))) }
            offset += n
        }
    }

    /// Ends the COPY (aborting it when `failure` is given) and returns the rows stored.
    @discardableResult
    package func copyEnd(abortWith failure: PGError? = nil) throws(PGError) -> Int {
        if PQputCopyEnd(conn, failure?.message) != 1 {
            throw .connection(Self.trimmed(PQerrorMessage(conn)))
        }
        // Drain every result; the first error wins.
        var firstError: PGError?
        var rows = 0
        while let r = PQgetResult(conn) {
            if PQresultStatus(r) == PGRES_COMMAND_OK {
                rows += Int(String(cString: PQcmdTuples(r))) ?? 0
            } else if firstError == nil {
                firstError = makeError(r)
            }
            PQclear(r)
        }
        if let failure { throw failure }
        if let firstError { throw firstError }
        return rows
    }

    /// Runs `body` inside BEGIN/COMMIT, rolling back when it throws.
    package func transaction<T>(_ body: () throws(PGError) -> T) throws(PGError) -> T {
        try execute("BEGIN")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            _ = try? execute("ROLLBACK")
            throw error
        }
    }

    private func check(_ result: OpaquePointer?) throws(PGError) -> PGResult {
        guard let result else {
            throw PGError(kind: isHealthy ? .server : .connection, sqlstate: "", message: Self.trimmed(PQerrorMessage(conn)))
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY, PGRES_SINGLE_TUPLE:
            return PGResult(result)
        default:
            let error = makeError(result)
            PQclear(result)
            throw error
        }
    }

    private func makeError(_ result: OpaquePointer) -> PGError {
        let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
        var message = PQresultErrorField(result, Int32(UInt8(ascii: "M"))).map { String(cString: $0) }
            ?? Self.trimmed(PQresultErrorMessage(result))
        if message.isEmpty { message = Self.trimmed(PQerrorMessage(conn)) }
        let kind: PGError.Kind = (!isHealthy || state.hasPrefix("08")) ? .connection : .server
        return PGError(kind: kind, sqlstate: state, message: message)
    }

    package static func trimmed(_ p: UnsafePointer<CChar>?) -> String {
        guard let p else { return "" }
        return String(cString: p).trimmingSpaces
    }
}

/// Runs `body` with NUL-terminated copies of `strings` (nil → NULL pointer).
package func withCStrings<T>(_ strings: [String?], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> T) -> T {
    let owned: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
    defer { owned.forEach { free($0) } }
    return owned.map { $0.map { UnsafePointer($0) } }.withUnsafeBufferPointer(body)
}

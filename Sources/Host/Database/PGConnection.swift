#if canImport(Glibc)
import Glibc
#endif
import CLibPQ

/// One libpq connection. Not thread-safe: `DatabaseLane` serialises access.
final class PGConnection: @unchecked Sendable {
    private let conn: OpaquePointer

    init(conninfo: String) throws(PGError) {
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

    var isHealthy: Bool { PQstatus(conn) == CONNECTION_OK }

    /// Server version as an integer (150012 for 15.12).
    var serverVersion: Int { Int(PQserverVersion(conn)) }

    /// Runs one statement with text parameters ($1...); nil is SQL NULL.
    @discardableResult
    func query(_ sql: String, _ params: [String?] = []) throws(PGError) -> PGResult {
        let result: OpaquePointer? = withCStrings(params) { ptrs in
            PQexecParams(conn, sql, Int32(ptrs.count), nil, ptrs.baseAddress, nil, nil, 0)
        }
        return try check(result)
    }

    /// Runs one parameterised statement with raw C string parameters (plugin calls).
    func query(_ sql: UnsafePointer<CChar>, cParams: UnsafePointer<UnsafePointer<CChar>?>?, count: Int) throws(PGError) -> PGResult {
        try check(PQexecParams(conn, sql, Int32(count), nil, cParams, nil, nil, 0))
    }

    /// Runs SQL that may hold several statements (migrations), without parameters.
    @discardableResult
    func execute(_ sql: String) throws(PGError) -> PGResult {
        try check(PQexec(conn, sql))
    }

    /// `COPY ... FROM STDIN` with text-format `data`, in pieces of at most 1 MiB.
    @discardableResult
    func copyIn(_ copySQL: String, data: [UInt8]) throws(PGError) -> Int {
        let start = PQexec(conn, copySQL)
        guard let start, PQresultStatus(start) == PGRES_COPY_IN else {
            _ = try check(start)
            throw .client("\(copySQL) did not enter COPY IN mode")
        }
        PQclear(start)
        var offset = 0
        let piece = 1 << 20
        var failure: String?
        data.withUnsafeBufferPointer { buffer in
            while offset < buffer.count {
                let n = min(piece, buffer.count - offset)
                let rc = buffer.baseAddress!.advanced(by: offset).withMemoryRebound(to: CChar.self, capacity: n) {
                    PQputCopyData(conn, $0, Int32(n))
                }
                if rc != 1 {
                    failure = Self.trimmed(PQerrorMessage(conn))
                    return
                }
                offset += n
            }
        }
        if PQputCopyEnd(conn, failure) != 1 {
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
        if let firstError { throw firstError }
        if let failure { throw .connection(failure) }
        return rows
    }

    /// Runs `body` inside BEGIN/COMMIT, rolling back when it throws.
    func transaction<T>(_ body: () throws(PGError) -> T) throws(PGError) -> T {
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

    static func trimmed(_ p: UnsafePointer<CChar>?) -> String {
        guard let p else { return "" }
        return String(cString: p).trimmingSpaces
    }
}

/// Runs `body` with NUL-terminated copies of `strings` (nil → NULL pointer).
func withCStrings<T>(_ strings: [String?], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> T) -> T {
    let owned: [UnsafeMutablePointer<CChar>?] = strings.map { $0.map { strdup($0) } ?? nil }
    defer { owned.forEach { free($0) } }
    return owned.map { $0.map { UnsafePointer($0) } }.withUnsafeBufferPointer(body)
}

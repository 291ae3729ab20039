import CLibPQ

/// An owned libpq result; cells are read in place (no copies) until it is released.
package final class PGResult: @unchecked Sendable {
    package let raw: OpaquePointer

    package init(_ raw: OpaquePointer) { self.raw = raw }
    deinit { PQclear(raw) }

    package var rowCount: Int { Int(PQntuples(raw)) }
    package var columnCount: Int { Int(PQnfields(raw)) }
    /// Rows touched by INSERT/UPDATE/DELETE/COPY.
    package var affectedRows: Int { Int(String(cString: PQcmdTuples(raw))) ?? 0 }

    package func columnName(_ column: Int) -> UnsafePointer<CChar>? {
        guard column >= 0, column < columnCount else { return nil }
        return PQfname(raw, Int32(column)).map { UnsafePointer($0) }
    }

    /// The cell's text, or nil for SQL NULL or out of range.
    package func cString(_ row: Int, _ column: Int) -> UnsafePointer<CChar>? {
        guard row >= 0, row < rowCount, column >= 0, column < columnCount else { return nil }
        if PQgetisnull(raw, Int32(row), Int32(column)) == 1 { return nil }
        return UnsafePointer(PQgetvalue(raw, Int32(row), Int32(column)))
    }

    package func string(_ row: Int, _ column: Int) -> String? { cString(row, column).map { String(cString: $0) } }
    package func int(_ row: Int, _ column: Int) -> Int64? { string(row, column).flatMap { Int64($0) } }
}

import CLibPQ

/// Path (a"), a prototype, not (yet) the daemon's: the log ingester's commit
/// (COPY + position upsert per `largeBatch` rows), but the COPY data is handed
/// to libpq in 64 KiB pieces while the rows are being encoded, so the server
/// parses and indexes one piece while the client encodes the next. It measures
/// what a streaming variant of `PGConnection.copyIn` would gain over encoding
/// the whole batch first (path a'); it uses libpq directly because
/// PGConnection has no such API.
extension StorageBench {
    func writeStreamed(_ table: BenchTable) throws -> Measurement {
        guard let conn = PQconnectdb(conninfo(database: options.scratchName)) else { throw BenchError("libpq: out of memory") }
        defer { PQfinish(conn) }
        guard PQstatus(conn) == CONNECTION_OK else {
            throw BenchError("connect: \(String(cString: PQerrorMessage(conn)).trimmingSpaces)")
        }
        func exec(_ sql: String, _ params: [String?] = [], expect: ExecStatusType = PGRES_COMMAND_OK) throws {
            let r = withCStrings(params) { PQexecParams(conn, sql, Int32($0.count), nil, $0.baseAddress, nil, nil, 0) }
            defer { PQclear(r) }
            guard PQresultStatus(r) == expect else {
                throw BenchError("\(sql.prefix(40)): \(String(cString: PQerrorMessage(conn)).trimmingSpaces)")
            }
        }
        func put(_ e: inout CopyEncoder) throws {
            guard !e.bytes.isEmpty else { return }
            let rc = e.bytes.withUnsafeBytes { PQputCopyData(conn, $0.baseAddress!.assumingMemoryBound(to: CChar.self), Int32($0.count)) }
            guard rc == 1 else { throw BenchError("PQputCopyData: \(String(cString: PQerrorMessage(conn)).trimmingSpaces)") }
            e.removeAll()
        }
        let piece = 64 << 10
        let start = MonotonicClock.nowNanos()
        var encoder = CopyEncoder(reservingCapacity: piece + 4096)
        var offset: Int64 = 0
        var i = 0
        while i < table.rows.count {
            let end = min(i + options.largeBatch, table.rows.count)
            try exec("BEGIN")
            try exec(table.copySQL, expect: PGRES_COPY_IN)
            for r in i..<end {
                BenchTable.encode(table.rows[r], into: &encoder)
                if encoder.bytes.count >= piece {
                    offset += Int64(encoder.bytes.count)
                    try put(&encoder)
                }
            }
            offset += Int64(encoder.bytes.count)
            try put(&encoder)
            guard PQputCopyEnd(conn, nil) == 1 else { throw BenchError("PQputCopyEnd: \(String(cString: PQerrorMessage(conn)).trimmingSpaces)") }
            var failure: String?
            while let r = PQgetResult(conn) {
                if PQresultStatus(r) != PGRES_COMMAND_OK, failure == nil { failure = String(cString: PQresultErrorMessage(r)).trimmingSpaces }
                PQclear(r)
            }
            if let failure { throw BenchError("COPY: \(failure)") }
            try exec("""
                INSERT INTO collector.log_positions (host, source, source_type, path, device, inode, byte_offset, cursor, updated_at)
                VALUES ($1, $2, 'file', $3, $4::bigint, $5::bigint, $6::bigint, NULL, now())
                ON CONFLICT (host, source) DO UPDATE SET source_type = 'file', path = EXCLUDED.path, device = EXCLUDED.device,
                    inode = EXCLUDED.inode, byte_offset = EXCLUDED.byte_offset, cursor = NULL, updated_at = now()
                """, [LogRows.hostname, "bench", "/var/log/bench.log", "2049", "1234567", String(offset)])
            try exec("COMMIT")
            i = end
        }
        return Measurement(label: "(a\") COPY streamed while encoding (prototype)", rows: table.rows.count,
                           seconds: elapsedSeconds(since: start))
    }
}

#if canImport(Glibc)
import Glibc
#endif
import ByteKit

/// The writer's disk spool: rows the database cannot take now (the memory
/// buffer is full during an outage, or the daemon stops with the database
/// down) are appended to `<state_dir>/spool/<sequence>.spool` and replayed, in
/// the order they were written, when the database is back, across restarts.
///
/// A segment is a run of records, each `"PQS1"`, the payload's length and its
/// CRC-32C (little-endian), then the payload: a flag byte (droppable), the row
/// count, the table, the columns and the rows in COPY text. A record whose
/// checksum fails (a torn write at a crash) ends its segment's replay, counted.
///
/// Replay is exactly-once: each record's rows are COPYed in one transaction
/// with `collector.spool_positions` (host → segment, offset after the record),
/// so a replay cut short resumes after the last committed record.
///
/// Bounded by `maxBytes`: past it the oldest metric (droppable) records are
/// dropped first, segment by segment, counted as `spool.dropped_rows`.
///
/// Not thread-safe: the writer calls it under its own locks.
package final class Spool {
    package struct Record {
        package var target: RowTarget
        package var rows: Int
        package var data: [UInt8]
    }

    package let directory: String
    package let hostname: String
    package let maxBytes: Int
    private let stats: StatsRegistry
    private let logger: Logger
    /// Segment names, oldest first, and their sizes.
    private var segments: [(name: String, bytes: Int)] = []
    /// The segment being appended to (open), if any.
    private var activeFD: Int32 = -1
    /// The replay position committed in the database: nil until loaded.
    private var committed: (segment: String, offset: Int)?
    private var lastName: UInt64 = 0

    /// A new segment after this many bytes, so replayed ones can be deleted.
    package static let segmentBytes = 16 << 20
    /// Rows of one record at most this many bytes (a replay transaction's size).
    package static let recordBytes = 4 << 20
    private static let magic: [UInt8] = Array("PQS1".utf8)

    /// Opens (creating) `<stateDir>/spool` and lists what earlier runs left.
    package init(stateDir: String, hostname: String, maxBytes: Int, stats: StatsRegistry, logger: Logger = Logger(label: "spool")) {
        directory = stateDir + "/spool"
        self.hostname = hostname
        self.maxBytes = maxBytes
        self.stats = stats
        self.logger = logger
        mkdir(stateDir, 0o755)
        mkdir(directory, 0o700)
        if let dir = opendir(directory) {
            while let entry = readdir(dir) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                    String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                }
                guard name.hasSuffix(".spool"), let seq = UInt64(name.dropLast(6)) else { continue }
                var st = stat()
                guard stat(directory + "/" + name, &st) == 0 else { continue }
                segments.append((name, Int(st.st_size)))
                lastName = max(lastName, seq)
            }
            closedir(dir)
        }
        segments.sort { $0.name < $1.name }
        if !segments.isEmpty {
            logger.info("spool: \(segments.count) segment(s), \(totalBytes) bytes left by an earlier run in \(directory); replayed when the database is reachable")
        }
    }

    deinit { if activeFD >= 0 { close(activeFD) } }

    package var isEmpty: Bool { segments.isEmpty }
    package var totalBytes: Int { segments.reduce(0) { $0 + $1.bytes } }

    // MARK: appending

    /// What `append` did with the rows it was given.
    package struct Appended: Equatable {
        /// Rows refused past `maxBytes` (after older metric rows were dropped): lost, to be counted.
        package var dropped = 0
        /// The first row not written because the disk failed: it and the rest stay with the caller.
        package var unwrittenFrom: Int?
    }

    /// Appends rows in COPY text (each ending in a newline, `rowEnds` their
    /// ends), split into records of at most `recordBytes`.
    package func append(target: RowTarget, data: [UInt8], rowEnds: [Int]) -> Appended {
        var result = Appended()
        var start = 0, first = 0
        while first < rowEnds.count {
            var last = first
            while last + 1 < rowEnds.count && rowEnds[last + 1] - start <= Self.recordBytes { last += 1 }
            let end = rowEnds[last]
            let payload = Self.encode(target: target, rows: last - first + 1, data: data[start..<end])
            switch write(payload) {
            case .written: break
            case .overBound: result.dropped += last - first + 1
            case .failed:
                result.unwrittenFrom = first
                return result
            }
            start = end
            first = last + 1
        }
        return result
    }

    static func encode(target: RowTarget, rows: Int, data: ArraySlice<UInt8>) -> [UInt8] {
        var p: [UInt8] = []
        p.reserveCapacity(data.count + 256)
        p.append(target.droppable ? 1 : 0)
        appendLE(UInt32(rows), to: &p)
        let table = Array(target.table.utf8), columns = Array(target.columns.joined(separator: ",").utf8)
        appendLE(UInt32(table.count), to: &p)
        p.append(contentsOf: table)
        appendLE(UInt32(columns.count), to: &p)
        p.append(contentsOf: columns)
        p.append(contentsOf: data)
        return p
    }

    private enum WriteOutcome { case written, overBound, failed }

    private func write(_ payload: [UInt8]) -> WriteOutcome {
        let size = payload.count + 12
        if totalBytes + size > maxBytes { makeRoom(size) }
        guard totalBytes + size <= maxBytes else { return .overBound }
        if activeFD < 0 || (segments.last?.bytes ?? 0) >= Self.segmentBytes {
            guard openNewSegment() else { return .failed }
        }
        var record = Self.magic
        Self.appendLE(UInt32(payload.count), to: &record)
        Self.appendLE(CRC32C.checksum(payload), to: &record)
        record.append(contentsOf: payload)
        guard Self.writeAll(activeFD, record) else {
            failed("cannot write \(directory)/\(segments.last?.name ?? ""): \(String(cString: strerror(errno)))")
            close(activeFD)
            activeFD = -1
            return .failed
        }
        segments[segments.count - 1].bytes += record.count
        if failing { logger.info("spool: writing to \(directory) works again") }
        failing = false
        return .written
    }

    /// Whether the last write failed: a failing disk is logged once, not per flush.
    private var failing = false

    private func failed(_ message: String) {
        stats.add("spool.write_failures")
        if !failing { logger.error("spool: \(message); rows stay in memory (up to buffer_max_bytes) until it works") }
        failing = true
    }

    private func openNewSegment() -> Bool {
        if activeFD >= 0 { close(activeFD); activeFD = -1 }
        // Names grow across restarts (the clock, or past the newest seen), so
        // replay order is name order and a committed name is never reused.
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        lastName = max(lastName + 1, UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec / 1000))
        if let c = committed, let seq = UInt64(c.segment.dropLast(6)) { lastName = max(lastName, seq + 1) }
        let name = String(repeating: "0", count: max(0, 20 - String(lastName).count)) + String(lastName) + ".spool"
        let fd = open(directory + "/" + name, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            failed("cannot create \(directory)/\(name): \(String(cString: strerror(errno)))")
            return false
        }
        activeFD = fd
        segments.append((name, 0))
        return true
    }

    /// Drops the oldest metric records, oldest segment first, until `needed`
    /// more bytes fit. The segment a replay is inside is left alone (its
    /// committed offset must keep meaning the same record).
    private func makeRoom(_ needed: Int) {
        var dropped = 0
        for i in segments.indices where totalBytes + needed > maxBytes {
            let name = segments[i].name
            if committed?.segment == name { continue }
            if i == segments.count - 1, activeFD >= 0 { close(activeFD); activeFD = -1 }
            var kept: [UInt8] = []
            var rows = 0
            _ = forEachRecord(in: name, from: 0) { record, _, raw in
                if record.target.droppable { rows += record.rows } else { kept.append(contentsOf: raw) }
                return true
            }
            guard rows > 0 else { continue }
            let path = directory + "/" + name
            let tmp = path + ".tmp"
            let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
            guard fd >= 0, Self.writeAll(fd, kept), fsync(fd) == 0, close(fd) == 0, rename(tmp, path) == 0 else {
                logger.error("spool: cannot rewrite \(path): \(String(cString: strerror(errno)))")
                break
            }
            segments[i].bytes = kept.count
            dropped += rows
        }
        let newest = segments.last?.name
        for (name, bytes) in segments where bytes == 0 && name != newest { unlink(directory + "/" + name) }
        segments.removeAll { $0.bytes == 0 && $0.name != newest }
        if dropped > 0 {
            stats.add("spool.dropped_rows", dropped)
            stats.add("writer.dropped_rows", dropped)
            logger.warning("spool over \(maxBytes) bytes (collector.spool_max_bytes): dropped its \(dropped) oldest metric rows")
        }
    }

    // MARK: replay

    /// Replays every record, oldest first, each in one transaction with its
    /// position. Returns the rows written; throws on a lost connection (what
    /// was committed stays committed; the rest waits for the next call).
    @discardableResult
    package func replay(on lane: DatabaseLane) throws(PGError) -> Int {
        guard !segments.isEmpty else { return 0 }
        if committed == nil { try loadPosition(lane) }
        // Appends go to a new segment from now on: this one is read to its end.
        if activeFD >= 0 { close(activeFD); activeFD = -1 }
        var written = 0
        while let name = segments.first?.name {
            var from = 0
            if let c = committed {
                if name < c.segment { from = Int.max }           // wholly replayed before a crash
                else if name == c.segment { from = c.offset }
            }
            var failure: PGError?
            let complete = from == Int.max ? true : forEachRecord(in: name, from: from) { record, end, _ in
                do throws(PGError) {
                    written += try replay(record, segment: name, end: end, on: lane)
                    committed = (name, end)
                    return true
                } catch {
                    failure = error
                    return false
                }
            }
            if let failure { throw failure }
            if !complete {
                stats.add("spool.corrupt_segments")
                logger.error("spool: \(directory)/\(name) has a damaged record after what was replayed; the rest of that segment is skipped")
            }
            unlink(directory + "/" + name)
            segments.removeFirst()
        }
        if written > 0 { logger.info("spool: replayed \(written) row(s) into the database") }
        return written
    }

    private func replay(_ record: Record, segment: String, end: Int, on lane: DatabaseLane) throws(PGError) -> Int {
        try lane.withConnection { (c: PGConnection) throws(PGError) -> Int in
            try c.transaction { () throws(PGError) -> Int in
                var rows = 0
                do throws(PGError) {
                    _ = try c.execute("SAVEPOINT spool_record")
                    rows = try c.copyIn(record.target.copySQL, data: record.data)
                } catch {
                    if error.isConnectionLoss { throw error }
                    // The table refuses these rows (schema changed): they are lost, the replay goes on.
                    _ = try c.execute("ROLLBACK TO SAVEPOINT spool_record")
                    stats.add("spool.rejected_rows", record.rows)
                    logger.error("spool: \(record.target.table) rejected \(record.rows) replayed row(s): \(error)")
                }
                _ = try c.query("""
                    INSERT INTO collector.spool_positions (host, segment, byte_offset, updated_at) VALUES ($1, $2, $3::bigint, now())
                    ON CONFLICT (host) DO UPDATE SET segment = EXCLUDED.segment, byte_offset = EXCLUDED.byte_offset, updated_at = now()
                    """, [hostname, segment, String(end)])
                stats.add("spool.replayed_rows", rows)
                return rows
            }
        }
    }

    private func loadPosition(_ lane: DatabaseLane) throws(PGError) {
        let r = try lane.withConnection { (c: PGConnection) throws(PGError) -> PGResult in
            try c.query("SELECT segment, byte_offset FROM collector.spool_positions WHERE host = $1", [hostname])
        }
        if r.rowCount > 0, let segment = r.string(0, 0), let offset = r.int(0, 1) {
            committed = (segment, Int(offset))
        } else {
            committed = ("", 0)
        }
    }

    // MARK: reading

    /// Calls `body` with each intact record of a segment from `offset` on, its
    /// end offset and its raw bytes; stops when `body` returns false. Returns
    /// false when a damaged or torn record ended the segment early.
    private func forEachRecord(in name: String, from offset: Int, _ body: (Record, Int, ArraySlice<UInt8>) -> Bool) -> Bool {
        guard let bytes = Self.readFile(directory + "/" + name) else { return false }
        var at = offset
        while at < bytes.count {
            guard at + 12 <= bytes.count, Array(bytes[at..<(at + 4)]) == Self.magic else { return false }
            let length = Int(Self.readLE(bytes, at + 4)), crc = Self.readLE(bytes, at + 8)
            let start = at + 12, end = start + length
            guard end <= bytes.count else { return false }
            let payload = bytes[start..<end]
            guard payload.withUnsafeBytes({ CRC32C.checksum($0) }) == crc, let record = Self.decode(payload) else { return false }
            guard body(record, end, bytes[at..<end]) else { return true }
            at = end
        }
        return true
    }

    static func decode(_ p: ArraySlice<UInt8>) -> Record? {
        var at = p.startIndex
        guard p.count >= 13 else { return nil }
        let droppable = p[at] == 1
        at += 1
        let rows = Int(readLE(p, at)); at += 4
        let tableLength = Int(readLE(p, at)); at += 4
        guard at + tableLength + 4 <= p.endIndex else { return nil }
        let table = String(decoding: p[at..<(at + tableLength)], as: UTF8.self); at += tableLength
        let columnsLength = Int(readLE(p, at)); at += 4
        guard at + columnsLength <= p.endIndex else { return nil }
        let columns = String(decoding: p[at..<(at + columnsLength)], as: UTF8.self).split(separator: ",").map(String.init)
        at += columnsLength
        // Names were validated when the target was registered; a record is checksummed, but check again.
        guard RowTarget.qualifiedName(table) == table, columns.allSatisfy(RowTarget.isValidIdentifier) else { return nil }
        return Record(target: RowTarget(table: table, columns: columns, droppable: droppable), rows: rows, data: Array(p[at...]))
    }

    private static func appendLE(_ v: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: v >> UInt32(shift))) }
    }

    private static func readLE<C: Collection>(_ b: C, _ at: C.Index) -> UInt32 where C.Element == UInt8, C.Index == Int {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress.map { $0 + done }, bytes.count - done) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress.map { $0 + done }, $0.count - done, off_t(done)) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            done += n
        }
        return Array(bytes[0..<done])
    }
}

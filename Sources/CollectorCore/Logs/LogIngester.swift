import Logging
import PluginABI

/// The log tick: reads every enabled source from its committed position,
/// parses lines with the source's parser, and commits rows together with the
/// source's new position in one transaction. That is what makes ingestion
/// exactly-once: a crash at any point re-reads from the last committed
/// position, whose rows are all in the table, and nothing after it is.
///
/// A tick keeps reading until every source is caught up or the time budget is
/// spent, committing every `commitRows` rows, so a burst is absorbed in one or a
/// few ticks while memory stays bounded by one batch. While the database is
/// down nothing advances: the files themselves are the buffer.
package final class LogIngester: @unchecked Sendable {
    private let config: LogsConfig
    private let hostname: String
    private let lane: DatabaseLane
    private let stats: StatsRegistry
    private let logger = Logger(label: "logs")
    private var sources: [LogSource] = []
    private var loadedPositions = false
    /// Rows per COPY transaction. Rows stream to the server as they are encoded, so a
    /// larger batch costs no memory, only a longer hold of the lane (~0.1 s).
    package let commitRows: Int
    package static let defaultCommitRows = 20_000

    package init(config: LogsConfig, hostname: String, parsers: [String: ParserRegistration], lane: DatabaseLane,
         stats: StatsRegistry, commitRows: Int = LogIngester.defaultCommitRows) {
        self.config = config
        self.hostname = hostname
        self.lane = lane
        self.stats = stats
        self.commitRows = max(1, commitRows)
        for source in config.sources where source.enabled {
            guard let parser = parsers[source.parser] else {
                logger.error("log source \(source.name): no parser named '\(source.parser)' is loaded; source disabled")
                continue
            }
            sources.append(LogSource(config: source, parser: ParserInstance(parser, source: source.name), hostname: hostname,
                                     maxMessageBytes: max(config.maxLineBytes, 65536)))
        }
    }

    package var sourceNames: [String] { sources.map(\.config.name) }

    /// One log tick.
    package func tick() -> TickOutcome {
        if !loadedPositions {
            do throws(PGError) {
                try loadPositions()
                loadedPositions = true
            } catch {
                return .retry("loading log positions: \(error)")
            }
        }
        let deadline = MonotonicClock.nowNanos() + UInt64(config.tickBudgetMs) * 1_000_000
        var failure: String?
        for source in sources {
            if MonotonicClock.nowNanos() >= deadline { stats.add("logs.budget_exhausted"); break }
            do throws(PGError) {
                try ingest(source, deadline: deadline)
            } catch {
                // Nothing of this batch is committed: rewind so the next tick reads it again.
                source.rewind()
                failure = "source \(source.config.name): \(error)"
                if error.isConnectionLoss { break }
            }
        }
        return failure.map { .retry($0) } ?? .ok
    }

    private func loadPositions() throws(PGError) {
        let result = try lane.withConnection { (c: PGConnection) throws(PGError) -> PGResult in
            try c.query("SELECT source, source_type, device, inode, byte_offset, cursor FROM collector.log_positions WHERE host = $1",
                        [hostname])
        }
        for row in 0..<result.rowCount {
            guard let name = result.string(row, 0), let source = sources.first(where: { $0.config.name == name }) else { continue }
            if result.string(row, 1) == "journal" {
                source.committed = .cursor(result.string(row, 5) ?? "")
            } else if let device = result.int(row, 2), let inode = result.int(row, 3), let offset = result.int(row, 4) {
                source.committed = .file(FilePosition(device: UInt64(bitPattern: device), inode: UInt64(bitPattern: inode), offset: offset))
            }
        }
    }

    private func ingest(_ source: LogSource, deadline: UInt64) throws(PGError) {
        if source.safe == .none { source.safe = source.committed }
        if source.lastRead == .none { source.lastRead = source.safe }
        switch source.config.kind {
        case .file: try ingestFile(source, deadline: deadline)
        case .journal: try ingestJournal(source, deadline: deadline)
        }
    }

    /// A journal source: entries are few, so a batch is encoded, then committed
    /// with the cursor of its last complete record.
    private func ingestJournal(_ source: LogSource, deadline: UInt64) throws(PGError) {
        var batch = CopyEncoder(reservingCapacity: 1 << 20)
        var rows = 0
        var error: PGError?
        let now = WallClock.nowMicros()
        // Commits rows and position; returns false (stop reading) on failure.
        func commit(_ position: LogSource.Position) -> Bool {
            guard rows > 0 || position != source.committed else { return true }
            do throws(PGError) {
                try write(batch, rows: rows, position: position, source: source)
                source.committed = position
                stats.add("logs.rows_committed", rows)
                batch.removeAll()
                rows = 0
                return true
            } catch let e {
                error = e
                return false
            }
        }
        let reader = JournalReader(unit: source.config.target, location: config.journalDirectory,
                                   timeoutMs: config.journalTimeoutMs, maxLineBytes: config.maxLineBytes)
        var after: String?
        if case .cursor(let c) = source.safe { after = c }
        do throws(Subprocess.Failure) {
            try reader.read(after: after) { line, cursor in
                let truncated = line.count >= config.maxLineBytes
                if truncated { stats.add("logs.truncated_lines") }
                if source.accept(line, truncated: truncated, position: .cursor(cursor), into: &batch, now: now) { rows += 1 }
                if rows >= commitRows || batch.bytes.count >= 8 << 20 {
                    guard commit(source.safe) else { return false }
                }
                return MonotonicClock.nowNanos() < deadline
            }
            source.reportJournal(nil, logger: logger)
        } catch let failure {
            stats.add("logs.journal_failures")
            source.reportJournal(failure.description, logger: logger)
        }
        if let error { throw error }
        // Caught up (or out of time): the pending record is complete as far as we know.
        if source.builder.hasPending {
            source.builder.finish(into: &batch, now: now)
            rows += 1
            source.safe = source.lastRead
        }
        if !commit(source.safe), let error { throw error }
    }

    /// A file source, batch by batch. Each batch streams its rows into an open
    /// COPY while the file is still being parsed, so the server inserts while we
    /// parse (two cores, not one after the other), and commits them with the new
    /// position. The lane's connection is held for one batch only.
    private func ingestFile(_ source: LogSource, deadline: UInt64) throws(PGError) {
        let tailer = source.tailer(chunkSize: config.chunkSize, maxLineBytes: config.maxLineBytes,
                                   initialBackfillBytes: config.initialBackfillBytes)
        let now = WallClock.nowMicros()
        var state = FileTailer.State.reading
        while true {
            enum Stop { case caughtUp, batchFull, outOfTime }
            var stop = Stop.caughtUp
            var rows = 0
            try lane.withConnection { (c: PGConnection) throws(PGError) in
                var stream = CopyStream(copySQL: Self.copySQL)
                state = tailer.read { line in
                    if line.truncated { stats.add("logs.truncated_lines") }
                    if source.accept(line.bytes, truncated: line.truncated, position: .file(line.position), into: &stream.encoder, now: now) {
                        rows += 1
                    }
                    stream.sendIfFull(on: c)
                    if stream.hasFailed { return false }
                    if rows >= commitRows { stop = .batchFull; return false }
                    if MonotonicClock.nowNanos() >= deadline { stop = .outOfTime; return false }
                    return true
                }
                if stop == .caughtUp, case .reading = state, !stream.hasFailed {
                    if source.builder.hasPending {
                        if source.mayStillGrow(modifiedMicros: tailer.modifiedMicros, waitMs: config.multilineWaitMs) {
                            // Its writer may be adding a continuation line: the record stays
                            // open (and uncommitted, `safe` stays before it) until the next tick.
                            stats.add("logs.records_held_open")
                        } else {
                            // Caught up: the pending record is complete as far as we know.
                            source.builder.finish(into: &stream.encoder, now: now)
                            rows += 1
                            source.safe = source.lastRead
                        }
                    } else if let p = tailer.position {
                        source.safe = .file(p)
                    }
                }
                if !stream.isOpen && stream.encoder.bytes.isEmpty && !stream.hasFailed && source.safe == source.committed { return }
                try stream.commit(on: c) { (c: PGConnection) throws(PGError) in
                    if case .file(let p) = source.safe { try upsertFilePosition(p, source: source, on: c) }
                }
            }
            source.committed = source.safe
            stats.add("logs.rows_committed", rows)
            if stop != .batchFull { break }
        }
        source.report(state, logger: logger)
    }

    private func upsertFilePosition(_ p: FilePosition, source: LogSource, on c: PGConnection) throws(PGError) {
        try Self.upsertFilePosition(p, host: hostname, source: source.config.name, path: source.config.target, on: c)
    }

    /// Records a file source's committed position (the benchmark writes it the same way).
    package static func upsertFilePosition(_ p: FilePosition, host: String, source: String, path: String, on c: PGConnection) throws(PGError) {
        try c.query("""
            INSERT INTO collector.log_positions (host, source, source_type, path, device, inode, byte_offset, cursor, updated_at)
            VALUES ($1, $2, 'file', $3, $4::bigint, $5::bigint, $6::bigint, NULL, now())
            ON CONFLICT (host, source) DO UPDATE SET source_type = 'file', path = EXCLUDED.path, device = EXCLUDED.device,
                inode = EXCLUDED.inode, byte_offset = EXCLUDED.byte_offset, cursor = NULL, updated_at = now()
            """, [host, source, path, String(Int64(bitPattern: p.device)), String(Int64(bitPattern: p.inode)), String(p.offset)])
    }

    package static let copySQL = "COPY collector.log_entries (\(LogRecordBuilder.columns.joined(separator: ", "))) FROM STDIN"

    /// A journal batch: COPY the rows and move the cursor, atomically. (File
    /// sources stream through `CopyStream` instead.)
    private func write(_ batch: CopyEncoder, rows: Int, position: LogSource.Position, source: LogSource) throws(PGError) {
        try lane.withConnection { (c: PGConnection) throws(PGError) in
            try c.transaction { () throws(PGError) in
                if rows > 0 { try c.copyIn(Self.copySQL, data: batch.bytes) }
                guard case .cursor(let cursor) = position else { return }
                try c.query("""
                    INSERT INTO collector.log_positions (host, source, source_type, path, cursor, updated_at)
                    VALUES ($1, $2, 'journal', $3, $4, now())
                    ON CONFLICT (host, source) DO UPDATE SET source_type = 'journal', path = EXCLUDED.path,
                        cursor = EXCLUDED.cursor, device = NULL, inode = NULL, byte_offset = NULL, updated_at = now()
                    """, [hostname, source.config.name, source.config.target, cursor])
            }
        }
    }
}

/// Run-time state of one source: its parser instance, tailer, record builder and positions.
package final class LogSource {
    package enum Position: Equatable {
        case none
        case file(FilePosition)
        case cursor(String)
    }

    package let config: LogSourceConfig
    package let parser: ParserInstance
    package var builder: LogRecordBuilder
    /// What the database holds.
    package var committed: Position = .none
    /// How far rows are in the current batch (never inside an unfinished record).
    package var safe: Position = .none
    /// The position after the last line read.
    package var lastRead: Position = .none
    private var fileTailer: FileTailer?
    /// Whether this source's parser has ever joined lines into one record.
    package private(set) var hasMultilineRecords = false
    private var lastState: FileTailer.State?
    private var lastJournalError: String??

    package init(config: LogSourceConfig, parser: ParserInstance, hostname: String, maxMessageBytes: Int) {
        self.config = config
        self.parser = parser
        builder = LogRecordBuilder(hostname: hostname, source: config.name, maxMessageBytes: maxMessageBytes)
    }

    package func tailer(chunkSize: Int, maxLineBytes: Int, initialBackfillBytes: Int) -> FileTailer {
        if safe == .none { safe = committed }
        if let fileTailer { return fileTailer }
        var start: FilePosition?
        if case .file(let p) = committed { start = p }
        let t = FileTailer(path: config.target, position: start, chunkSize: chunkSize, maxLineBytes: maxLineBytes,
                           initialBackfillBytes: initialBackfillBytes)
        fileTailer = t
        return t
    }

    /// Whether the pending record should stay open at the end of a read: only
    /// for sources that write multi-line records, and only while the file was
    /// written less than `waitMs` ago. Single-line sources never wait.
    package func mayStillGrow(modifiedMicros: Int64, waitMs: Int) -> Bool {
        hasMultilineRecords && WallClock.nowMicros() - modifiedMicros < Int64(waitMs) * 1000
    }

    /// After a failed commit: forget uncommitted progress.
    package func rewind() {
        safe = committed
        lastRead = committed
        builder = LogRecordBuilder(hostname: builder.hostname, source: builder.source, maxMessageBytes: builder.maxMessageBytes)
        if case .file(let p) = committed { fileTailer?.reset(to: p) } else { fileTailer?.reset(to: nil) }
    }

    /// Feeds one line and moves the positions: `lastRead` past this line, and
    /// `safe` only where no unfinished (possibly multi-line) record begins before
    /// it. Returns true when a finished record was encoded into `batch`.
    package func accept(_ line: UnsafeRawBufferPointer, truncated: Bool, position: Position, into batch: inout CopyEncoder, now: Int64) -> Bool {
        let before = lastRead
        lastRead = position
        switch feed(line, truncated: truncated, into: &batch, now: now) {
        case .started(let finishedPrevious):
            safe = before
            return finishedPrevious
        case .continued:
            return false
        case .skipped:
            if !builder.hasPending { safe = position }
            return false
        }
    }

    package enum FeedOutcome: Equatable {
        /// The line starts a record; the previous one, if any, was encoded into the batch.
        case started(finishedPrevious: Bool)
        case continued
        case skipped
    }

    /// Parses one line into the pending record.
    package func feed(_ line: UnsafeRawBufferPointer, truncated: Bool, into batch: inout CopyEncoder, now: Int64) -> FeedOutcome {
        var record = pqc_log_record()
        record.struct_size = UInt32(MemoryLayout<pqc_log_record>.size)
        let result = parser.registration.parse(parser.state, line.baseAddress?.assumingMemoryBound(to: CChar.self), line.count, &record)
        switch result {
        case PQC_PARSE_CONTINUATION:
            guard builder.hasPending else {
                // An orphan continuation (its record was committed earlier) stands alone.
                builder.start(record, truncated: truncated)
                return .started(finishedPrevious: false)
            }
            builder.extend(record, truncated: truncated)
            hasMultilineRecords = true
            return .continued
        case PQC_PARSE_SKIP:
            return .skipped
        default:
            let finished = builder.hasPending
            if finished { builder.finish(into: &batch, now: now) }
            if result == PQC_PARSE_RECORD {
                builder.start(record, truncated: truncated)
            } else {
                builder.startUnparsed(line, truncated: truncated, now: now)
            }
            return .started(finishedPrevious: finished)
        }
    }

    package func report(_ state: FileTailer.State, logger: Logger) {
        defer { lastState = state }
        guard state != lastState else { return }
        switch state {
        case .reading where lastState != nil: logger.info("log source \(config.name): reading \(config.target)")
        case .reading: break
        case .missing: logger.warning("log source \(config.name): \(config.target) does not exist (yet); will pick it up when it appears")
        case .unreadable(let why): logger.warning("log source \(config.name): cannot read \(config.target): \(why)")
        }
    }

    package func reportJournal(_ error: String?, logger: Logger) {
        defer { lastJournalError = .some(error) }
        guard lastJournalError != .some(error) else { return }
        if let error {
            logger.warning("log source \(config.name): journalctl for \(config.target) failed: \(error)")
        } else if lastJournalError != nil {
            logger.info("log source \(config.name): journalctl for \(config.target) works again")
        }
    }
}

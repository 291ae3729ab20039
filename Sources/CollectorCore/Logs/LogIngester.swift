#if canImport(Glibc)
import Glibc
#endif
import PluginABI
import Synchronization

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

    /// `runners`: parser name → the runner of its isolated plugin; those
    /// parsers run there (file sources) and get no instance in the daemon.
    package init(config: LogsConfig, hostname: String, parsers: [String: ParserRegistration], lane: DatabaseLane,
         stats: StatsRegistry, commitRows: Int = LogIngester.defaultCommitRows, runners: [String: RunnerClient] = [:]) {
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
            let remote = runners[source.parser]
            sources.append(LogSource(config: source, parser: remote == nil ? ParserInstance(parser, source: source.name) : nil,
                                     remote: remote, hostname: hostname, maxMessageBytes: max(config.maxLineBytes, 65536)))
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
                if let client = source.remote {
                    if source.safe == .none { source.safe = source.committed }
                    if source.lastRead == .none { source.lastRead = source.safe }
                    let outcome = source.config.kind == .journal
                        ? try ingestJournal(source, deadline: deadline)
                        : try ingestIsolated(source, client: client, deadline: deadline)
                    if let runnerFailure = outcome {
                        // Nothing of this batch is committed; the next tick reads it again.
                        source.rewind()
                        failure = "source \(source.config.name): \(runnerFailure)"
                    }
                    continue
                }
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
            try c.query("SELECT source, source_type, device, inode, byte_offset, cursor, fingerprint FROM collector.log_positions WHERE host = $1",
                        [hostname])
        }
        for row in 0..<result.rowCount {
            guard let name = result.string(row, 0), let source = sources.first(where: { $0.config.name == name }) else { continue }
            if result.string(row, 1) == "journal" {
                source.committed = .cursor(result.string(row, 5) ?? "")
            } else if let device = result.int(row, 2), let inode = result.int(row, 3), let offset = result.int(row, 4) {
                source.committed = .file(FilePosition(device: UInt64(bitPattern: device), inode: UInt64(bitPattern: inode), offset: offset,
                                                      fingerprint: result.int(row, 6).map { UInt64(bitPattern: $0) }))
            }
        }
    }

    private func ingest(_ source: LogSource, deadline: UInt64) throws(PGError) {
        if source.safe == .none { source.safe = source.committed }
        if source.lastRead == .none { source.lastRead = source.safe }
        switch source.config.kind {
        case .file: try ingestFile(source, deadline: deadline)
        case .journal: _ = try ingestJournal(source, deadline: deadline)
        }
    }

    /// A journal source: entries are few, so a batch is encoded, then committed
    /// with the cursor of its last complete record. With an isolated parser,
    /// entries go to the runner in batches as file lines do; returns the
    /// runner's failure (nothing after the last commit is kept), or nil.
    @discardableResult
    private func ingestJournal(_ source: LogSource, deadline: UInt64) throws(PGError) -> RunnerFailure? {
        var batch = CopyEncoder(reservingCapacity: 1 << 20)
        var rows = 0
        var error: PGError?
        var runnerFailure: RunnerFailure?
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
        /// Isolated parser: sends the pending entries; false when the runner failed.
        func parsePending() -> Bool {
            guard let client = source.remote else { return true }
            let (added, failure) = parseRemote(source, client: client, into: &batch, now: now)
            rows += added
            runnerFailure = failure
            return failure == nil
        }
        let reader = JournalReader(unit: source.config.target, location: config.journalDirectory,
                                   timeoutMs: config.journalTimeoutMs, maxLineBytes: config.maxLineBytes)
        var after: String?
        if case .cursor(let c) = source.safe { after = c }
        do throws(Subprocess.Failure) {
            try reader.read(after: after) { line, cursor in
                let truncated = line.count >= config.maxLineBytes
                if truncated { stats.add("logs.truncated_lines") }
                let position = LogSource.Position.cursor(cursor)
                if source.remote == nil {
                    if source.accept(line, truncated: truncated, position: position, into: &batch, now: now) { rows += 1 }
                } else if let mark = source.poison[position], mark.count >= 2 {
                    guard parsePending() else { return false }
                    if source.accept(parsed: PQC_PARSE_UNPARSED, pqc_log_record(), line: line, truncated: truncated, position: position,
                                     parserFailed: mark.kind, into: &batch, now: now) {
                        rows += 1
                    }
                    stats.add("logs.parser_failed_lines")
                    logger.warning("log source \(source.config.name): stored the entry at cursor \(cursor) raw (parser_failed = \(mark.kind))")
                } else {
                    source.pendingLines.append(bytes: line, position: position, truncated: truncated)
                    if source.pendingLines.count >= Self.linesPerParseRequest || source.pendingLines.bytes.count >= Self.bytesPerParseRequest {
                        guard parsePending() else { return false }
                    }
                }
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
        if runnerFailure == nil { _ = parsePending() }
        if let runnerFailure { return runnerFailure }
        // Caught up (or out of time): the pending record is complete as far as we know.
        if source.builder.hasPending {
            source.builder.finish(into: &batch, now: now)
            rows += 1
            source.safe = source.lastRead
        }
        if !commit(source.safe), let error { throw error }
        return nil
    }

    /// Sends a source's pending lines to its runner and applies the results
    /// into `batch`; returns the finished records added. On a crash or a missed
    /// deadline the line it happened on is remembered (stored raw from its
    /// second failure on) and one line is logged naming the plugin, the source
    /// and where the line is; the caller then drops the batch and rewinds.
    private func parseRemote(_ source: LogSource, client: RunnerClient, into batch: inout CopyEncoder,
                             now: Int64) -> (rows: Int, failure: RunnerFailure?) {
        let lines = source.pendingLines
        guard !lines.isEmpty else { return (0, nil) }
        var rows = 0
        let outcome = lines.withLines { line -> RunnerFailure? in
            do throws(RunnerFailure) {
                try client.parse(parser: source.config.parser, source: source.config.name, count: lines.count, line: line) { i, result, record in
                    let e = lines.entries[i]
                    if source.accept(parsed: result, record, line: line(i), truncated: e.truncated, position: e.position, into: &batch, now: now) {
                        rows += 1
                    }
                }
                return nil
            } catch {
                return error
            }
        }
        source.pendingLines.removeAll()
        guard let outcome else { return (rows, nil) }
        if let i = outcome.lineIndex {
            let e = lines.entries[i]
            var mark = source.poison[e.position] ?? (0, outcome.kind.rawValue)
            mark.count += 1
            mark.kind = outcome.kind.rawValue
            if source.poison.count < 1000 || source.poison[e.position] != nil { source.poison[e.position] = mark }
            let at: String
            switch e.position {
            case .file(let p): at = lines.startOffset(i).map { "line at byte offset \($0)" } ?? "line ending at byte offset \(p.offset)"
            case .cursor(let c): at = "entry at cursor \(c)"
            case .none: at = "line \(i) of the batch"
            }
            logger.error("log source \(source.config.name): parser '\(source.config.parser)' of plugin \(client.plugin) failed (\(outcome.kind.rawValue)) on the \(at) of \(source.config.target) (failure \(mark.count) on this line\(mark.count >= 2 ? "; it will be stored raw" : "")): \(outcome.message)")
        } else if outcome.kind == .backingOff {
            logger.debug("log source \(source.config.name): \(outcome.message)")
        } else {
            logger.warning("log source \(source.config.name): \(outcome.message)")
        }
        if outcome.kind != .backingOff { stats.add("logs.parser_failures") }
        return (rows, outcome)
    }

    /// A file source, batch by batch. Each batch is parsed first, into the
    /// source's in-memory batch, and only then written: the lane's connection
    /// is never held while plugin code runs, so a slow or stuck parser cannot
    /// starve the heartbeat or the writer that share it. A batch is its rows
    /// and the position just after them, committed in one transaction.
    private func ingestFile(_ source: LogSource, deadline: UInt64) throws(PGError) {
        let tailer = source.tailer(chunkSize: config.chunkSize, maxLineBytes: config.maxLineBytes,
                                   initialBackfillBytes: config.initialBackfillBytes)
        let now = WallClock.nowMicros()
        var state = FileTailer.State.reading
        defer { source.releaseLargeBatch() }
        while true {
            enum Stop { case caughtUp, batchFull, outOfTime }
            var stop = Stop.caughtUp
            state = tailer.read { line in
                if line.truncated { stats.add("logs.truncated_lines") }
                if source.accept(line.bytes, truncated: line.truncated, position: .file(line.position), into: &source.batch, now: now) {
                    source.batchRows += 1
                }
                if source.batchRows >= commitRows || source.batch.bytes.count >= Self.batchMaxBytes { stop = .batchFull; return false }
                if MonotonicClock.nowNanos() >= deadline { stop = .outOfTime; return false }
                return true
            }
            if stop == .caughtUp, case .reading = state { finishCaughtUp(source, tailer: tailer, now: now) }
            try commitBatch(source, overlapped: stop == .batchFull)
            if stop != .batchFull { break }
        }
        source.report(state, logger: logger)
        source.reportTruncations(tailer, stats: stats, logger: logger)
    }

    /// A file source whose parser runs in a plugin runner: lines are sent in
    /// batches (many lines per request), the results applied as an in-process
    /// parser's are, and the batch committed as `ingestFile` does. When the
    /// runner crashes or misses its deadline on a line, the line is remembered;
    /// nothing of the batch is committed (the caller rewinds) and the next tick
    /// reads it again. A line that failed twice is stored raw with
    /// `context.parser_failed` and never sent to the parser again, so the
    /// source moves past it. Returns the failure, or nil.
    private func ingestIsolated(_ source: LogSource, client: RunnerClient, deadline: UInt64) throws(PGError) -> RunnerFailure? {
        if source.safe == .none { source.safe = source.committed }
        if source.lastRead == .none { source.lastRead = source.safe }
        let tailer = source.tailer(chunkSize: config.chunkSize, maxLineBytes: config.maxLineBytes,
                                   initialBackfillBytes: config.initialBackfillBytes)
        let now = WallClock.nowMicros()
        var state = FileTailer.State.reading
        var failure: RunnerFailure?
        defer { source.releaseLargeBatch() }

        /// Sends the pending lines; false (and `failure` set) if the runner failed.
        func parsePending() -> Bool {
            let (rows, outcome) = parseRemote(source, client: client, into: &source.batch, now: now)
            source.batchRows += rows
            failure = outcome
            return outcome == nil
        }

        while true {
            enum Stop { case caughtUp, batchFull, outOfTime, failed }
            var stop = Stop.caughtUp
            state = tailer.read { line in
                if line.truncated { stats.add("logs.truncated_lines") }
                if let mark = source.poison[.file(line.position)], mark.count >= 2 {
                    // Everything before it is parsed first: order is kept.
                    guard parsePending() else { stop = .failed; return false }
                    if source.accept(parsed: PQC_PARSE_UNPARSED, pqc_log_record(), line: line.bytes, truncated: line.truncated,
                                     position: .file(line.position), parserFailed: mark.kind, into: &source.batch, now: now) {
                        source.batchRows += 1
                    }
                    stats.add("logs.parser_failed_lines")
                    logger.warning("log source \(source.config.name): stored the line ending at byte offset \(line.position.offset) raw (parser_failed = \(mark.kind))")
                } else {
                    source.pendingLines.append(line)
                    if source.pendingLines.count >= Self.linesPerParseRequest || source.pendingLines.bytes.count >= Self.bytesPerParseRequest {
                        guard parsePending() else { stop = .failed; return false }
                    }
                }
                if source.batchRows + source.pendingLines.count >= commitRows || source.batch.bytes.count >= Self.batchMaxBytes {
                    stop = .batchFull
                    return false
                }
                if MonotonicClock.nowNanos() >= deadline { stop = .outOfTime; return false }
                return true
            }
            if stop != .failed && !parsePending() { stop = .failed }
            if stop == .failed {
                try finishInFlight(source)
                return failure
            }
            if stop == .caughtUp, case .reading = state { finishCaughtUp(source, tailer: tailer, now: now) }
            try commitBatch(source, overlapped: stop == .batchFull)
            // Committed lines are behind us for good: forget their failures.
            if case .file(let p) = source.committed {
                source.poison = source.poison.filter { key, _ in
                    guard case .file(let q) = key else { return true }
                    return q.inode != p.inode || q.offset > p.offset
                }
            }
            if stop != .batchFull { break }
        }
        source.report(state, logger: logger)
        source.reportTruncations(tailer, stats: stats, logger: logger)
        return nil
    }

    /// A file source read to its end: the pending record is finished and `safe`
    /// moves to the end, unless the record may still grow (a multi-line source
    /// written moments ago): its writer may be adding a continuation line, so it
    /// stays open (and uncommitted, `safe` stays before it) until the next tick.
    private func finishCaughtUp(_ source: LogSource, tailer: FileTailer, now: Int64) {
        if source.builder.hasPending {
            if source.mayStillGrow(modifiedMicros: tailer.modifiedMicros, waitMs: config.multilineWaitMs) {
                stats.add("logs.records_held_open")
            } else {
                source.builder.finish(into: &source.batch, now: now)
                source.batchRows += 1
                source.safe = source.lastRead
            }
        } else if let p = tailer.position {
            source.safe = .file(p)
        }
    }

    /// One parse request to a runner carries up to this many lines / bytes.
    package static let linesPerParseRequest = 4096
    package static let bytesPerParseRequest = 512 << 10

    /// Writes a file source's parsed batch and its `safe` position in one
    /// transaction, then empties the batch. Nothing to do when the batch is
    /// empty and the position did not move. With `overlapped`, the write runs
    /// on a short-lived thread while the caller parses the next batch (the
    /// server inserts on one core while the parser runs on the other; the
    /// connection is held by that thread for the COPY only, never while plugin
    /// code runs); the next call, or `finishInFlight`, waits for it first, so
    /// batches commit in order.
    private func commitBatch(_ source: LogSource, overlapped: Bool = false) throws(PGError) {
        try finishInFlight(source)
        let rows = source.batchRows
        guard rows > 0 || source.safe != source.committed else { return }
        let position = source.safe
        guard overlapped else {
            try writeFileBatch(source.batch.bytes, rows: rows, position: position, source: source)
            source.committed = position
            source.batch.removeAll()
            source.batchRows = 0
            stats.add("logs.rows_committed", rows)
            return
        }
        let commit = InFlightCommit(position: position, rows: rows, data: source.batch)
        source.batch = source.spareBatch
        source.spareBatch = CopyEncoder()
        source.batchRows = 0
        let thread = WorkerThread(name: "log-commit") { [self] in
            do throws(PGError) {
                try writeFileBatch(commit.data.bytes, rows: rows, position: position, source: source)
            } catch {
                commit.error = error
            }
        }
        commit.thread = thread
        source.inFlight = commit
        thread.start()
    }

    /// Waits for the source's overlapped commit, if any, and takes its outcome.
    private func finishInFlight(_ source: LogSource) throws(PGError) {
        guard let commit = source.inFlight else { return }
        commit.thread?.join()
        source.inFlight = nil
        if let error = commit.error { throw error }
        source.committed = commit.position
        stats.add("logs.rows_committed", commit.rows)
        commit.data.removeAll()
        source.spareBatch = commit.data
    }

    private func writeFileBatch(_ data: [UInt8], rows: Int, position: LogSource.Position, source: LogSource) throws(PGError) {
        try lane.withConnection { (c: PGConnection) throws(PGError) in
            try c.transaction { () throws(PGError) in
                if rows > 0 { try c.copyIn(Self.copySQL, data: data) }
                if case .file(let p) = position { try upsertFilePosition(p, source: source, on: c) }
            }
        }
    }

    /// Rows of one file batch are parsed into memory before they are written;
    /// this caps that memory (and a batch's transaction) per source.
    package static let batchMaxBytes = 2 << 20

    /// Shutdown with this source's tick stuck in its parser: takes the source
    /// over (the stuck thread, should the parser ever return, parks instead of
    /// touching it again) and commits what was parsed before the stuck line
    /// with the position just before that line's record. Returns the rows
    /// committed, or nil when the tick was not inside a parser (it is then
    /// still running host code and will finish by itself).
    package func flushAbandoned() -> [(source: String, rows: Int)] {
        var flushed: [(String, Int)] = []
        for source in sources where source.abandonIfParsing() {
            guard case .file = source.config.kind else { continue }
            let rows = source.batchRows
            do throws(PGError) {
                try commitBatch(source)
                flushed.append((source.config.name, rows))
            } catch {
                logger.error("log source \(source.config.name): could not flush \(rows) parsed row(s) at shutdown: \(error)")
            }
        }
        return flushed
    }

    private func upsertFilePosition(_ p: FilePosition, source: LogSource, on c: PGConnection) throws(PGError) {
        try Self.upsertFilePosition(p, host: hostname, source: source.config.name, path: source.config.target, on: c)
    }

    /// Records a file source's committed position (the benchmark writes it the same way).
    package static func upsertFilePosition(_ p: FilePosition, host: String, source: String, path: String, on c: PGConnection) throws(PGError) {
        try c.query("""
            INSERT INTO collector.log_positions (host, source, source_type, path, device, inode, byte_offset, cursor, fingerprint, updated_at)
            VALUES ($1, $2, 'file', $3, $4::bigint, $5::bigint, $6::bigint, NULL, $7::bigint, now())
            ON CONFLICT (host, source) DO UPDATE SET source_type = 'file', path = EXCLUDED.path, device = EXCLUDED.device,
                inode = EXCLUDED.inode, byte_offset = EXCLUDED.byte_offset, cursor = NULL, fingerprint = EXCLUDED.fingerprint,
                updated_at = now()
            """, [host, source, path, String(Int64(bitPattern: p.device)), String(Int64(bitPattern: p.inode)), String(p.offset),
                  p.fingerprint.map { String(Int64(bitPattern: $0)) }])
    }

    package static let copySQL = "COPY collector.log_entries (\(LogRecordBuilder.columns.joined(separator: ", "))) FROM STDIN"

    /// A journal batch: COPY the rows and move the cursor, atomically. (File
    /// sources commit with `commitBatch`.)
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
    package enum Position: Hashable {
        case none
        case file(FilePosition)
        case cursor(String)
    }

    package let config: LogSourceConfig
    /// The in-process parser instance; nil when the parser runs in a runner.
    package let parser: ParserInstance?
    /// The runner of the parser's isolated plugin.
    package let remote: RunnerClient?
    /// Lines an isolated parser crashed or hung on (by the position after
    /// them), with how often and how: stored raw from the second failure on.
    package var poison: [Position: (count: Int, kind: String)] = [:]
    /// Lines waiting to be sent to the runner as one parse batch.
    package var pendingLines = LineBatch()
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
    /// A file source's parsed rows not yet committed (all before `safe`).
    package var batch = CopyEncoder()
    package var batchRows = 0
    /// The previous batch, being committed while this one is parsed.
    package var inFlight: InFlightCommit?
    /// A committed batch's buffer, kept for the next batch.
    package var spareBatch = CopyEncoder()
    /// Whether the log tick is inside this source's parser: 0 no, 1 yes, 2 the
    /// source was taken over at shutdown while it was (see `abandonIfParsing`).
    private let parsing = Atomic<Int>(0)

    package init(config: LogSourceConfig, parser: ParserInstance?, remote: RunnerClient? = nil, hostname: String, maxMessageBytes: Int) {
        self.config = config
        self.parser = parser
        self.remote = remote
        builder = LogRecordBuilder(hostname: hostname, source: config.name, maxMessageBytes: maxMessageBytes)
    }

    package func tailer(chunkSize: Int, maxLineBytes: Int, initialBackfillBytes: Int) -> FileTailer {
        if safe == .none { safe = committed }
        if let fileTailer { return fileTailer }
        var start: FilePosition?
        if case .file(let p) = committed { start = p }
        let t = FileTailer(path: config.target, position: start, chunkSize: chunkSize, maxLineBytes: maxLineBytes,
                           initialBackfillBytes: initialBackfillBytes, rotatedPaths: config.rotatedPaths)
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
        pendingLines.removeAll()
        batch.removeAll()
        batchRows = 0
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
        return advance(feed(line, truncated: truncated, into: &batch, now: now), before: before, position: position)
    }

    /// `accept` for a line an isolated parser already parsed (`record` points
    /// into the runner's reply), or, with `parserFailed`, a line stored raw
    /// because the parser crashed or hung on it.
    package func accept(parsed result: pqc_parse_result, _ record: pqc_log_record, line: UnsafeRawBufferPointer, truncated: Bool,
                        position: Position, parserFailed: String? = nil, into batch: inout CopyEncoder, now: Int64) -> Bool {
        let before = lastRead
        lastRead = position
        let outcome = apply(result, record, line: line, truncated: truncated, parserFailed: parserFailed, into: &batch, now: now)
        return advance(outcome, before: before, position: position)
    }

    private func advance(_ outcome: FeedOutcome, before: Position, position: Position) -> Bool {
        switch outcome {
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
        guard let parser else {
            // An isolated parser's source is fed through `accept(parsed:)` only.
            return apply(PQC_PARSE_UNPARSED, pqc_log_record(), line: line, truncated: truncated, parserFailed: nil, into: &batch, now: now)
        }
        var record = pqc_log_record()
        record.struct_size = UInt32(MemoryLayout<pqc_log_record>.size)
        parsing.store(1, ordering: .releasing)
        if let owner = parser.registration.owner { CrashAttribution.enter(owner) }
        let result = parser.registration.parse(parser.state, line.baseAddress?.assumingMemoryBound(to: CChar.self), line.count, &record)
        CrashAttribution.leave()
        if !parsing.compareExchange(expected: 1, desired: 0, ordering: .acquiringAndReleasing).exchanged {
            // Shutdown took this source over while the parser ran: its batch and
            // positions are the main thread's now. Never touch them again.
            while true { pause() }
        }
        return apply(result, record, line: line, truncated: truncated, parserFailed: nil, into: &batch, now: now)
    }

    /// Applies one parse result to the pending record.
    private func apply(_ result: pqc_parse_result, _ record: pqc_log_record, line: UnsafeRawBufferPointer, truncated: Bool,
                       parserFailed: String?, into batch: inout CopyEncoder, now: Int64) -> FeedOutcome {
        if parserFailed == nil {
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
                break
            }
        }
        let finished = builder.hasPending
        if finished { builder.finish(into: &batch, now: now) }
        if result == PQC_PARSE_RECORD && parserFailed == nil {
            builder.start(record, truncated: truncated)
        } else {
            builder.startUnparsed(line, truncated: truncated, now: now, parserFailed: parserFailed)
        }
        return .started(finishedPrevious: finished)
    }

    /// Shutdown only: if the tick is inside this source's parser, marks the
    /// source abandoned so that thread never touches it again, and returns true:
    /// `batch` and `safe` are then consistent (the stuck line is not in them)
    /// and belong to the caller.
    package func abandonIfParsing() -> Bool {
        parsing.compareExchange(expected: 1, desired: 2, ordering: .acquiringAndReleasing).exchanged
    }

    /// After a burst the batches may hold megabytes of capacity: give them back.
    package func releaseLargeBatch() {
        if batch.bytes.capacity > 256 << 10 { batch = CopyEncoder() }
        spareBatch = CopyEncoder()
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

    private var seenTruncations = (0, 0)

    /// Copytruncate rotations since the last report: counted, and logged when
    /// no copy was found (what was not yet read of the old file is lost).
    package func reportTruncations(_ tailer: FileTailer, stats: StatsRegistry, logger: Logger) {
        let (truncations, copies) = (tailer.truncations, tailer.copiesRead)
        defer { seenTruncations = (truncations, copies) }
        let newTruncations = truncations - seenTruncations.0, newCopies = copies - seenTruncations.1
        guard newTruncations > 0 else { return }
        stats.add("logs.copytruncates", newTruncations)
        stats.add("logs.copytruncate_copies_read", newCopies)
        if newCopies < newTruncations {
            logger.warning("log source \(config.name): \(config.target) was truncated in place and no copy with its first bytes was found (\(tailer.rotatedPaths.joined(separator: ", "))); reading it again from its start")
        } else {
            logger.info("log source \(config.name): \(config.target) was truncated in place (copytruncate); read the rest of its copy first")
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

/// A batch committed on its own thread while the next is parsed (`commitBatch(overlapped:)`).
package final class InFlightCommit: @unchecked Sendable {
    package let position: LogSource.Position
    package let rows: Int
    package var data: CopyEncoder
    package var thread: WorkerThread?
    package var error: PGError?

    init(position: LogSource.Position, rows: Int, data: CopyEncoder) {
        self.position = position
        self.rows = rows
        self.data = data
    }
}

/// Lines read but not yet parsed: one parse request to a plugin runner.
package struct LineBatch {
    package struct Entry {
        package let start: Int
        package let count: Int
        /// The position after the line (a file offset or a journal cursor).
        package let position: LogSource.Position
        package let truncated: Bool
    }
    package private(set) var bytes: [UInt8] = []
    package private(set) var entries: [Entry] = []

    package init() {}

    package var count: Int { entries.count }
    package var isEmpty: Bool { entries.isEmpty }

    package mutating func append(_ line: FileTailer.Line) {
        append(bytes: line.bytes, position: .file(line.position), truncated: line.truncated)
    }

    package mutating func append(bytes line: UnsafeRawBufferPointer, position: LogSource.Position, truncated: Bool) {
        entries.append(Entry(start: bytes.count, count: line.count, position: position, truncated: truncated))
        bytes.append(contentsOf: line)
    }

    /// Runs `body` with a function giving line `i`'s bytes (valid inside `body`).
    package func withLines<T>(_ body: ((Int) -> UnsafeRawBufferPointer) -> T) -> T {
        bytes.withUnsafeBytes { all in
            body { i in
                let e = entries[i]
                return UnsafeRawBufferPointer(rebasing: all[e.start..<(e.start + e.count)])
            }
        }
    }

    /// Where line `i` starts in its file (nil for a truncated line, whose length on disk is unknown).
    package func startOffset(_ i: Int) -> Int64? {
        let e = entries[i]
        guard !e.truncated, case .file(let p) = e.position else { return nil }
        return p.offset - Int64(e.count) - 1
    }

    package mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        if bytes.capacity > 1 << 20 { bytes = [] } else { bytes.removeAll(keepingCapacity: true) }
    }
}

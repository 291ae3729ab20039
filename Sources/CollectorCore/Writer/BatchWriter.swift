import Synchronization

/// The host's batched writer: one buffer of COPY-encoded rows per target table,
/// flushed with `COPY ... FROM STDIN` when a buffer reaches `batchSize` rows or
/// every `flushInterval`, all tables in one transaction per flush.
///
/// With a disk spool (`Spool`), rows the database cannot take go there: after a
/// failed flush, past `maxBytes`, before the schema is in place, and what is left
/// at `stop()`; the spool is replayed, in order, before newer rows are written.
/// Without one (or past its own bound) the oldest rows of droppable (metric)
/// targets go first, counted as `writer.dropped_rows`. A table the server
/// rejects (schema mismatch) loses only its own rows, via a savepoint, never
/// the other tables' rows.
package final class BatchWriter: Sendable {
    package struct Buffer {
        package var target: RowTarget
        package var data: [UInt8] = []
        /// End offset in `data` of each row, so whole rows can be dropped.
        package var rowEnds: [Int] = []
        package var rowCount: Int { rowEnds.count }
    }

    private let lane: DatabaseLane?
    private let gate: SchemaGate
    private let batchSize: Int
    private let flushIntervalNanos: UInt64
    private let maxBytes: Int
    private let stats: StatsRegistry
    private let logger: Logger
    private let buffers = Mutex<[Buffer]>([])
    private let flushRequested = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    private let flushLock = Mutex<Void>(())
    private let thread = Mutex<WorkerThread?>(nil)
    /// Lock order: `buffers` before `spool`; a replay holds `spool` alone.
    private let spool: Mutex<Spool?>

    package init(lane: DatabaseLane?, batchSize: Int, flushIntervalMs: Int, maxBytes: Int, stats: StatsRegistry,
         gate: SchemaGate = SchemaGate(open: true), spool: sending Spool? = nil, logger: Logger = Logger(label: "writer")) {
        self.lane = lane
        // What an earlier run left in the spool counts from the start (rollups wait for it).
        let leftInSpool = spool?.totalBytes ?? 0
        self.spool = Mutex(spool)
        self.gate = gate
        self.batchSize = max(1, batchSize)
        self.flushIntervalNanos = UInt64(max(1, flushIntervalMs)) * 1_000_000
        self.maxBytes = maxBytes
        self.stats = stats
        self.logger = logger
        spooledBytesNow.store(leftInSpool, ordering: .relaxed)
    }

    /// Registers a target and returns its id for `append`. Same target, same id.
    package func register(_ target: RowTarget) -> Int {
        buffers.withLock { list in
            if let i = list.firstIndex(where: { $0.target == target }) { return i }
            list.append(Buffer(target: target))
            return list.count - 1
        }
    }

    /// Queues one encoded row (ending in a newline).
    package func append(_ id: Int, row: [UInt8]) {
        let full = buffers.withLock { list -> Bool in
            guard list.indices.contains(id) else { return false }
            list[id].data.append(contentsOf: row)
            list[id].rowEnds.append(list[id].data.count)
            enforceCap(&list)
            return list[id].rowCount >= batchSize
        }
        if full, !flushRequested.exchange(true, ordering: .relaxed) { wakeFlusher() }
    }

    /// Queues rows encoded elsewhere (a plugin runner's): each ends in a newline,
    /// which COPY text escapes inside values, so newlines are the row ends.
    package func append(_ id: Int, rows: UnsafeRawBufferPointer) {
        guard !rows.isEmpty else { return }
        let full = buffers.withLock { list -> Bool in
            guard list.indices.contains(id) else { return false }
            let base = list[id].data.count
            list[id].data.append(contentsOf: rows)
            for i in 0..<rows.count where rows[i] == 0x0A { list[id].rowEnds.append(base + i + 1) }
            enforceCap(&list)
            return list[id].rowCount >= batchSize
        }
        if full, !flushRequested.exchange(true, ordering: .relaxed) { wakeFlusher() }
    }

    /// Takes the rows queued for `id` out of the buffer (the plugin runner ships
    /// them to the daemon instead of writing them).
    package func takeRows(_ id: Int) -> [UInt8] {
        buffers.withLock { list -> [UInt8] in
            guard list.indices.contains(id) else { return [] }
            defer { list[id].data.removeAll(keepingCapacity: true); list[id].rowEnds.removeAll(keepingCapacity: true) }
            return list[id].data
        }
    }

    package var bufferedRows: Int { buffers.withLock { $0.reduce(0) { $0 + $1.rowCount } } }
    package var bufferedBytes: Int { buffers.withLock { $0.reduce(0) { $0 + $1.data.count } } }
    /// Bytes waiting in the disk spool.
    package var spooledBytes: Int { spooledBytesNow.load(ordering: .relaxed) }
    /// Kept apart from the spool's lock, which a replay holds for long.
    private let spooledBytesNow = Atomic<Int>(0)

    /// Asks for a flush now rather than at the next interval (a heartbeat row).
    package func requestFlush() {
        if !flushRequested.exchange(true, ordering: .relaxed) { wakeFlusher() }
    }

    // MARK: flushing

    /// Starts the flush thread.
    package func start() {
        let worker = WorkerThread(name: "writer") { [self] in
            var due = MonotonicClock.nowNanos() + flushIntervalNanos
            while !stopping.load(ordering: .relaxed) {
                waitForWork(until: due)
                if stopping.load(ordering: .relaxed) { break }
                flushRequested.store(false, ordering: .relaxed)
                flush()
                due = MonotonicClock.nowNanos() + flushIntervalNanos
            }
        }
        thread.withLock { $0 = worker }
        worker.start()
    }

    /// Stops the flush thread and makes a last flush.
    package func stop() {
        stopping.store(true, ordering: .relaxed)
        wakeFlusher()
        thread.withLock { $0 }?.join()
        flush()
        // What the database did not take waits in the spool for the next start.
        _ = buffers.withLock { spill(&$0) }
        let left = spool.withLock { $0.map { ($0.totalBytes, $0.directory) } }
        if let (bytes, directory) = left, bytes > 0 {
            logger.warning("\(bytes) bytes of rows the database did not take are in the spool (\(directory)); they are written at the next start")
        }
    }

    private let wakeState = Mutex<StopSignal>(StopSignal())

    private func wakeFlusher() { wakeState.withLock { $0 }.stop() }

    private func waitForWork(until due: UInt64) {
        let signal = wakeState.withLock { $0 }
        signal.wait(untilNanos: due)
        wakeState.withLock { if $0.isStopped { $0 = StopSignal() } }
    }

    /// Writes every buffered row. Returns the rows committed.
    @discardableResult
    package func flush() -> Int {
        flushLock.withLock { _ in
            guard gate.isOpen else {
                // No schema yet (the database has been down since start): with a
                // spool, rows wait on disk, where a crash cannot take them.
                _ = buffers.withLock { spill(&$0) }
                return 0
            }
            // Spooled rows are older than the buffered ones: they go first, and
            // while any are left the buffered rows wait (order is kept).
            var replayed = 0
            if let lane {
                let caughtUp = spool.withLock { s -> Bool in
                    guard let s, !s.isEmpty else { return true }
                    do throws(PGError) {
                        replayed = try s.replay(on: lane)
                        return true
                    } catch {
                        stats.add("writer.flush_failures")
                        logger.debug("spool replay stopped: \(error)")
                        return false
                    }
                }
                spooledBytesNow.store(spool.withLock { $0?.totalBytes ?? 0 }, ordering: .relaxed)
                if replayed > 0 { stats.add("writer.rows_written", replayed) }
                guard caughtUp else {
                    _ = buffers.withLock { spill(&$0) }
                    return replayed
                }
            }
            let taken = buffers.withLock { list -> [Buffer] in
                let out = list
                for i in list.indices {
                    list[i].data.removeAll(keepingCapacity: false)
                    list[i].rowEnds.removeAll(keepingCapacity: false)
                }
                return out
            }
            let pending = taken.filter { $0.rowCount > 0 }
            guard !pending.isEmpty else { return replayed }
            guard let lane else {
                putBack(taken)
                return 0
            }
            do {
                let written = try lane.withConnection { (c: PGConnection) throws(PGError) -> Int in
                    try write(pending, on: c)
                }
                stats.add("writer.rows_written", written)
                stats.add("writer.flushes")
                return written + replayed
            } catch {
                stats.add("writer.flush_failures")
                logger.debug("flush failed, keeping \(pending.reduce(0) { $0 + $1.rowCount }) rows: \(error)")
                putBack(taken)
                // The database is unreachable: with a spool the rows wait on disk from
                // now on, so a crash during an outage loses one flush interval at most.
                _ = buffers.withLock { spill(&$0) }
                return replayed
            }
        }
    }

    /// One transaction for the whole flush, in as few round trips as COPY allows.
    /// A single table is one autocommitted COPY: a rejection loses only its rows
    /// anyway. Several tables get a savepoint each, opened in the same message
    /// as their COPY, so a rejected table loses only its own rows.
    private func write(_ pending: [Buffer], on c: PGConnection) throws(PGError) -> Int {
        if pending.count == 1 { return try copy(pending[0], on: c, prefix: "", isolated: false) }
        var total = 0
        do throws(PGError) {
            for (i, buffer) in pending.enumerated() {
                let prefix = i == 0 ? "BEGIN; SAVEPOINT copy_target; " : "RELEASE SAVEPOINT copy_target; SAVEPOINT copy_target; "
                total += try copy(buffer, on: c, prefix: prefix, isolated: true)
            }
            try c.execute("COMMIT")
            return total
        } catch {
            _ = try? c.execute("ROLLBACK")
            throw error
        }
    }

    /// COPYs one buffer. A server rejection drops only its rows (rolled back to
    /// the savepoint when `isolated`); a lost connection is thrown.
    private func copy(_ buffer: Buffer, on c: PGConnection, prefix: String, isolated: Bool) throws(PGError) -> Int {
        do throws(PGError) {
            return try c.copyIn(prefix + buffer.target.copySQL, data: buffer.data)
        } catch {
            if error.isConnectionLoss { throw error }
            if isolated { try c.execute("ROLLBACK TO SAVEPOINT copy_target") }
            stats.add("writer.rejected_rows", buffer.rowCount)
            logger.error("\(buffer.target.table) rejected \(buffer.rowCount) rows: \(error)")
            return 0
        }
    }

    /// Returns unwritten rows ahead of rows queued since they were taken.
    private func putBack(_ taken: [Buffer]) {
        buffers.withLock { list in
            for (i, old) in taken.enumerated() where old.rowCount > 0 && list.indices.contains(i) {
                let newer = list[i]
                list[i].data = old.data + newer.data
                list[i].rowEnds = old.rowEnds + newer.rowEnds.map { $0 + old.data.count }
            }
            enforceCap(&list)
        }
    }

    /// Past the cap: everything buffered goes to the spool if there is one;
    /// otherwise drops the oldest rows of the largest droppable buffers until under it.
    private func enforceCap(_ list: inout [Buffer]) {
        var total = list.reduce(0) { $0 + $1.data.count }
        guard total > maxBytes else { return }
        if spill(&list) > 0 { return }
        var dropped = 0
        while total > maxBytes {
            guard let victim = list.indices.filter({ list[$0].target.droppable && list[$0].rowCount > 0 })
                .max(by: { list[$0].data.count < list[$1].data.count }) else { break }
            // Drop a tenth of the victim's rows at once so this stays amortised O(1) per row.
            let rows = max(1, list[victim].rowCount / 10)
            let cut = list[victim].rowEnds[rows - 1]
            list[victim].data.removeFirst(cut)
            list[victim].rowEnds.removeFirst(rows)
            for k in list[victim].rowEnds.indices { list[victim].rowEnds[k] -= cut }
            total -= cut
            dropped += rows
        }
        if dropped > 0 {
            stats.add("writer.dropped_rows", dropped)
            logger.warning("writer buffer over \(maxBytes) bytes while the database is unreachable: dropped the \(dropped) oldest metric rows")
        }
    }

    /// Moves every buffered row to the spool, all tables, in order. Returns the
    /// rows it took (0 without a spool); rows past its bound are counted as
    /// dropped, rows the disk did not take stay buffered.
    private func spill(_ list: inout [Buffer]) -> Int {
        spool.withLock { s -> Int in
            guard let s else { return 0 }
            var moved = 0, dropped = 0
            for i in list.indices where list[i].rowCount > 0 {
                let result = s.append(target: list[i].target, data: list[i].data, rowEnds: list[i].rowEnds)
                dropped += result.dropped
                let kept = result.unwrittenFrom ?? list[i].rowCount
                moved += kept
                let cut = kept > 0 ? list[i].rowEnds[kept - 1] : 0
                list[i].data.removeFirst(cut)
                list[i].rowEnds = list[i].rowEnds[kept...].map { $0 - cut }
                if result.unwrittenFrom != nil { break }
            }
            if moved > dropped { stats.add("writer.spooled_rows", moved - dropped) }
            spooledBytesNow.store(s.totalBytes, ordering: .relaxed)
            if dropped > 0 {
                stats.add("writer.dropped_rows", dropped)
                logger.warning("spool full (collector.spool_max_bytes \(s.maxBytes)): \(dropped) row(s) dropped")
            }
            return moved
        }
    }
}

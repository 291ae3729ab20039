/// One transaction that COPYs rows into a table while they are still being
/// produced: the caller encodes rows into `encoder`, calls `sendIfFull` after
/// each, and ends with `commit`, which can run more statements (a log
/// position) in the same transaction first.
///
/// Pieces of `pieceBytes` go to the server as they fill, so the server parses
/// and indexes one piece while the client encodes the next, and memory stays
/// at one piece whatever the batch size. The transaction opens lazily with the
/// first piece, in the same round trip as the COPY.
package struct CopyStream {
    package let copySQL: String
    package let pieceBytes: Int
    package var encoder: CopyEncoder
    package private(set) var isOpen = false
    /// The first failure while streaming; `commit` rethrows it after cleaning up.
    package private(set) var failure: PGError?

    package init(copySQL: String, pieceBytes: Int = 256 << 10) {
        self.copySQL = copySQL
        self.pieceBytes = pieceBytes
        encoder = CopyEncoder(reservingCapacity: pieceBytes + (64 << 10))
    }

    package var hasFailed: Bool { failure != nil }

    /// Sends the encoded rows once they fill a piece.
    package mutating func sendIfFull(on c: PGConnection) {
        if encoder.bytes.count >= pieceBytes { send(on: c) }
    }

    /// Sends whatever is encoded, opening the transaction and COPY if needed.
    package mutating func send(on c: PGConnection) {
        guard failure == nil, !encoder.bytes.isEmpty else { return }
        do throws(PGError) {
            if !isOpen {
                try c.copyBegin("BEGIN; \(copySQL)")
                isOpen = true
            }
            var putError: PGError?
            encoder.bytes.withUnsafeBytes { b in
                do throws(PGError) { try c.copyPut(b) } catch { putError = error }
            }
            if let putError { throw putError }
            encoder.removeAll()
        } catch {
            failure = error
        }
    }

    /// Sends the rest, ends the COPY, runs `finally` and commits; returns the
    /// rows the COPY stored. With no rows sent, `finally` still runs in its own
    /// transaction. Any failure rolls everything back and is thrown.
    @discardableResult
    package mutating func commit(on c: PGConnection, finally: (PGConnection) throws(PGError) -> Void) throws(PGError) -> Int {
        send(on: c)
        let started = isOpen
        isOpen = false
        var inCopy = started
        var rows = 0
        do throws(PGError) {
            if let failure { throw failure }
            if started {
                inCopy = false
                rows = try c.copyEnd()
            } else {
                try c.execute("BEGIN")
            }
            try finally(c)
            try c.execute("COMMIT")
            return rows
        } catch {
            if inCopy && error.kind != .connection { _ = try? c.copyEnd(abortWith: error) }
            _ = try? c.execute("ROLLBACK")
            failure = nil
            encoder.removeAll()
            throw error
        }
    }
}

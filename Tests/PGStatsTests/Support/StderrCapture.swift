import CollectorTestSupport
import Foundation

/// Captures what is written to file descriptor 2 while `body` runs: the host
/// logs plugin messages through swift-log, whose default handler (and the
/// daemon's) writes to stderr.
enum StderrCapture {
    static func capture(_ body: () throws -> Void) throws -> String {
        let path = NSTemporaryDirectory() + "pgstats-stderr-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).log"
        let fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0o600)
        guard fd >= 0 else { throw TestFailure("cannot open \(path)") }
        fflush(nil)  // all streams; `stderr` itself is not concurrency-safe to name
        let saved = dup(2)
        dup2(fd, 2)
        close(fd)
        defer { unlink(path) }
        do {
            try body()
        } catch {
            fflush(nil)  // all streams; `stderr` itself is not concurrency-safe to name
            dup2(saved, 2)
            close(saved)
            throw error
        }
        fflush(nil)  // all streams; `stderr` itself is not concurrency-safe to name
        dup2(saved, 2)
        close(saved)
        return (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// Lines of `log` containing `needle`.
    static func lines(_ log: String, containing needle: String) -> [Substring] {
        log.split(separator: "\n").filter { $0.contains(needle) }
    }
}

import CHostSupport
#if canImport(Glibc)
import Glibc
#endif

/// A child process whose stdout is read line by line with one overall deadline.
/// Used for `journalctl`: a journal that hangs or floods must cost the log tick
/// at most its timeout, and the child is always reaped.
package final class Subprocess {
    package enum Failure: Error, CustomStringConvertible {
        case spawn(String)
        case timeout(Int)
        case exit(Int32, String)

        package var description: String {
            switch self {
            case .spawn(let m): "cannot start: \(m)"
            case .timeout(let ms): "no end of output within \(ms) ms (killed)"
            case .exit(let code, let stderr): "exited with status \(code)\(stderr.isEmpty ? "" : ": \(stderr)")"
            }
        }
    }

    /// Runs `argv`, handing each stdout line (without newline) to `onLine` until
    /// EOF, `onLine` returns false (the child is then killed, not an error), or the deadline.
    package static func lines(_ argv: [String], timeoutMs: Int, maxLineBytes: Int,
                      _ onLine: (UnsafeRawBufferPointer) -> Bool) throws(Failure) {
        var outPipe: [Int32] = [-1, -1], errPipe: [Int32] = [-1, -1]
        // Close-on-exec from the start (pipe2, not pipe then fcntl): another thread
        // spawning a child between the two calls would leak these ends into it, and
        // a leaked write end keeps our read from ever seeing EOF.
        guard pqc_pipe_cloexec(&outPipe) == 0 else { throw .spawn(String(cString: strerror(errno))) }
        guard pqc_pipe_cloexec(&errPipe) == 0 else {
            let reason = String(cString: strerror(errno))
            close(outPipe[0])
            close(outPipe[1])
            throw .spawn(reason)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let rc = posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ)
        close(outPipe[1])
        close(errPipe[1])
        defer { close(outPipe[0]); close(errPipe[0]) }
        guard rc == 0 else { throw .spawn("\(argv[0]): \(String(cString: strerror(rc)))") }

        let deadline = MonotonicClock.nowNanos() + UInt64(timeoutMs) * 1_000_000
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        var stderrText: [UInt8] = []
        var stoppedEarly = false
        var timedOut = false
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0), pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var open = 2
        reading: while open > 0 {
            let now = MonotonicClock.nowNanos()
            guard now < deadline else { timedOut = true; break }
            let ready = poll(&fds, 2, Int32(min((deadline - now) / 1_000_000 + 1, 1000)))
            if ready < 0 && errno != EINTR { break }
            for k in 0..<2 where fds[k].fd >= 0 && fds[k].revents != 0 {
                let n = chunk.withUnsafeMutableBytes { read(fds[k].fd, $0.baseAddress, $0.count) }
                if n <= 0 {
                    fds[k].fd = -1
                    open -= 1
                    continue
                }
                if k == 1 {
                    if stderrText.count < 4096 { stderrText.append(contentsOf: chunk[0..<min(n, 4096 - stderrText.count)]) }
                    continue
                }
                var start = 0
                for i in 0..<n where chunk[i] == 0x0A {
                    pending.append(contentsOf: chunk[start..<i])
                    let keep = pending.withUnsafeBytes { onLine(UnsafeRawBufferPointer(rebasing: $0.prefix(maxLineBytes))) }
                    pending.removeAll(keepingCapacity: true)
                    start = i + 1
                    if !keep { stoppedEarly = true; break reading }
                }
                if start < n && pending.count < maxLineBytes { pending.append(contentsOf: chunk[start..<n].prefix(maxLineBytes - pending.count)) }
            }
        }
        if open > 0 { kill(pid, SIGKILL) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        if timedOut { throw .timeout(timeoutMs) }
        if stoppedEarly { return }
        let exited = (status & 0x7F) == 0
        let code = exited ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        if code != 0 {
            throw .exit(code, String(decoding: stderrText, as: UTF8.self).trimmingSpaces)
        }
    }
}

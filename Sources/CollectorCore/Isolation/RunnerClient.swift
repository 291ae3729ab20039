#if canImport(Glibc)
import Glibc
#endif
import PluginABI
import Synchronization

/// How one plugin is run: in the daemon or in a plugin runner, and the runner's limits.
package struct IsolationSettings: Sendable, Equatable {
    package var isolate = false
    /// One parse batch (many lines) must be answered within this.
    package var parseTimeoutMs = 5000
    /// One tick or analyzer run must finish within this; nil = 3 × its interval, at least 10 s.
    package var tickTimeoutMs: Int?
    /// The runner is killed (and restarted) above this resident size; nil = no limit.
    package var maxRSSMB: Int?

    package init() {}

    /// The plugins shipped with the collector: trusted, in process by default.
    package static let bundledPlugins: Set<String> = ["system_metrics", "log_sources", "app_metrics", "pg_stats", "intelligence"]

    /// `[plugin.<name>] isolate` (default: true unless bundled), `[plugins] isolate_all`,
    /// `parse_timeout_ms`, `tick_timeout_ms`, `max_rss_mb`.
    package static func resolve(plugin name: String, section: ConfigNode, isolateAll: Bool) throws(ConfigError) -> IsolationSettings {
        var s = IsolationSettings()
        func int(_ key: String, _ range: ClosedRange<Int>) throws(ConfigError) -> Int? {
            guard let node = section.node(at: key) else { return nil }
            guard case .int(let i) = node, range.contains(Int(i)) else {
                throw ConfigError(key: "plugin.\(name).\(key)", message: "must be an integer in \(range.lowerBound)...\(range.upperBound)")
            }
            return Int(i)
        }
        s.isolate = !bundledPlugins.contains(name)
        if let node = section.node(at: "isolate") {
            guard case .bool(let b) = node else { throw .wrongType("plugin.\(name).isolate", expected: "a boolean", found: node) }
            s.isolate = b
        }
        if isolateAll { s.isolate = true }
        if let v = try int("parse_timeout_ms", 50...600_000) { s.parseTimeoutMs = v }
        s.tickTimeoutMs = try int("tick_timeout_ms", 50...86_400_000)
        s.maxRSSMB = try int("max_rss_mb", 8...1_048_576)
        return s
    }
}

/// Why a runner request did not complete.
package struct RunnerFailure: Error, CustomStringConvertible {
    /// `backingOff`: the last runner failed and the next may not start yet.
    package enum Kind: String, Sendable { case crash, timeout, unavailable, backingOff }
    package let kind: Kind
    package let message: String
    /// For a parse batch: the index of the line the parser was working on.
    package let lineIndex: Int?
    /// The runner's loader refused the plugin (init() failed): why, and whether
    /// init() blamed a configuration value (PQC_EINVAL).
    package var refusal: String?
    package var isConfiguration = false

    package init(kind: Kind, message: String, lineIndex: Int?) {
        self.kind = kind
        self.message = message
        self.lineIndex = lineIndex
    }

    package var description: String { message }
}

/// The daemon's side of one isolated plugin: starts its runner
/// (`pqcrypta-collector plugin-runner FILE.so`), sends it requests, answers its
/// SQL, captures its output into the daemon's log (rate-limited), watches its
/// memory, and on a crash or a missed deadline kills it, logs and counts why,
/// and starts a new one on the next request after an exponential backoff.
/// Requests are served one at a time (one runner per plugin).
package final class RunnerClient: @unchecked Sendable {
    package let plugin: String
    package let path: String
    package let settings: IsolationSettings
    private let configPath: String?
    private let stats: StatsRegistry
    private let lanes: [Lane: DatabaseLane]
    /// The plugin's runtime in the daemon (its tables; filled from the first runner's manifest).
    private let runtime: PluginRuntime
    private var tables: [PluginTable] { runtime.tables }
    private let writer: BatchWriter
    private let logger: Logger
    private let lock = SerialLock()

    /// A running child; touched with `lock` held.
    private struct Child {
        let pid: pid_t
        let channel: FrameChannel
        let progress: UnsafeMutablePointer<UInt32>
        let output: WorkerThread
        let watch: RunnerWatch
    }
    private var child: Child?
    private var failures = 0
    private var retryAtNanos: UInt64 = 0
    private var buffer: [UInt8] = []
    private var fields = UnsafeMutableBufferPointer<pqc_kv>.allocate(capacity: 16)

    package init(plugin: PluginRuntime, settings: IsolationSettings, configPath: String?, stats: StatsRegistry,
                 lanes: [Lane: DatabaseLane]) {
        self.plugin = plugin.name
        self.path = plugin.path
        self.settings = settings
        self.configPath = configPath
        self.stats = stats
        self.lanes = lanes
        self.runtime = plugin
        self.writer = plugin.services.writer
        self.logger = Logger(label: "plugin:\(plugin.name)")
    }

    /// Starts the first runner and fills the plugin's runtime from the
    /// registrations its init() made (the daemon never calls init() itself).
    package func start() throws(RunnerFailure) {
        try lock.withLock { () throws(RunnerFailure) in
            guard child == nil else { return }
            child = try spawn(readManifest: true)
        }
    }

    /// The runner's pid, if one is running (tests kill it from outside).
    package var pid: pid_t? { lock.withLock { child?.pid } }

    /// Stops the runner (daemon shutdown): closing its socket asks it to run
    /// the plugin's shutdown() and exit; after `graceMs` it is killed. A runner
    /// stuck in a request holds the lock: it is killed without waiting for it.
    package func stop(graceMs: Int = 1000) {
        if let c = lock.tryWithLock({ child }), let c {
            let ended = reap(c, kill: false, graceNanos: UInt64(graceMs) * 1_000_000)
            logger.debug("runner pid \(c.pid) stopped: \(ended)")
            _ = lock.tryWithLock { child = nil }
        } else if let pid = stuckPid.load(ordering: .acquiring) as Int32?, pid > 0 {
            logger.warning("runner pid \(pid) is busy with a request at shutdown; killed")
            kill(pid, SIGKILL)
        }
    }

    /// The pid of the running child, readable without the lock (shutdown).
    private let stuckPid = Atomic<Int32>(0)

    // MARK: requests

    /// Parses `count` lines (`line(i)`) of `source` with `parser` in the
    /// runner; hands each result to `each` in order, pointing into the reply.
    /// Nothing is handed out unless the whole batch was answered.
    package func parse(parser: String, source: String, count: Int, line: (Int) -> UnsafeRawBufferPointer,
                       _ each: (Int, pqc_parse_result, pqc_log_record) -> Void) throws(RunnerFailure) {
        try lock.withLock { () throws(RunnerFailure) in
            let c = try running()
            var w = FrameWriter(.parse, reservingCapacity: 64 << 10)
            w.string(parser)
            w.string(source)
            w.u32(UInt32(count))
            for i in 0..<count { w.raw(line(i)) }
            // No line yet: a crash before the first parse() (in create(), say) blames no line.
            c.progress.pointee = UInt32.max
            let what = "parsing source \(source)"
            try exchange(c, w.finish(), timeoutMs: settings.parseTimeoutMs, what: what, lines: count)
            do throws(FrameError) {
                try buffer.readFrame(count: replyCount) { (r: inout FrameReader) throws(FrameError) in
                    var record = pqc_log_record()
                    for i in 0..<count {
                        let result = try ParseWire.decode(&r, record: &record, fields: &fields)
                        each(i, result, record)
                    }
                }
            } catch {
                throw fail(c, .crash, "protocol error \(what): \(error)", lineIndex: nil)
            }
            failures = 0
        }
    }

    /// Runs tick (or analyzer) `index` in the runner; its rows go to the writer.
    package func run(analyzer: Bool, index: Int, name: String, lane: Lane, timeoutMs: Int)
        throws(RunnerFailure) -> (status: pqc_status, error: String, findings: [FindingRecord]) {
        try lock.withLock { () throws(RunnerFailure) -> (pqc_status, String, [FindingRecord]) in
            let c = try running()
            var w = FrameWriter(.run)
            w.u8(analyzer ? 1 : 0)
            w.u32(UInt32(index))
            w.u8(lane == .slow ? 1 : 0)
            // The tables' rules, when checked since this runner last got them.
            let version = tables.reduce(0) { $0 + $1.rules.version }
            if version != rulesSent {
                w.u8(1)
                w.u32(UInt32(tables.count))
                for table in tables { TableRulesWire.encode(table.rules.rules, into: &w) }
                rulesSent = version
            } else {
                w.u8(0)
            }
            let what = "running \(analyzer ? "analyzer" : "tick") \(plugin)/\(name)"
            try exchange(c, w.finish(), timeoutMs: timeoutMs, what: what, lines: nil)
            do throws(FrameError) {
                let out = try buffer.readFrame(count: replyCount) { (r: inout FrameReader) throws(FrameError) -> (pqc_status, String, [FindingRecord]) in
                    let status = pqc_status(try r.u32())
                    let error = try r.string()
                    let n = Int(try r.u32())
                    for i in 0..<n {
                        let rows = try r.raw()
                        if i < tables.count { writer.append(tables[i].writerID, rows: rows) }
                    }
                    var findings: [FindingRecord] = []
                    for _ in 0..<Int(try r.u32()) { findings.append(try FindingWire.decode(&r)) }
                    return (status, error, findings)
                }
                failures = 0
                return out
            } catch {
                throw fail(c, .crash, "protocol error \(what): \(error)", lineIndex: nil)
            }
        }
    }

    private var replyCount = 0
    /// The sum of the tables' rule versions the running child has (0: none sent).
    private var rulesSent = 0

    /// Sends a request and waits for its reply in `buffer`, answering SQL the
    /// runner forwards meanwhile. A crash or a missed deadline kills the runner.
    private func exchange(_ c: Child, _ frame: [UInt8], timeoutMs: Int, what: String, lines: Int?) throws(RunnerFailure) {
        let deadline = MonotonicClock.nowNanos() + UInt64(max(1, timeoutMs)) * 1_000_000
        func lineIndex() -> Int? {
            guard let lines else { return nil }
            let i = Int(c.progress.pointee)
            return i < lines ? i : nil
        }
        do throws(FrameChannel.Failure) {
            try c.channel.send(frame)
            while true {
                let kind = try c.channel.receive(into: &buffer, count: &replyCount, deadlineNanos: deadline)
                if kind == FrameKind.query.rawValue {
                    try c.channel.send(answerQuery())
                    continue
                }
                guard kind == FrameKind.parsed.rawValue || kind == FrameKind.ran.rawValue else {
                    throw FrameChannel.Failure.io("unexpected frame kind \(kind)")
                }
                return
            }
        } catch .timeout {
            let index = lineIndex()
            throw fail(c, .timeout, "runner missed its \(timeoutMs) ms deadline \(what)", lineIndex: index, isParse: lines != nil)
        } catch {
            let index = lineIndex()
            throw fail(c, .crash, "runner died \(what)", lineIndex: index, isParse: lines != nil)
        }
    }

    /// Runs a statement the runner forwarded, on the lane it names.
    private func answerQuery() -> [UInt8] {
        var w = FrameWriter(.queryResult)
        let count = replyCount
        buffer.withUnsafeBytes { raw in
            var r = FrameReader(UnsafeRawBufferPointer(rebasing: raw[5..<count]))
            do throws(FrameError) {
                let flags = try r.u8()
                let lane: Lane = flags & 1 == 1 ? .slow : .fast
                let readOnly = flags & 2 == 2
                let sql = try r.cString()
                let n = Int(try r.u32())
                var params: [UnsafePointer<CChar>?] = []
                for _ in 0..<n { params.append(try r.u8() == 1 ? try r.cString() : nil) }
                guard let db = lanes[lane] else {
                    w.u32(PQC_RETRY.rawValue)
                    w.string("no database connection in this command")
                    return
                }
                if readOnly, let problem = PluginSQL.readOnlyProblem(sql) {
                    w.u32(PQC_EINVAL.rawValue)
                    w.string("query_readonly: \(problem)")
                    return
                }
                do throws(PGError) {
                    let result = try params.withUnsafeBufferPointer { p throws(PGError) -> PGResult in
                        try db.withConnection { (c: PGConnection) throws(PGError) -> PGResult in
                            try PluginSQL.run(c, sql: sql, params: p.baseAddress, count: n, readOnly: readOnly)
                        }
                    }
                    w.u32(PQC_OK.rawValue)
                    w.u32(UInt32(result.columnCount))
                    for col in 0..<result.columnCount { if let name = result.columnName(col) { w.cString(name) } else { w.string("") } }
                    w.u32(UInt32(result.rowCount))
                    for row in 0..<result.rowCount {
                        for col in 0..<result.columnCount {
                            if let v = result.cString(row, col) { w.u8(1); w.cString(v) } else { w.u8(0) }
                        }
                    }
                } catch {
                    w.u32(PluginSQL.status(error).rawValue)
                    w.string(error.description)
                }
            } catch {
                w.u32(PQC_FAIL.rawValue)
                w.string("malformed query request: \(error)")
            }
        }
        return w.finish()
    }

    // MARK: process lifecycle

    /// The running child, started if needed (unless backing off after failures).
    private func running() throws(RunnerFailure) -> Child {
        if let c = child { return c }
        let now = MonotonicClock.nowNanos()
        guard now >= retryAtNanos else {
            throw RunnerFailure(kind: .backingOff, message: "runner of plugin \(plugin) restarts in \((retryAtNanos - now) / 1_000_000 + 1) ms",
                                lineIndex: nil)
        }
        do throws(RunnerFailure) {
            let c = try spawn()
            child = c
            return c
        } catch {
            backOff()
            throw error
        }
    }

    private func spawn(readManifest: Bool = false) throws(RunnerFailure) -> Child {
        rulesSent = 0  // a new child starts with the declarations alone
        func failure(_ what: String) -> RunnerFailure {
            RunnerFailure(kind: .unavailable, message: "cannot start the runner of plugin \(plugin): \(what): \(String(cString: strerror(errno)))", lineIndex: nil)
        }
        var pair: [Int32] = [-1, -1], out: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else { throw failure("socketpair") }
        guard pipe(&out) == 0 else {
            close(pair[0]); close(pair[1])
            throw failure("pipe")
        }
        for fd in out { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // The progress page: a deleted file both processes map.
        var template = Array("/tmp/pqc-runner-XXXXXX".utf8CString)
        let pfd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if pfd >= 0 { _ = fcntl(pfd, F_SETFD, FD_CLOEXEC) }
        guard pfd >= 0 else {
            [pair[0], pair[1], out[0], out[1]].forEach { close($0) }
            throw failure("progress file")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let mapped = ftruncate(pfd, 4096) == 0 ? mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, pfd, 0) : MAP_FAILED
        guard let mapped, mapped != MAP_FAILED else {
            [pair[0], pair[1], out[0], out[1], pfd].forEach { close($0) }
            throw failure("progress page")
        }
        let progress = mapped.assumingMemoryBound(to: UInt32.self)

        // Out of the way of 0...4 before they are moved there in the child.
        let childSocket = fcntl(pair[1], F_DUPFD_CLOEXEC, 10), childProgress = fcntl(pfd, F_DUPFD_CLOEXEC, 10)
        close(pair[1]); close(pfd)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, out[1], 1)
        posix_spawn_file_actions_adddup2(&actions, out[1], 2)
        posix_spawn_file_actions_adddup2(&actions, childSocket, PluginRunner.socketFD)
        posix_spawn_file_actions_adddup2(&actions, childProgress, PluginRunner.progressFD)
        let exe = Self.executablePath()
        var argv = [exe, "plugin-runner", path]
        if let configPath { argv += ["--config", configPath] }
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        // The Swift runtime's crash backtracer takes seconds and fills the log
        // with registers; the daemon reports the crash itself, with the line.
        var env: [String] = []
        var e = environ
        while let entry = e.pointee {
            let s = String(cString: entry)
            if !s.hasPrefix("SWIFT_BACKTRACE=") { env.append(s) }
            e += 1
        }
        env.append("SWIFT_BACKTRACE=enable=no")
        let cEnv = env.map { strdup($0) } + [nil]
        defer { cEnv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, exe, &actions, nil, cArgs, cEnv)
        close(childSocket); close(childProgress); close(out[1])
        guard rc == 0 else {
            close(pair[0]); close(out[0]); munmap(mapped, 4096)
            errno = rc
            throw failure("spawn \(exe)")
        }
        let watch = RunnerWatch(pid: pid, maxRSSBytes: settings.maxRSSMB.map { Int64($0) << 20 })
        let output = WorkerThread(name: "runner:\(plugin)") { [logger, plugin] in
            RunnerWatch.capture(fd: out[0], plugin: plugin, watch: watch, logger: logger)
        }
        output.start()
        let c = Child(pid: pid, channel: FrameChannel(fd: pair[0]), progress: progress, output: output, watch: watch)
        // The runner answers `ready` once init() returned.
        let kind: UInt8
        do throws(FrameChannel.Failure) {
            kind = try c.channel.receive(into: &buffer, count: &replyCount, deadlineNanos: MonotonicClock.nowNanos() + 10_000_000_000)
        } catch {
            let status = reap(c, kill: true)
            throw RunnerFailure(kind: .unavailable, message: "runner of plugin \(plugin) did not start (\(status))", lineIndex: nil)
        }
        if kind != FrameKind.ready.rawValue || replyCount <= 5 || buffer[5] != 1 {
            var why = "it did not report ready", configuration = false
            if kind == FrameKind.ready.rawValue, replyCount > 6,
               let refusal = try? buffer.readFrame(count: replyCount, from: 6, { (r: inout FrameReader) throws(FrameError) -> (String, Bool) in
                   (try r.string(), try r.u8() == 1)
               }) {
                (why, configuration) = refusal
            }
            reap(c, kill: true)
            var failure = RunnerFailure(kind: .unavailable, message: "runner of plugin \(plugin) refused to start: \(why)", lineIndex: nil)
            failure.refusal = why
            failure.isConfiguration = configuration
            throw failure
        }
        if readManifest {
            do throws(FrameError) {
                try buffer.readFrame(count: replyCount, from: 6) { (r: inout FrameReader) throws(FrameError) in
                    try Manifest.decode(&r, into: runtime)
                }
            } catch {
                reap(c, kill: true)
                throw RunnerFailure(kind: .unavailable, message: "runner of plugin \(plugin): bad manifest: \(error)", lineIndex: nil)
            }
        }
        stuckPid.store(pid, ordering: .releasing)
        logger.info("plugin \(plugin) runs isolated: runner pid \(pid)")
        stats.add("runner.starts")
        return c
    }

    /// Kills (if asked) and reaps the child; returns how it ended.
    @discardableResult
    private func reap(_ c: Child, kill shouldKill: Bool, graceNanos: UInt64 = 0) -> String {
        c.watch.alive.store(false, ordering: .releasing)
        stuckPid.store(0, ordering: .releasing)
        var status: Int32 = 0
        var reaped = false
        if shouldKill {
            kill(c.pid, SIGKILL)
        } else {
            // EOF on its socket: the runner shuts the plugin down and exits.
            shutdown(c.channel.fd, Int32(SHUT_RDWR))
            let deadline = MonotonicClock.nowNanos() + graceNanos
            while MonotonicClock.nowNanos() < deadline {
                if waitpid(c.pid, &status, WNOHANG) == c.pid { reaped = true; break }
                usleep(10_000)
            }
            if !reaped { kill(c.pid, SIGKILL) }
        }
        while !reaped && waitpid(c.pid, &status, 0) < 0 && errno == EINTR {}
        close(c.channel.fd)
        munmap(UnsafeMutableRawPointer(c.progress), 4096)
        _ = c.output.join(untilNanos: MonotonicClock.nowNanos() + 1_000_000_000)
        if c.watch.killedForRSS.load(ordering: .acquiring) {
            return "killed: resident memory above max_rss_mb = \(settings.maxRSSMB ?? 0)"
        }
        let signal = status & 0x7F
        if signal == 0 { return "exited with status \((status >> 8) & 0xFF)" }
        return "killed by signal \(signal)\(signal == SIGKILL && shouldKill ? "" : " (\(String(cString: strsignal(signal))))")"
    }

    /// A failed request: kill and reap, count, back off, and log one line,
    /// except for parse batches, whose caller logs it with the source, file
    /// and byte offset of the line.
    private func fail(_ c: Child, _ kind: RunnerFailure.Kind, _ what: String, lineIndex: Int?, isParse: Bool = false) -> RunnerFailure {
        let ended = reap(c, kill: true)
        child = nil
        backOff()
        let message = "\(what); \(ended); restarting in \(Self.backoffMs(failures)) ms"
        if !isParse { logger.error("plugin \(plugin): \(message)") }
        stats.add(kind == .timeout ? "runner.timeouts" : "runner.crashes")
        stats.add("runner.\(plugin).failures")
        return RunnerFailure(kind: kind, message: message, lineIndex: lineIndex)
    }

    private func backOff() {
        failures += 1
        retryAtNanos = MonotonicClock.nowNanos() + UInt64(Self.backoffMs(failures)) * 1_000_000
    }

    /// 0.5 s, 1 s, 2 s … capped at 60 s.
    package static func backoffMs(_ failures: Int) -> Int { min(500 << min(max(failures - 1, 0), 7), 60_000) }

    /// The binary to start as `plugin-runner` (benchmarks set the collector's);
    /// nil = this process's own executable.
    nonisolated(unsafe) package static var executableOverride: String?

    private static func executablePath() -> String {
        if let executableOverride { return executableOverride }
        var buf = [CChar](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buf, buf.count - 1)
        guard n > 0 else { return CommandLine.arguments.first ?? "pqcrypta-collector" }
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// What the daemon watches of a runner from its output thread.
final class RunnerWatch: Sendable {
    let pid: pid_t
    let maxRSSBytes: Int64?
    let alive = Atomic<Bool>(true)
    let killedForRSS = Atomic<Bool>(false)

    init(pid: pid_t, maxRSSBytes: Int64?) {
        self.pid = pid
        self.maxRSSBytes = maxRSSBytes
    }

    /// At most this many output lines per window reach the daemon's log.
    static let linesPerWindow = 20
    static let windowNanos: UInt64 = 10_000_000_000

    /// Reads the runner's stdout/stderr until it closes, logging each line
    /// (rate-limited: a plugin printing in a loop cannot flood the daemon's
    /// log), and checks its resident size twice a second.
    static func capture(fd: Int32, plugin: String, watch: RunnerWatch, logger: Logger) {
        defer { close(fd) }
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        var windowStart = MonotonicClock.nowNanos()
        var logged = 0, suppressed = 0
        func emit(_ line: ArraySlice<UInt8>) {
            let now = MonotonicClock.nowNanos()
            if now - windowStart >= windowNanos {
                if suppressed > 0 { logger.warning("runner output: \(suppressed) line(s) suppressed (more than \(linesPerWindow) per 10 s)") }
                windowStart = now
                logged = 0
                suppressed = 0
            }
            guard logged < linesPerWindow else { suppressed += 1; return }
            logged += 1
            logger.notice("runner output: \(String(decoding: line.prefix(1000), as: UTF8.self))")
        }
        while true {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, 500)
            if let limit = watch.maxRSSBytes, watch.alive.load(ordering: .acquiring), residentBytes(watch.pid) > limit {
                if !watch.killedForRSS.exchange(true, ordering: .acquiringAndReleasing) {
                    logger.error("plugin \(plugin): runner pid \(watch.pid) is above max_rss_mb (\(limit >> 20) MB); killing it")
                    kill(watch.pid, SIGKILL)
                }
            }
            if ready < 0 && errno != EINTR { break }
            if ready <= 0 { continue }
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            var start = 0
            for i in 0..<n where chunk[i] == 0x0A {
                pending.append(contentsOf: chunk[start..<i])
                emit(pending[...])
                pending.removeAll(keepingCapacity: true)
                start = i + 1
            }
            if start < n && pending.count < 4096 { pending.append(contentsOf: chunk[start..<n].prefix(4096 - pending.count)) }
        }
        if !pending.isEmpty { emit(pending[...]) }
        if suppressed > 0 { logger.warning("runner output: \(suppressed) line(s) suppressed (more than \(linesPerWindow) per 10 s)") }
    }

    static func residentBytes(_ pid: pid_t) -> Int64 {
        guard let f = fopen("/proc/\(pid)/statm", "r") else { return 0 }
        defer { fclose(f) }
        var buf = [CChar](repeating: 0, count: 128)
        guard fgets(&buf, Int32(buf.count), f) != nil else { return 0 }
        let text = buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let fields = String(decoding: text, as: UTF8.self).split(separator: " ")
        guard fields.count > 1, let pages = Int64(fields[1]) else { return 0 }
        return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }
}

/// A plain mutex for long critical sections (a whole runner request).
final class SerialLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t> = {
        let m = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        pthread_mutex_init(m, nil)
        return m
    }()

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Runs `body` only if the lock is free right now; nil otherwise.
    func tryWithLock<T>(_ body: () -> T) -> T? {
        guard pthread_mutex_trylock(mutex) == 0 else { return nil }
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }
}

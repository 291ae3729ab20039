#if canImport(Glibc)
import Glibc
#endif
import PluginABI
import Synchronization

/// The child side of plugin isolation (`pqcrypta-collector plugin-runner`):
/// loads one plugin with the same loader and the same `pqc_host_api` as the
/// daemon, and serves the daemon's requests on fd 3 (a socketpair):
/// parse batches, tick and analyzer runs. Rows a tick emits are queued in a
/// writer that never writes and shipped back with the run's reply; SQL is
/// forwarded to the daemon, which runs it on the tick's lane; HTTP, config,
/// clock and logging are served here (the log goes to stderr, which the
/// daemon captures). Before each line it parses, the runner stores the line's
/// index in the page shared through fd 4: when the plugin crashes or hangs,
/// the daemon reads there which line did it.
package enum PluginRunner {
    package static let socketFD: Int32 = 3
    package static let progressFD: Int32 = 4

    /// The channel to the daemon, for SQL forwarded from inside a run.
    nonisolated(unsafe) static var channel = FrameChannel(fd: socketFD)
    /// Requests are served one at a time; this guards the channel against
    /// threads a plugin may start itself.
    static let channelLock = Mutex<Void>(())

    package static func serve(path: String, config baseConfig: CollectorConfig) -> Int32 {
        let logger = Logger(label: "runner")
        var config = baseConfig
        config.plugins.files = [path]
        config.plugins.enabled = []
        config.plugins.disabled = []
        guard let progress = mapProgress() else {
            logger.error("plugin runner: cannot map the progress page (fd \(progressFD)): \(String(cString: strerror(errno)))")
            return 1
        }
        let services = HostServices.offline(config)
        let report = PluginLoader(services: services, api: UnsafePointer(RunnerAPI.table)).loadAll()
        var ready = FrameWriter(.ready)
        guard let plugin = report.loaded.first else {
            ready.u8(0)
            ready.string(report.refused.first?.reason ?? "not loaded")
            ready.u8(report.refused.first?.isConfiguration ?? false ? 1 : 0)
            try? channel.send(ready.finish())
            return 1
        }
        ready.u8(1)
        Manifest.encode(plugin, into: &ready)
        do throws(FrameChannel.Failure) { try channel.send(ready.finish()) } catch { return 1 }

        var parsers: [String: ParserInstance] = [:]
        var buffer: [UInt8] = []
        var count = 0
        while true {
            let kind: UInt8
            do throws(FrameChannel.Failure) {
                kind = try channel.receive(into: &buffer, count: &count, deadlineNanos: 0)
            } catch {
                // The daemon closed its end: it is stopping (or gave up on us).
                [plugin].shutDown()
                return 0
            }
            let reply: [UInt8]
            do throws(FrameError) {
                reply = try buffer.readFrame(count: count) { (reader: inout FrameReader) throws(FrameError) -> [UInt8] in
                    switch FrameKind(rawValue: kind) {
                    case .parse: return try parse(&reader, plugin: plugin, parsers: &parsers, progress: progress)
                    case .run: return try run(&reader, plugin: plugin)
                    default: throw FrameError("unexpected frame kind \(kind)")
                    }
                }
            } catch {
                logger.error("plugin runner: \(error); exiting")
                return 1
            }
            do throws(FrameChannel.Failure) { try channel.send(reply) } catch { return 0 }
        }
    }

    /// parse: parser name, source name, line count, lines. Reply: one result per line.
    private static func parse(_ r: inout FrameReader, plugin: PluginRuntime, parsers: inout [String: ParserInstance],
                              progress: UnsafeMutablePointer<UInt32>) throws(FrameError) -> [UInt8] {
        let parserName = try r.string()
        let source = try r.string()
        let n = Int(try r.u32())
        let key = parserName + "\u{0}" + source
        let instance: ParserInstance
        if let existing = parsers[key] {
            instance = existing
        } else {
            guard let registration = plugin.parsers.first(where: { $0.name == parserName }) else {
                throw FrameError("no parser named '\(parserName)'")
            }
            instance = ParserInstance(registration, source: source, options: plugin.services.config.logs.sourceEntries.first { $0.name == source }?.options ?? [])
            parsers[key] = instance
        }
        var w = FrameWriter(.parsed, reservingCapacity: r.base.count + n * 24)
        for i in 0..<n {
            let line = try r.raw()
            // Before the call: if it never returns, the daemon reads this index.
            progress.pointee = UInt32(i)
            var record = pqc_log_record()
            record.struct_size = UInt32(MemoryLayout<pqc_log_record>.size)
            let result = instance.registration.parse(instance.state, line.baseAddress?.assumingMemoryBound(to: CChar.self), line.count, &record)
            ParseWire.encode(result, record, into: &w)
        }
        progress.pointee = UInt32(n)
        return w.finish()
    }

    /// run: kind (0 tick, 1 analyzer), index, lane, then (flag 1) the rules of
    /// every table when the daemon checked them since its last run request.
    /// Reply: status, last error, rows per table, findings.
    private static func run(_ r: inout FrameReader, plugin: PluginRuntime) throws(FrameError) -> [UInt8] {
        let isAnalyzer = try r.u8() == 1
        let index = Int(try r.u32())
        let lane: Lane = try r.u8() == 1 ? .slow : .fast
        if try r.u8() == 1 {
            let n = Int(try r.u32())
            guard n == plugin.tables.count else { throw FrameError("rules for \(n) tables, the plugin has \(plugin.tables.count)") }
            for table in plugin.tables { table.setRules(try TableRulesWire.decode(&r)) }
        }
        let context = CallContext.current
        context.lane = lane
        context.setError("")
        let status: pqc_status
        if isAnalyzer {
            guard plugin.analyzers.indices.contains(index) else { throw FrameError("no analyzer \(index)") }
            let a = plugin.analyzers[index]
            context.analyzer = (plugin.name, a.name)
            context.findings = []
            status = a.run(a.userData)
            context.analyzer = nil
        } else {
            guard plugin.ticks.indices.contains(index) else { throw FrameError("no tick \(index)") }
            let t = plugin.ticks[index]
            status = t.run(t.userData)
        }
        var w = FrameWriter(.ran)
        w.u32(status.rawValue)
        w.string(context.lastError.map { String(cString: $0) } ?? "")
        w.u32(UInt32(plugin.tables.count))
        for table in plugin.tables {
            let rows = plugin.services.writer.takeRows(table.writerID)
            rows.withUnsafeBytes { w.raw($0) }
        }
        let findings = isAnalyzer ? context.findings : []
        context.findings = []
        w.u32(UInt32(findings.count))
        for f in findings { FindingWire.encode(f, into: &w) }
        return w.finish()
    }

    private static func mapProgress() -> UnsafeMutablePointer<UInt32>? {
        let p = mmap(nil, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, progressFD, 0)
        guard let p, p != MAP_FAILED else { return nil }
        return p.assumingMemoryBound(to: UInt32.self)
    }
}

/// The runner's API table: the host's, except that SQL goes to the daemon.
enum RunnerAPI {
    nonisolated(unsafe) static let table: UnsafeMutablePointer<pqc_host_api> = {
        var api = HostAPI.make()
        api.query = { handle, sql, params, count, out in forwardQuery(handle, sql, params, count, out, readOnly: false) }
        api.query_readonly = { handle, sql, params, count, out in forwardQuery(handle, sql, params, count, out, readOnly: true) }
        api.result_rows = { res in RemoteResult.from(res)?.rows ?? 0 }
        api.result_columns = { res in RemoteResult.from(res)?.names.count ?? 0 }
        api.result_column_name = { res, column in
            guard let r = RemoteResult.from(res), column < r.names.count else { return nil }
            return UnsafePointer(r.names[column])
        }
        api.result_value = { res, row, column in
            guard let r = RemoteResult.from(res), row < r.rows, column < r.names.count else { return nil }
            return r.cells[row * r.names.count + column].map { UnsafePointer($0) }
        }
        api.result_free = { res in
            guard let res else { return }
            Unmanaged<RemoteResult>.fromOpaque(UnsafeRawPointer(res)).release()
        }
        let t = UnsafeMutablePointer<pqc_host_api>.allocate(capacity: 1)
        t.initialize(to: api)
        return t
    }()
}

/// A query result copied out of the daemon's reply, owned by the plugin until result_free.
final class RemoteResult {
    let names: [UnsafeMutablePointer<CChar>]
    let rows: Int
    let cells: [UnsafeMutablePointer<CChar>?]

    init(_ r: inout FrameReader) throws(FrameError) {
        let columns = Int(try r.u32())
        var names: [UnsafeMutablePointer<CChar>] = []
        for _ in 0..<columns { names.append(strdup(try r.cString())) }
        self.names = names
        rows = Int(try r.u32())
        var cells: [UnsafeMutablePointer<CChar>?] = []
        cells.reserveCapacity(rows * columns)
        for _ in 0..<(rows * columns) { cells.append(try r.u8() == 1 ? strdup(try r.cString()) : nil) }
        self.cells = cells
    }

    deinit {
        names.forEach { free($0) }
        cells.forEach { free($0) }
    }

    static func from(_ res: OpaquePointer?) -> RemoteResult? {
        guard let res else { return nil }
        return Unmanaged<RemoteResult>.fromOpaque(UnsafeRawPointer(res)).takeUnretainedValue()
    }
}

/// Findings of an isolated analyzer's run, on the wire.
enum FindingWire {
    static func encode(_ f: FindingRecord, into w: inout FrameWriter) {
        w.string(f.kind.rawValue)
        w.string(f.severity); w.string(f.key); w.string(f.domain); w.string(f.metric)
        w.optionalString(f.target); w.string(f.title); w.optionalString(f.description); w.optionalString(f.action)
        for d in [f.value, f.threshold, f.zScore, f.baselineStddev, f.driftPct] {
            if let d { w.u8(1); w.f64(d) } else { w.u8(0) }
        }
        w.u32(UInt32(clamping: f.dedupWindowSecs))
        w.optionalString(f.type); w.optionalString(f.metricKey); w.optionalString(f.contextJSON); w.optionalString(f.direction)
    }

    static func decode(_ r: inout FrameReader) throws(FrameError) -> FindingRecord {
        guard let kind = FindingRecord.Kind(rawValue: try r.string()) else { throw FrameError("unknown finding kind") }
        let severity = try r.string(), key = try r.string(), domain = try r.string(), metric = try r.string()
        let target = try r.optionalString(), title = try r.string(), description = try r.optionalString(), action = try r.optionalString()
        var numbers: [Double?] = []
        for _ in 0..<5 { numbers.append(try r.u8() == 1 ? try r.f64() : nil) }
        var f = FindingRecord(kind: kind, severity: severity, key: key, domain: domain, metric: metric, target: target, title: title,
                              description: description, action: action, value: numbers[0], threshold: numbers[1], zScore: numbers[2],
                              dedupWindowSecs: Int(try r.u32()))
        f.baselineStddev = numbers[3]
        f.driftPct = numbers[4]
        f.type = try r.optionalString(); f.metricKey = try r.optionalString()
        f.contextJSON = try r.optionalString(); f.direction = try r.optionalString()
        return f
    }
}

extension RunnerAPI {
    /// `query` and `query_readonly` in a runner: the daemon runs the statement
    /// on the tick's lane (`RunnerClient.answerQuery`) and sends the rows back.
    static func forwardQuery(_ handle: OpaquePointer?, _ sql: UnsafePointer<CChar>?, _ params: UnsafePointer<UnsafePointer<CChar>?>?,
                             _ count: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?, readOnly: Bool) -> pqc_status {
        guard PluginRuntime.from(handle) != nil, let sql, let out else { return PQC_EINVAL }
        out.pointee = nil
        let context = CallContext.current
        var w = FrameWriter(.query)
        // Bit 0: the slow lane; bit 1: query_readonly (ABI 1.3).
        w.u8((context.lane == .slow ? 1 : 0) | (readOnly ? 2 : 0))
        w.cString(sql)
        w.u32(UInt32(count))
        for i in 0..<count {
            if let p = params?[i] { w.u8(1); w.cString(p) } else { w.u8(0) }
        }
        let frame = w.finish()
        return PluginRunner.channelLock.withLock { _ -> pqc_status in
            var buffer: [UInt8] = []
            var n = 0
            do throws(FrameChannel.Failure) {
                try PluginRunner.channel.send(frame)
                guard try PluginRunner.channel.receive(into: &buffer, count: &n, deadlineNanos: 0) == FrameKind.queryResult.rawValue else {
                    context.setError("protocol error: expected a query result")
                    return PQC_FAIL
                }
            } catch {
                // The daemon is gone: nothing more will be stored anyway.
                context.setError("the daemon closed the connection")
                return PQC_RETRY
            }
            do throws(FrameError) {
                return try buffer.readFrame(count: n) { (r: inout FrameReader) throws(FrameError) -> pqc_status in
                    let status = pqc_status(try r.u32())
                    guard status == PQC_OK else {
                        context.setError(try r.string())
                        return status
                    }
                    out.pointee = OpaquePointer(Unmanaged.passRetained(try RemoteResult(&r)).toOpaque())
                    return PQC_OK
                }
            } catch {
                context.setError("protocol error: \(error)")
                return PQC_FAIL
            }
        }
    }
}

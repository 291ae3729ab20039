#if canImport(Glibc)
import Glibc
#endif
import ByteKit
import PluginABI

/// The `pqc_host_api` table handed to every plugin. Each entry is a C function
/// that finds its plugin from the `pqc_plugin *` handle, so one static table
/// serves all plugins.
package enum HostAPI {
    nonisolated(unsafe) static let table: UnsafeMutablePointer<pqc_host_api> = {
        let t = UnsafeMutablePointer<pqc_host_api>.allocate(capacity: 1)
        t.initialize(to: make())
        return t
    }()

    package static func make() -> pqc_host_api {
        var api = pqc_host_api()
        api.struct_size = UInt32(MemoryLayout<pqc_host_api>.size)
        api.abi_major = UInt16(PQC_ABI_MAJOR)
        api.abi_minor = UInt16(PQC_ABI_MINOR)
        api.log = { handle, level, msg in
            guard let plugin = PluginRuntime.from(handle), let msg else { return }
            let text = String(cString: msg)
            switch level {
            case PQC_LOG_TRACE: plugin.logger.trace("\(text)")
            case PQC_LOG_DEBUG: plugin.logger.debug("\(text)")
            case PQC_LOG_INFO: plugin.logger.info("\(text)")
            case PQC_LOG_WARN: plugin.logger.warning("\(text)")
            default:
                plugin.logger.error("\(text)")
                if plugin.initializing { plugin.initError = text }
            }
        }
        api.config_get = { handle, path, out in
            guard let plugin = PluginRuntime.from(handle), let path, let out else { return PQC_EINVAL }
            return HostAPI.configValue(plugin.configSection, plugin: plugin, scope: "p", path: String(cString: path), out: out)
        }
        api.config_get_global = { handle, path, out in
            guard let plugin = PluginRuntime.from(handle), let path, let out else { return PQC_EINVAL }
            let key = String(cString: path)
            plugin.recordGlobalRead(key)
            return HostAPI.configValue(plugin.services.config.resolvedTree, plugin: plugin, scope: "g", path: key, out: out)
        }
        api.register_tick = { handle, def in
            guard let plugin = PluginRuntime.from(handle), let def else { return PQC_EINVAL }
            return HostAPI.register(plugin) { () throws(RegistrationError) in try plugin.add(try HostAPI.tick(from: def)) }
        }
        api.register_parser = { handle, def in
            guard let plugin = PluginRuntime.from(handle), let def else { return PQC_EINVAL }
            return HostAPI.register(plugin) { () throws(RegistrationError) in
                var parser = try HostAPI.parser(from: def)
                parser.owner = plugin.cName
                try plugin.add(parser)
            }
        }
        api.register_analyzer = { handle, def in
            guard let plugin = PluginRuntime.from(handle), let def else { return PQC_EINVAL }
            return HostAPI.register(plugin) { () throws(RegistrationError) in try plugin.add(try HostAPI.analyzer(from: def)) }
        }
        api.table_open = { handle, table, columns, count, out in
            guard let plugin = PluginRuntime.from(handle) else { return PQC_EINVAL }
            var names: [String] = []
            for i in 0..<count {
                guard let c = columns?[i] else { return HostAPI.fail(plugin, "table_open: column \(i) is NULL") }
                names.append(String(cString: c))
            }
            return HostAPI.openTable(plugin, table, names, declared: nil, out)
        }
        api.table_open_typed = { handle, table, columns, count, out in
            guard let plugin = PluginRuntime.from(handle) else { return PQC_EINVAL }
            var names: [String] = [], types: [pqc_value_type] = []
            for i in 0..<count {
                guard let def = columns?[i], let c = def.name else { return HostAPI.fail(plugin, "table_open_typed: column \(i) has no name") }
                let name = String(cString: c)
                guard ValueTypes.isDeclarable(def.type) else {
                    return HostAPI.fail(plugin, "table_open_typed: column '\(name)': \(ValueTypes.name(def.type)) is not a column type (BOOL, INT, DOUBLE, TEXT, TIMESTAMP or JSON)")
                }
                guard def.flags == 0 else {
                    return HostAPI.fail(plugin, "table_open_typed: column '\(name)': unknown flags 0x\(String(def.flags, radix: 16))")
                }
                names.append(name)
                types.append(pqc_value_type(def.type))
            }
            return HostAPI.openTable(plugin, table, names, declared: types, out)
        }
        api.table_emit = { handle, values, count in
            guard let table = PluginTable.from(handle) else { return PQC_EINVAL }
            guard count == table.pluginColumns, count == 0 || values != nil else {
                CallContext.current.setError("table_emit: \(count) values for \(table.pluginColumns) columns of \(table.target.table)")
                return PQC_EINVAL
            }
            let cells = UnsafeBufferPointer(start: values, count: count)
            if let problem = table.problem(cells) {
                CallContext.current.setError("table_emit: \(problem)")
                return PQC_EINVAL
            }
            guard table.emit(cells, now: WallClock.nowMicros()) else {
                CallContext.current.setError("table_emit: a value has an unknown type")
                return PQC_EINVAL
            }
            return PQC_OK
        }
        api.query = { handle, sql, params, count, out in HostAPI.query(handle, sql, params, count, out, readOnly: false) }
        api.query_readonly = { handle, sql, params, count, out in HostAPI.query(handle, sql, params, count, out, readOnly: true) }
        api.result_rows = { res in HostAPI.result(res)?.rowCount ?? 0 }
        api.result_columns = { res in HostAPI.result(res)?.columnCount ?? 0 }
        api.result_column_name = { res, column in HostAPI.result(res)?.columnName(column) }
        api.result_value = { res, row, column in HostAPI.result(res)?.cString(row, column) }
        api.result_free = { res in
            guard let res else { return }
            Unmanaged<PGResult>.fromOpaque(UnsafeRawPointer(res)).release()
        }
        api.last_error = { _ in UnsafePointer(CallContext.current.lastError) }
        api.http_get = { handle, url, timeoutMs, out in
            guard PluginRuntime.from(handle) != nil, let url, let out else { return PQC_EINVAL }
            out.pointee = nil
            do throws(HTTPError) {
                let response = try HTTPClient.get(String(cString: url), timeoutMs: Int(timeoutMs))
                out.pointee = OpaquePointer(Unmanaged.passRetained(HTTPResponseBox(response)).toOpaque())
                return PQC_OK
            } catch {
                CallContext.current.setError(error.description)
                return error.kind == .badURL ? PQC_EINVAL : PQC_RETRY
            }
        }
        api.http_status = { res in
            guard let res else { return 0 }
            return Int32(Unmanaged<HTTPResponseBox>.fromOpaque(UnsafeRawPointer(res)).takeUnretainedValue().response.status)
        }
        api.http_body = { res, len in
            guard let res else { len?.pointee = 0; return nil }
            let box = Unmanaged<HTTPResponseBox>.fromOpaque(UnsafeRawPointer(res)).takeUnretainedValue()
            len?.pointee = box.count
            return UnsafePointer(box.bytes)
        }
        api.http_free = { res in
            guard let res else { return }
            Unmanaged<HTTPResponseBox>.fromOpaque(UnsafeRawPointer(res)).release()
        }
        api.now_us = { WallClock.nowMicros() }
        api.monotonic_ns = { MonotonicClock.nowNanos() }
        api.local_time_to_us = { year, month, day, hour, minute, second, micro, out in
            guard let out, let us = LocalTime.micros(year: Int(year), month: Int(month), day: Int(day), hour: Int(hour),
                                                     minute: Int(minute), second: Int(second), microsecond: Int(micro)) else {
                return PQC_EINVAL
            }
            out.pointee = us
            return PQC_OK
        }
        api.report = { handle, finding in
            guard let plugin = PluginRuntime.from(handle), let finding else { return PQC_EINVAL }
            let context = CallContext.current
            guard let running = context.analyzer, running.plugin == plugin.name else {
                return HostAPI.fail(plugin, "report is only allowed from an analyzer's run()")
            }
            guard let record = HostAPI.findingRecord(from: finding) else {
                return HostAPI.fail(plugin, "report: a finding needs struct_size, key, domain, metric and title")
            }
            context.findings.append(record)
            return PQC_OK
        }
        api.register_migration = { handle, name, sql in
            guard let plugin = PluginRuntime.from(handle), let sql else { return PQC_EINVAL }
            return HostAPI.register(plugin) { () throws(RegistrationError) in
                let n = try HostAPI.name(name, kind: "migration")
                try plugin.addMigration(name: n, sql: String(cString: sql))
            }
        }
        api.register_source = { handle, def in
            guard let plugin = PluginRuntime.from(handle), let def else { return PQC_EINVAL }
            return HostAPI.register(plugin) { () throws(RegistrationError) in try plugin.addSource(try HostAPI.source(from: def)) }
        }
        api.parse_timestamp = { text, len, out in
            guard let text, let out else { return PQC_EINVAL }
            let bytes = UnsafeRawBufferPointer(start: text, count: len)
            do throws(TimestampText.Invalid) {
                out.pointee = try TimestampText.epochMicros(ArraySlice(bytes))
                return PQC_OK
            } catch {
                return PQC_EINVAL
            }
        }
        return api
    }

    // MARK: helpers

    /// `query` and `query_readonly` (ABI 1.3) in process: on the calling tick's lane.
    package static func query(_ handle: OpaquePointer?, _ sql: UnsafePointer<CChar>?, _ params: UnsafePointer<UnsafePointer<CChar>?>?,
                              _ count: Int, _ out: UnsafeMutablePointer<OpaquePointer?>?, readOnly: Bool) -> pqc_status {
        guard let plugin = PluginRuntime.from(handle), let sql, let out else { return PQC_EINVAL }
        out.pointee = nil
        let context = CallContext.current
        guard let lane = plugin.services.lanes[context.lane] else {
            context.setError("no database connection in this command")
            return PQC_RETRY
        }
        if readOnly, let problem = PluginSQL.readOnlyProblem(sql) {
            context.setError("query_readonly: \(problem)")
            return PQC_EINVAL
        }
        do throws(PGError) {
            let result = try lane.withConnection { (c: PGConnection) throws(PGError) -> PGResult in
                try PluginSQL.run(c, sql: sql, params: params, count: count, readOnly: readOnly)
            }
            out.pointee = OpaquePointer(Unmanaged.passRetained(result).toOpaque())
            return PQC_OK
        } catch {
            context.setError(error.description)
            return PluginSQL.status(error)
        }
    }

    /// A default log source from its C definition.
    package static func source(from def: UnsafePointer<pqc_source_def>) throws(RegistrationError) -> LogSourceConfig {
        let d = def.pointee
        guard d.struct_size >= MemoryLayout<pqc_source_def>.size else {
            throw .invalid("source: struct_size \(d.struct_size) is smaller than pqc_source_def")
        }
        guard let namePointer = d.name else { throw .invalid("source without a name") }
        let name = String(cString: namePointer)
        guard LogSourceConfig.isValidName(name) else { throw .invalid("source name '\(name)' must match [a-z0-9_.-]{1,64}") }
        let kind: LogSourceConfig.Kind
        switch d.kind {
        case UInt32(PQC_SOURCE_FILE.rawValue): kind = .file
        case UInt32(PQC_SOURCE_JOURNAL.rawValue): kind = .journal
        default: throw .invalid("source '\(name)': unknown kind \(d.kind)")
        }
        let target = d.target.map { String(cString: $0) } ?? ""
        guard !target.isEmpty else { throw .invalid("source '\(name)' without a \(kind == .file ? "path" : "unit")") }
        let parser = try HostAPI.name(d.parser, kind: "source '\(name)' parser")
        return LogSourceConfig(name: name, kind: kind, target: target, parser: parser)
    }

    package static func result(_ res: OpaquePointer?) -> PGResult? {
        guard let res else { return nil }
        return Unmanaged<PGResult>.fromOpaque(UnsafeRawPointer(res)).takeUnretainedValue()
    }

    /// table_open and table_open_typed: checks the names and declares the target.
    static func openTable(_ plugin: PluginRuntime, _ table: UnsafePointer<CChar>?, _ names: [String], declared: [pqc_value_type]?,
                          _ out: UnsafeMutablePointer<OpaquePointer?>?) -> pqc_status {
        let call = declared == nil ? "table_open" : "table_open_typed"
        guard let table, let out else { return PQC_EINVAL }
        guard plugin.initializing else { return fail(plugin, "\(call) is only allowed during init()") }
        guard let qualified = RowTarget.qualifiedName(String(cString: table)) else {
            return fail(plugin, "\(call): bad table name '\(String(cString: table))' (lower-case schema.table)")
        }
        for (i, name) in names.enumerated() {
            guard RowTarget.isValidIdentifier(name), name != "host", !names[..<i].contains(name) else {
                return fail(plugin, "\(call): bad or repeated column name '\(name)'")
            }
        }
        let t = PluginTable(owner: plugin.name, table: qualified, columns: names, declared: declared,
                            hostname: plugin.services.config.collector.hostname, writer: plugin.services.writer)
        plugin.add(t)
        out.pointee = t.handle
        return PQC_OK
    }

    package static func fail(_ plugin: PluginRuntime, _ message: String) -> pqc_status {
        CallContext.current.setError(message)
        plugin.logger.warning("\(message)")
        return PQC_EINVAL
    }

    package static func register(_ plugin: PluginRuntime, _ body: () throws(RegistrationError) -> Void) -> pqc_status {
        guard plugin.initializing else { return fail(plugin, "registration is only allowed during init()") }
        do {
            try body()
            return PQC_OK
        } catch {
            plugin.refuseRegistration(error.description)
            return fail(plugin, error.description)
        }
    }

    /// Reads a size-tagged struct the plugin filled: members past its struct_size are zero.
    package static func sized<T>(_ p: UnsafePointer<T>, kind: String) throws(RegistrationError) -> T {
        let size = Int(UnsafeRawPointer(p).load(as: UInt32.self))
        guard size >= MemoryLayout<UInt32>.size else { throw .invalid("\(kind): struct_size \(size) is too small") }
        guard size <= MemoryLayout<T>.size else {
            throw .invalid("\(kind): struct_size \(size) is larger than this host's \(MemoryLayout<T>.size) (built against a newer ABI)")
        }
        let copy = UnsafeMutableRawPointer.allocate(byteCount: MemoryLayout<T>.size, alignment: MemoryLayout<T>.alignment)
        defer { copy.deallocate() }
        copy.initializeMemory(as: UInt8.self, repeating: 0, count: MemoryLayout<T>.size)
        copy.copyMemory(from: p, byteCount: size)
        return copy.load(as: T.self)
    }

    package static func name(_ p: UnsafePointer<CChar>?, kind: String) throws(RegistrationError) -> String {
        guard let p else { throw .invalid("\(kind) without a name") }
        let s = String(cString: p)
        guard PluginName.isValid(s) else { throw .invalid("\(kind) name '\(s)' must match [a-z0-9_]{1,48}") }
        return s
    }

    private static func group(_ p: UnsafePointer<CChar>?, kind: String) throws(RegistrationError) -> TickGroup? {
        guard let p else { return nil }
        let s = String(cString: p)
        guard let g = TickGroup(rawValue: s), g != .heartbeat else { throw .invalid("\(kind): unknown group '\(s)'") }
        return g
    }

    package static func tick(from p: UnsafePointer<pqc_tick_def>) throws(RegistrationError) -> TickRegistration {
        let def = try sized(p, kind: "tick")
        let n = try name(def.name, kind: "tick")
        let g = try group(def.group, kind: "tick \(n)")
        guard let run = def.run else { throw .invalid("tick \(n) has no run()") }
        guard g != nil || def.default_interval_ms >= 100 else { throw .invalid("tick \(n): default_interval_ms must be >= 100") }
        return TickRegistration(name: n, group: g, defaultIntervalMs: def.default_interval_ms,
                                slow: def.flags & PQC_TICK_SLOW != 0, run: run, userData: def.user_data)
    }

    package static func parser(from p: UnsafePointer<pqc_parser_def>) throws(RegistrationError) -> ParserRegistration {
        let def = try sized(p, kind: "parser")
        let n = try name(def.name, kind: "parser")
        guard let parse = def.parse else { throw .invalid("parser \(n) has no parse()") }
        var registration = ParserRegistration(name: n, create: def.create, parse: parse, destroy: def.destroy, userData: def.user_data)
        registration.createWithOptions = def.create_with_options
        return registration
    }

    package static func analyzer(from p: UnsafePointer<pqc_analyzer_def>) throws(RegistrationError) -> AnalyzerRegistration {
        let def = try sized(p, kind: "analyzer")
        let n = try name(def.name, kind: "analyzer")
        guard let run = def.run else { throw .invalid("analyzer \(n) has no run()") }
        let g = try group(def.group, kind: "analyzer \(n)") ?? .intel
        guard g == .intel || g == .watchdog else { throw .invalid("analyzer \(n): group must be intel or watchdog") }
        return AnalyzerRegistration(name: n, group: g, run: run, userData: def.user_data)
    }

    package static func findingRecord(from p: UnsafePointer<pqc_finding>) -> FindingRecord? {
        guard let f = try? sized(p, kind: "finding") else { return nil }
        func text(_ s: UnsafePointer<CChar>?) -> String? { s.map { String(cString: $0) } }
        func number(_ d: Double) -> Double? { d.isFinite ? d : nil }
        guard let key = text(f.key), let domain = text(f.domain), let metric = text(f.metric), let title = text(f.title),
              !key.isEmpty else { return nil }
        let kind: FindingRecord.Kind = switch pqc_finding_kind(f.kind) {
        case PQC_FINDING_ALERT: .alert
        case PQC_FINDING_RECOMMENDATION: .recommendation
        default: .insight
        }
        let severity = switch pqc_severity(f.severity) {
        case PQC_SEVERITY_CRITICAL: "critical"
        case PQC_SEVERITY_WARN: "warn"
        default: "info"
        }
        return FindingRecord(kind: kind, severity: severity, key: key, domain: domain, metric: metric, target: text(f.target),
                             title: title, description: text(f.description), action: text(f.action), value: number(f.value),
                             threshold: number(f.threshold), zScore: number(f.z_score),
                             dedupWindowSecs: f.dedup_window_secs == 0 ? 3600 : Int(f.dedup_window_secs),
                             type: text(f.type).flatMap { $0.isEmpty ? nil : $0 }, metricKey: text(f.metric_key),
                             contextJSON: text(f.context_json).flatMap(jsonObject),
                             direction: text(f.direction).flatMap { $0 == "spike" || $0 == "drop" ? $0 : nil },
                             baselineStddev: number(f.baseline_stddev), driftPct: number(f.drift_pct))
    }

    /// A finding's context: kept when it is a well-formed JSON object, else dropped.
    static func jsonObject(_ text: String) -> String? {
        guard text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }) == UInt8(ascii: "{") else { return nil }
        var bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ JSONValidator.isValid($0) }) else { return nil }
        // The escapes jsonb refuses (\u0000, unpaired surrogates) become \ufffd, as in JSON cells.
        let unstorable = bytes.withUnsafeBytes { JSONValidator.unstorableEscapes($0) }
        guard !unstorable.isEmpty else { return text }
        JSONValidator.replaceEscapes(&bytes, at: unstorable)
        return String(decoding: bytes, as: UTF8.self)
    }

    package static func configValue(_ root: ConfigNode, plugin: PluginRuntime, scope: String, path: String,
                                    out: UnsafeMutablePointer<pqc_value>) -> pqc_status {
        out.pointee = pqc_value()
        guard let node = root.node(at: path) else { return PQC_EINVAL }
        switch node {
        case .bool(let b): out.pointee.type = PQC_VALUE_BOOL.rawValue; out.pointee.v.i = b ? 1 : 0
        case .int(let i): out.pointee.type = PQC_VALUE_INT.rawValue; out.pointee.v.i = i
        case .double(let d): out.pointee.type = PQC_VALUE_DOUBLE.rawValue; out.pointee.v.d = d
        case .string(let s):
            out.pointee.type = PQC_VALUE_TEXT.rawValue
            out.pointee.v.s = plugin.retainedCString("\(scope):\(path)", s)
            out.pointee.len = s.utf8.count
        case .array(let a): out.pointee.type = PQC_VALUE_ARRAY.rawValue; out.pointee.v.i = Int64(a.count)
        case .table: out.pointee.type = PQC_VALUE_TABLE.rawValue
        }
        return PQC_OK
    }
}

/// An HTTP response handed to a plugin, its body in one stable allocation.
package final class HTTPResponseBox {
    package let response: HTTPResponse
    package let bytes: UnsafeMutablePointer<CChar>
    package let count: Int

    package init(_ response: HTTPResponse) {
        self.response = response
        count = response.body.count
        bytes = .allocate(capacity: max(1, count))
        response.body.withUnsafeBytes { raw in
            if let base = raw.baseAddress { UnsafeMutableRawPointer(bytes).copyMemory(from: base, byteCount: count) }
        }
    }

    deinit { bytes.deallocate() }
}

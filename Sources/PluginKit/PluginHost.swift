import PluginABI

#if canImport(Glibc)
import Glibc
#endif

/// A failed host call, with the host's explanation (`last_error`).
public struct HostError: Error, CustomStringConvertible, Sendable {
    /// `.retry` for transient failures (no connection, timeout), `.fail` for permanent ones.
    public enum Kind: Sendable { case retry, fail, invalid }
    public let kind: Kind
    public let message: String
    public var description: String { message }

    init(status: pqc_status, message: String) {
        switch status {
        case PQC_RETRY: kind = .retry
        case PQC_EINVAL: kind = .invalid
        default: kind = .fail
        }
        self.message = message.isEmpty ? "host call failed (status \(status.rawValue))" : message
    }
}

/// What a tick or analyzer run tells the host.
public enum RunResult: Sendable {
    case ok, retry, fail

    var status: pqc_status {
        switch self {
        case .ok: PQC_OK
        case .retry: PQC_RETRY
        case .fail: PQC_FAIL
        }
    }
}

/// The built-in schedule groups a tick can follow (`PQC_GROUP_*`).
public enum TickGroup: String, Sendable {
    case sys, app, log, watchdog, intel, agg
    case pgExtended = "pg_extended"
}

public enum PluginLogLevel: Sendable {
    case trace, debug, info, warn, error

    var c: pqc_log_level {
        switch self {
        case .trace: PQC_LOG_TRACE
        case .debug: PQC_LOG_DEBUG
        case .info: PQC_LOG_INFO
        case .warn: PQC_LOG_WARN
        case .error: PQC_LOG_ERROR
        }
    }
}

/// A configuration value as the host reports it.
public enum ConfigValue: Sendable, Equatable {
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array(count: Int)
    case table
}

/// Swift face of the host API table. Only C types cross the boundary: this type
/// converts at the edge and keeps closures alive behind `user_data` pointers.
public final class PluginHost: @unchecked Sendable {
    let api: UnsafePointer<pqc_host_api>
    let handle: OpaquePointer

    private static let installed = PThreadMutex()
    nonisolated(unsafe) private static var _current: PluginHost?

    /// The host of this plugin, once init() has run.
    public static var current: PluginHost? { installed.withLock { _current } }

    static func install(_ host: PluginHost) { installed.withLock { _current = host } }

    init(api: UnsafePointer<pqc_host_api>, handle: OpaquePointer) {
        self.api = api
        self.handle = handle
    }

    // MARK: logging and errors

    public func log(_ level: PluginLogLevel, _ message: String) {
        api.pointee.log?(handle, level.c, message)
    }

    func lastError() -> String {
        guard let p = api.pointee.last_error?(handle) else { return "" }
        return String(cString: p)
    }

    private func check(_ status: pqc_status) throws(HostError) {
        guard status == PQC_OK else { throw HostError(status: status, message: lastError()) }
    }

    // MARK: configuration

    /// A value of this plugin's `[plugin.<name>]` section, by dotted path.
    public func config(_ path: String) -> ConfigValue? {
        readConfig(path, api.pointee.config_get)
    }

    /// A value from the collector's whole configuration, e.g. `collector.processes`.
    public func globalConfig(_ path: String) -> ConfigValue? {
        readConfig(path, api.pointee.config_get_global)
    }

    /// A key of the collector's configuration this plugin owns, with the
    /// environment variables that override it (the first set, non-empty one
    /// wins, as a string), like the host's own keys: `API_METRICS_URL` over
    /// `[scrape] api_metrics_url`.
    public func globalConfig(_ path: String, env: [String]) -> ConfigValue? {
        for name in env {
            if let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty { return .string(value) }
        }
        return globalConfig(path)
    }

    /// A string array (`collector.processes`), from the global config or the plugin's section.
    public func stringArray(_ path: String, global: Bool = false) -> [String] {
        let read = global ? globalConfig : config
        guard case .array(let count)? = read(path) else { return [] }
        return (0..<count).compactMap { index in
            if case .string(let s)? = read("\(path).\(index)") { return s }
            return nil
        }
    }

    private func readConfig(
        _ path: String,
        _ fn: (@convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafeMutablePointer<pqc_value>?) -> pqc_status)?
    ) -> ConfigValue? {
        var out = pqc_value()
        guard fn?(handle, path, &out) == PQC_OK else { return nil }
        switch pqc_value_type(out.type) {
        case PQC_VALUE_BOOL: return .bool(out.v.i != 0)
        case PQC_VALUE_INT: return .int(out.v.i)
        case PQC_VALUE_DOUBLE: return .double(out.v.d)
        case PQC_VALUE_TEXT:
            guard let s = out.v.s else { return .string("") }
            let bytes = UnsafeRawBufferPointer(start: s, count: out.len)
            return .string(String(decoding: bytes, as: UTF8.self))
        case PQC_VALUE_ARRAY: return .array(count: Int(out.v.i))
        case PQC_VALUE_TABLE: return .table
        default: return nil
        }
    }

    // MARK: registration

    /// Registers a tick. `body` runs on a host thread, never concurrently with itself.
    public func registerTick(
        name: String,
        group: TickGroup? = nil,
        defaultIntervalMs: UInt32 = 10_000,
        slow: Bool = false,
        _ body: @escaping @Sendable () -> RunResult
    ) throws(HostError) {
        let box = Unmanaged.passRetained(CallbackBox(body)).toOpaque()
        var def = pqc_tick_def()
        def.struct_size = UInt32(MemoryLayout<pqc_tick_def>.size)
        def.default_interval_ms = defaultIntervalMs
        def.flags = slow ? PQC_TICK_SLOW : 0
        def.run = { user in
            guard let user else { return PQC_FAIL }
            return Unmanaged<CallbackBox>.fromOpaque(user).takeUnretainedValue().body().status
        }
        def.user_data = box
        let status = name.withCString { namePtr in
            withOptionalCString(group?.rawValue) { groupPtr in
                def.name = namePtr
                def.group = groupPtr
                return api.pointee.register_tick?(handle, &def) ?? PQC_EINVAL
            }
        }
        try check(status)
    }

    /// Registers an analyzer run on the intel or watchdog group.
    public func registerAnalyzer(
        name: String,
        group: TickGroup = .intel,
        _ body: @escaping @Sendable () -> RunResult
    ) throws(HostError) {
        let box = Unmanaged.passRetained(CallbackBox(body)).toOpaque()
        var def = pqc_analyzer_def()
        def.struct_size = UInt32(MemoryLayout<pqc_analyzer_def>.size)
        def.run = { user in
            guard let user else { return PQC_FAIL }
            return Unmanaged<CallbackBox>.fromOpaque(user).takeUnretainedValue().body().status
        }
        def.user_data = box
        let status = name.withCString { namePtr in
            group.rawValue.withCString { groupPtr in
                def.name = namePtr
                def.group = groupPtr
                return api.pointee.register_analyzer?(handle, &def) ?? PQC_EINVAL
            }
        }
        try check(status)
    }

    /// Registers a log parser; `make` creates the per-source state for a source name.
    public func registerParser(name: String, make: @escaping @Sendable (String) -> any LineParser) throws(HostError) {
        let box = Unmanaged.passRetained(ParserFactoryBox(make)).toOpaque()
        var def = pqc_parser_def()
        def.struct_size = UInt32(MemoryLayout<pqc_parser_def>.size)
        def.user_data = box
        def.create = { user, source in
            guard let user else { return nil }
            let factory = Unmanaged<ParserFactoryBox>.fromOpaque(user).takeUnretainedValue()
            let parser = factory.make(source.map { String(cString: $0) } ?? "")
            return Unmanaged.passRetained(ParserBox(parser)).toOpaque()
        }
        def.parse = { state, line, len, out in
            guard let state, let out else { return PQC_PARSE_UNPARSED }
            let parser = Unmanaged<ParserBox>.fromOpaque(state).takeUnretainedValue().parser
            return parser.parse(UnsafeRawBufferPointer(start: line, count: len), into: out)
        }
        def.destroy = { state in
            guard let state else { return }
            Unmanaged<ParserBox>.fromOpaque(state).release()
        }
        let status = name.withCString { namePtr in
            def.name = namePtr
            return api.pointee.register_parser?(handle, &def) ?? PQC_EINVAL
        }
        try check(status)
    }

    // MARK: rows

    /// Declares a row target with the columns of `layout`, their types
    /// included (`pqc_host_api.table_open_typed`), so the host refuses a wrong
    /// cell at emit and checks the layout against the table. A host older than
    /// ABI 1.4 gets the names alone (`table_open`).
    public func openTable(_ layout: TableLayout) throws(HostError) -> RowTable {
        var out: OpaquePointer?
        let typed = hostHas(\.table_open_typed)
        let status = withCStringArray(layout.columnNames) { cols in
            guard typed, let openTyped = api.pointee.table_open_typed else {
                return api.pointee.table_open?(handle, layout.table, cols.baseAddress, cols.count, &out) ?? PQC_EINVAL
            }
            let defs = layout.columns.enumerated().map { i, column in
                pqc_column_def(name: cols[i], type: column.type.valueType.rawValue, flags: 0)
            }
            return openTyped(handle, layout.table, defs, defs.count, &out)
        }
        try check(status)
        guard let out else { throw HostError(status: PQC_FAIL, message: "table_open returned no table") }
        return RowTable(api: api, handle: out, layout: layout, host: self)
    }

    // MARK: log sources

    /// Proposes default log sources (init only). Hosts older than ABI 1.1 have
    /// no `register_source`: the sources are then skipped with a log line, and
    /// the operator configures them by hand.
    public func registerSources(_ sources: [LogSourceDefault]) throws(HostError) {
        guard hostHas(\.register_source), let register = api.pointee.register_source
        else {
            log(.warn, "the host predates ABI 1.1: \(sources.count) default log source(s) not proposed; configure them in [[logs.sources]]")
            return
        }
        for source in sources {
            let kind: pqc_source_kind
            let target: String
            switch source.kind {
            case .file(let path): (kind, target) = (PQC_SOURCE_FILE, path)
            case .journal(let unit): (kind, target) = (PQC_SOURCE_JOURNAL, unit)
            }
            let status = source.name.withCString { name in
                target.withCString { target in
                    source.parser.withCString { parser in
                        var def = pqc_source_def(
                            struct_size: UInt32(MemoryLayout<pqc_source_def>.size), name: name, kind: UInt32(kind.rawValue),
                            target: target, parser: parser)
                        return register(handle, &def)
                    }
                }
            }
            try check(status)
        }
    }

    // MARK: schema

    /// Registers the migrations of the tables this plugin owns, in order (init only).
    public func registerMigrations(_ migrations: [PluginMigration]) throws(HostError) {
        for migration in migrations {
            try check(api.pointee.register_migration?(handle, migration.name, migration.sql) ?? PQC_EINVAL)
        }
    }

    // MARK: SQL

    /// Runs one statement on the calling tick's connection; rows come back as text.
    public func query(_ sql: String, _ params: [String?] = []) throws(HostError) -> QueryResult {
        var out: OpaquePointer?
        let status = withOptionalCStringArray(params) { ptrs in
            api.pointee.query?(handle, sql, ptrs.baseAddress, ptrs.count, &out) ?? PQC_EINVAL
        }
        try check(status)
        guard let res = out else { throw HostError(status: PQC_FAIL, message: "query returned no result") }
        defer { api.pointee.result_free?(res) }
        return QueryResult(copying: res, api: api.pointee)
    }

    // MARK: HTTP

    public func httpGet(_ url: String, timeoutMs: UInt32) throws(HostError) -> HTTPResponse {
        var out: OpaquePointer?
        let status = api.pointee.http_get?(handle, url, timeoutMs, &out) ?? PQC_EINVAL
        try check(status)
        guard let res = out else { throw HostError(status: PQC_FAIL, message: "http_get returned no response") }
        defer { api.pointee.http_free?(res) }
        var len = 0
        let code = Int(api.pointee.http_status?(res) ?? 0)
        let body = api.pointee.http_body?(res, &len)
        let bytes = body.map { Array(UnsafeRawBufferPointer(start: $0, count: len)) } ?? []
        return HTTPResponse(status: code, body: bytes)
    }

    /// Whether the host's API table reaches `member` (`PQC_API_HAS`): members
    /// added after minor 0 are read only when the host's struct_size covers them.
    func hostHas<T>(_ member: KeyPath<pqc_host_api, T?>) -> Bool {
        guard let offset = MemoryLayout<pqc_host_api>.offset(of: member) else { return false }
        return Int(api.pointee.struct_size) >= offset + MemoryLayout<UnsafeRawPointer>.size
    }

    /// The host's ABI minor version (its `pqc_host_api.abi_minor`).
    public var hostABIMinor: Int { Int(api.pointee.abi_minor) }

    // MARK: clock

    public func nowMicros() -> Int64 { api.pointee.now_us?() ?? 0 }
    public func monotonicNanos() -> UInt64 { api.pointee.monotonic_ns?() ?? 0 }

    // MARK: findings

    public func report(_ finding: Finding) throws(HostError) {
        let status = finding.withC(hostMinor: hostABIMinor) { ptr in api.pointee.report?(handle, ptr) ?? PQC_EINVAL }
        try check(status)
    }
}

/// A parser's per-source state, called for each line of its source.
public protocol LineParser: AnyObject {
    /// Fills `record` (strings must point into `line` or into storage this object
    /// owns until the next call) and says what the line is.
    func parse(_ line: UnsafeRawBufferPointer, into record: UnsafeMutablePointer<pqc_log_record>) -> pqc_parse_result
}

public struct HTTPResponse: Sendable {
    public let status: Int
    public let body: [UInt8]
}

final class CallbackBox: @unchecked Sendable {
    let body: @Sendable () -> RunResult
    init(_ body: @escaping @Sendable () -> RunResult) { self.body = body }
}

final class ParserFactoryBox: @unchecked Sendable {
    let make: @Sendable (String) -> any LineParser
    init(_ make: @escaping @Sendable (String) -> any LineParser) { self.make = make }
}

final class ParserBox {
    let parser: any LineParser
    init(_ parser: any LineParser) { self.parser = parser }
}

extension PluginHost {
    /// A zone-less local time in the operator's configured log zone, as µs since the epoch.
    public func localTimeMicros(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, microsecond: Int) -> Int64? {
        var out: Int64 = 0
        let status = api.pointee.local_time_to_us?(Int32(year), Int32(month), Int32(day), Int32(hour), Int32(minute),
                                                   Int32(second), Int32(microsecond), &out)
        return status == PQC_OK ? out : nil
    }
}

import PluginABI

/// What an isolated plugin registered in its runner's init(), sent with the
/// runner's `ready` frame: the daemon builds the plugin's runtime from it
/// instead of calling init() itself, so none of an isolated plugin's code
/// (beyond its descriptor) runs in the daemon.
enum Manifest {
    /// Runner side.
    static func encode(_ p: PluginRuntime, into w: inout FrameWriter) {
        w.u32(UInt32(p.ticks.count))
        for t in p.ticks {
            w.string(t.name)
            w.optionalString(t.group?.rawValue)
            w.u32(t.defaultIntervalMs)
            w.u8(t.slow ? 1 : 0)
        }
        w.u32(UInt32(p.parsers.count))
        for parser in p.parsers { w.string(parser.name) }
        w.u32(UInt32(p.analyzers.count))
        for a in p.analyzers {
            w.string(a.name)
            w.string(a.group.rawValue)
        }
        w.u32(UInt32(p.tables.count))
        for t in p.tables {
            w.string(t.target.table)
            let columns = t.target.columns.dropFirst(t.hostFillsTimestamp ? 2 : 1)
            w.u32(UInt32(columns.count))
            for c in columns { w.string(c) }
        }
        w.u32(UInt32(p.migrations.count))
        for m in p.migrations {
            w.string(m.name)
            w.string(m.sql)
        }
        w.u32(UInt32(p.sources.count))
        for s in p.sources {
            w.string(s.name)
            w.string(s.kind.rawValue)
            w.string(s.target)
            w.string(s.parser)
        }
        let reads = p.globalReads.sorted()
        w.u32(UInt32(reads.count))
        for r in reads { w.string(r) }
    }

    /// Daemon side: fills `plugin` (not initialised in this process) with the
    /// registrations. Their callbacks are placeholders: an isolated plugin's
    /// ticks, analyzers and parsers only ever run in its runner.
    static func decode(_ r: inout FrameReader, into plugin: PluginRuntime) throws(FrameError) {
        func register(_ body: () throws(RegistrationError) -> Void) throws(FrameError) {
            do throws(RegistrationError) { try body() } catch { throw FrameError("manifest: \(error)") }
        }
        for _ in 0..<Int(try r.u32()) {
            let name = try r.string()
            let group = try r.optionalString().flatMap(TickGroup.init(rawValue:))
            let interval = try r.u32()
            let slow = try r.u8() == 1
            let tick = TickRegistration(name: name, group: group, defaultIntervalMs: interval, slow: slow, run: remoteOnlyRun, userData: nil)
            try register { () throws(RegistrationError) in try plugin.add(tick) }
        }
        for _ in 0..<Int(try r.u32()) {
            var parser = ParserRegistration(name: try r.string(), create: nil, parse: remoteOnlyParse, destroy: nil, userData: nil)
            parser.owner = plugin.cName
            let p = parser
            try register { () throws(RegistrationError) in try plugin.add(p) }
        }
        for _ in 0..<Int(try r.u32()) {
            let name = try r.string()
            guard let group = TickGroup(rawValue: try r.string()) else { throw FrameError("manifest: analyzer \(name): unknown group") }
            let analyzer = AnalyzerRegistration(name: name, group: group, run: remoteOnlyRun, userData: nil)
            try register { () throws(RegistrationError) in try plugin.add(analyzer) }
        }
        for _ in 0..<Int(try r.u32()) {
            let table = try r.string()
            var columns: [String] = []
            for _ in 0..<Int(try r.u32()) { columns.append(try r.string()) }
            plugin.add(PluginTable(owner: plugin.name, table: table, columns: columns,
                                   hostname: plugin.services.config.collector.hostname, writer: plugin.services.writer))
        }
        for _ in 0..<Int(try r.u32()) {
            let name = try r.string(), sql = try r.string()
            try register { () throws(RegistrationError) in try plugin.addMigration(name: name, sql: sql) }
        }
        for _ in 0..<Int(try r.u32()) {
            let name = try r.string()
            guard let kind = LogSourceConfig.Kind(rawValue: try r.string()) else { throw FrameError("manifest: source \(name): unknown kind") }
            let source = LogSourceConfig(name: name, kind: kind, target: try r.string(), parser: try r.string())
            try register { () throws(RegistrationError) in try plugin.addSource(source) }
        }
        for _ in 0..<Int(try r.u32()) { plugin.recordGlobalRead(try r.string()) }
    }
}

/// Placeholders for an isolated plugin's callbacks in the daemon (never called).
private let remoteOnlyRun: @convention(c) (UnsafeMutableRawPointer?) -> pqc_status = { _ in PQC_FAIL }
private let remoteOnlyParse: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<pqc_log_record>?)
    -> pqc_parse_result = { _, _, _, _ in PQC_PARSE_UNPARSED }

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
            w.u32(UInt32(t.columns.count))
            for (i, c) in t.columns.enumerated() {
                w.string(c)
                // 0 = undeclared (table_open); NULL is never a declared type.
                w.u8(UInt8(t.declared.map { $0[i].rawValue } ?? 0))
            }
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
            var columns: [String] = [], types: [pqc_value_type] = []
            for _ in 0..<Int(try r.u32()) {
                columns.append(try r.string())
                types.append(pqc_value_type(UInt32(try r.u8())))
            }
            let declared = types.contains(PQC_VALUE_NULL) ? nil : types
            plugin.add(PluginTable(owner: plugin.name, table: table, columns: columns, declared: declared,
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

/// A target's rules (`TableRules`), sent to a runner with a run request once
/// the daemon has checked the target against its table.
enum TableRulesWire {
    static func encode(_ rules: TableRules, into w: inout FrameWriter) {
        switch rules {
        case .refused(let why):
            w.u8(1)
            w.string(why)
        case .columns(let columns):
            w.u8(0)
            w.u32(UInt32(columns.count))
            for c in columns {
                w.string(c.name)
                w.u32(c.declared?.rawValue ?? 0)
                w.u8(c.notNull ? 1 : 0)
                w.optionalString(c.sqlType)
                w.u8(c.intRange == nil ? 0 : 1)
                w.i64(c.intRange?.lowerBound ?? 0)
                w.i64(c.intRange?.upperBound ?? 0)
            }
        }
    }

    static func decode(_ r: inout FrameReader) throws(FrameError) -> TableRules {
        if try r.u8() == 1 { return .refused(try r.string()) }
        var columns: [ColumnRule] = []
        for _ in 0..<Int(try r.u32()) {
            let name = try r.string()
            let declared = try r.u32()
            var rule = ColumnRule(name: name, declared: declared == 0 ? nil : pqc_value_type(declared))
            rule.notNull = try r.u8() == 1
            rule.sqlType = try r.optionalString()
            let hasRange = try r.u8() == 1
            let low = try r.i64(), high = try r.i64()
            guard low <= high else { throw FrameError("table rules: bad range") }
            rule.intRange = hasRange ? low...high : nil
            columns.append(rule)
        }
        return .columns(columns)
    }
}

/// Placeholders for an isolated plugin's callbacks in the daemon (never called).
private let remoteOnlyRun: @convention(c) (UnsafeMutableRawPointer?) -> pqc_status = { _ in PQC_FAIL }
private let remoteOnlyParse: @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<pqc_log_record>?)
    -> pqc_parse_result = { _, _, _, _ in PQC_PARSE_UNPARSED }

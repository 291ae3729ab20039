import Foundation
import CollectorTestSupport
import PluginABI
import XCTest
@testable import CollectorCore

/// Row targets checked against their tables (ABI 1.4, issue 16): a cell the
/// table cannot take is PQC_EINVAL at emit, so it never costs a batch at flush.
final class TableCheckTests: XCTestCase {
    private func column(_ name: String, _ typeName: String, _ category: String = "", notNull: Bool = false,
                        filled: Bool = false, generated: Bool = false) -> CatalogColumn {
        CatalogColumn(name: name, typeName: typeName, category: category, sqlType: typeName,
                      notNull: notNull, filledByServer: filled, generated: generated)
    }

    private var metricsTable: [CatalogColumn] {
        [column("host", "text", "S", notNull: true), column("ts", "timestamptz", "D", notNull: true),
         column("n", "int4", "N", notNull: true), column("d", "float8", "N"), column("label", "varchar", "S"),
         column("meta", "jsonb", "U"), column("lsn", "pg_lsn", "U"), column("id", "int8", "N", notNull: true, filled: true)]
    }

    private func rules(_ columns: [String], _ declared: [pqc_value_type]?, catalog: [CatalogColumn]? = nil) -> TableRules {
        TableCheck.rules(table: "collector.t", columns: columns, declared: declared, hostFillsTimestamp: true, catalog: catalog ?? metricsTable)
    }

    private func problem(_ rules: TableRules, _ cells: [pqc_value]) -> String? {
        cells.withUnsafeBufferPointer { rules.problem($0, table: "collector.t") }
    }

    private func int(_ i: Int64) -> pqc_value { var v = pqc_value(); v.type = PQC_VALUE_INT.rawValue; v.v.i = i; return v }
    private func double(_ d: Double) -> pqc_value { var v = pqc_value(); v.type = PQC_VALUE_DOUBLE.rawValue; v.v.d = d; return v }
    private func typed(_ t: pqc_value_type) -> pqc_value { var v = pqc_value(); v.type = t.rawValue; return v }

    func testDeclarationsThatFitTheTableGiveColumnRules() {
        let r = rules(["n", "d", "label", "meta", "lsn"], [PQC_VALUE_INT, PQC_VALUE_DOUBLE, PQC_VALUE_TEXT, PQC_VALUE_JSON, PQC_VALUE_TEXT])
        guard case .columns(let columns) = r else { return XCTFail("\(r)") }
        XCTAssertEqual(columns.map(\.notNull), [true, false, false, false, false])
        XCTAssertEqual(columns[0].intRange, Int64(Int32.min)...Int64(Int32.max))
        XCTAssertNil(columns[1].intRange)
        // An INT declared for a double column and a JSON one for a text column fit too.
        let widened = rules(["n", "d", "label"], [PQC_VALUE_INT, PQC_VALUE_INT, PQC_VALUE_JSON])
        guard case .columns = widened else { return XCTFail("\(widened)") }
    }

    func testTableThatCannotTakeTheTargetIsRefusedWithTheReason() {
        let cases: [(TableRules, String)] = [
            (rules(["n"], nil, catalog: []), "table collector.t does not exist"),
            (rules(["nope"], nil), "collector.t has no column nope"),
            (rules(["n"], [PQC_VALUE_TEXT]), "collector.t.n is int4, which cannot take the declared TEXT"),
            (rules(["n"], [PQC_VALUE_DOUBLE]), "cannot take the declared DOUBLE"),
            (rules(["meta"], [PQC_VALUE_TEXT]), "collector.t.meta is jsonb, which cannot take the declared TEXT"),
            (rules(["ts"], [PQC_VALUE_TEXT]), "cannot take the declared TEXT"),
            (rules(["label"], [PQC_VALUE_BOOL]), "cannot take the declared BOOL"),
            (rules(["d"], nil), "collector.t.n is NOT NULL without a default, and the target does not fill it"),
            (rules(["n"], nil, catalog: metricsTable + [column("g", "int4", "N", notNull: true, filled: true, generated: true)]), ""),
            (rules(["n", "g"], nil, catalog: metricsTable + [column("g", "int4", "N", filled: true, generated: true)]), "collector.t.g is a generated column"),
            (rules(["n"], nil, catalog: Array(metricsTable.dropFirst())), "collector.t has no column host"),
        ]
        for (r, expected) in cases {
            if expected.isEmpty {
                guard case .columns = r else { XCTFail("\(r)"); continue }
            } else {
                guard case .refused(let why) = r else { XCTFail("expected \(expected): \(r)"); continue }
                XCTAssertTrue(why.contains(expected), why)
            }
        }
    }

    func testEmitChecksNullsRangesAndDeclaredTypes() {
        let typed4: [pqc_value_type] = [PQC_VALUE_INT, PQC_VALUE_DOUBLE, PQC_VALUE_TEXT, PQC_VALUE_JSON]
        let checked = rules(["n", "d", "label", "meta"], typed4)
        let before = TableRules.columns(TableCheck.initialRules(columns: ["n", "d", "label", "meta"], declared: typed4))
        let good = [int(1), double(1.5), typed(PQC_VALUE_TEXT), typed(PQC_VALUE_JSON)]
        XCTAssertNil(problem(checked, good))
        XCTAssertNil(problem(checked, [int(1), int(2), typed(PQC_VALUE_NULL), typed(PQC_VALUE_NULL)]), "INT widens to DOUBLE; NULLs where allowed")
        XCTAssertNil(problem(checked, [int(1), double(.nan), typed(PQC_VALUE_NULL), typed(PQC_VALUE_NULL)]), "NaN is NULL in a nullable column")
        for r in [checked, before] {
            XCTAssertEqual(problem(r, [typed(PQC_VALUE_TEXT), double(1), typed(PQC_VALUE_TEXT), typed(PQC_VALUE_JSON)]),
                           "collector.t.n (declared INT) cannot take cell type TEXT")
            XCTAssertEqual(problem(r, [int(1), double(1), typed(PQC_VALUE_JSON), typed(PQC_VALUE_JSON)]),
                           "collector.t.label (declared TEXT) cannot take cell type JSON")
        }
        // What the table adds once checked: NOT NULL and the integer range.
        XCTAssertNil(problem(before, [typed(PQC_VALUE_NULL), double(1), typed(PQC_VALUE_TEXT), typed(PQC_VALUE_JSON)]))
        XCTAssertEqual(problem(checked, [typed(PQC_VALUE_NULL), double(1), typed(PQC_VALUE_TEXT), typed(PQC_VALUE_JSON)]),
                       "collector.t.n is NOT NULL: NULL refused")
        XCTAssertEqual(problem(checked, [int(3_000_000_000), double(1), typed(PQC_VALUE_TEXT), typed(PQC_VALUE_JSON)]),
                       "collector.t.n (int4) cannot take 3000000000: out of range")
        // An untyped target (table_open) gets the table's checks, and any cell type.
        let untyped = rules(["n", "d"], nil)
        XCTAssertNil(problem(untyped, [typed(PQC_VALUE_TEXT), typed(PQC_VALUE_BOOL)]))
        XCTAssertEqual(problem(untyped, [int(1 << 40), double(1)]), "collector.t.n (int4) cannot take 1099511627776: out of range")
        XCTAssertEqual(problem(untyped, [int(1), typed(PQC_VALUE_ARRAY)]), "collector.t.d (float8) cannot take cell type ARRAY")
    }

    func testRulesSurviveTheRunnerWire() throws {
        var w = FrameWriter(.run)
        let checked = rules(["n", "d", "label"], [PQC_VALUE_INT, PQC_VALUE_DOUBLE, PQC_VALUE_TEXT])
        TableRulesWire.encode(checked, into: &w)
        TableRulesWire.encode(.refused("collector.t has no column x"), into: &w)
        TableRulesWire.encode(rules(["n"], nil), into: &w)
        let frame = w.finish()
        let decoded = try frame.readFrame(count: frame.count) { (r: inout FrameReader) throws(FrameError) -> [TableRules] in
            [try TableRulesWire.decode(&r), try TableRulesWire.decode(&r), try TableRulesWire.decode(&r)]
        }
        XCTAssertEqual(decoded, [checked, .refused("collector.t has no column x"), rules(["n"], nil)])
    }

    // MARK: against the database

    /// Every bundled plugin's targets fit the tables their migrations create.
    func testBundledPluginTargetsFitTheirTables() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        var config = CollectorConfig()
        config.database = db.config
        config.plugins.files = ["libSystemMetrics.so", "libLogSources.so", "libPGStats.so", "libAppMetrics.so", "libIntelligence.so"]
            .map { TestSupport.binDir + "/" + $0 }
        let report = PluginLoader(services: HostServices.offline(config)).loadAll()
        defer { report.shutDown() }
        XCTAssertEqual(report.refused.map(\.description), [])
        let c = try db.connect()
        _ = try Migrator(connection: c).apply(Migrator.allMigrations(plugins: report.loaded))
        let problems = TableCheck.apply(to: report.loaded, on: c, logger: Logger(label: "test"))
        XCTAssertEqual(problems, [])
        let tables = report.loaded.flatMap(\.tables)
        XCTAssertGreaterThanOrEqual(tables.count, 8)
        for table in tables {
            XCTAssertNotNil(table.declared, "\(table.owner) declares the types of \(table.target.table)")
            XCTAssertEqual(table.rules.version, 1)
        }
    }

    /// A reload checks the tables again: a column renamed under a running
    /// (isolated) plugin refuses its rows at emit from then on, with the reason;
    /// renamed back, the next reload lets them through again.
    func testReloadChecksTheTablesAgain() throws {
        let db = try TestDatabase.create()
        defer { db.drop() }
        let dir = try TestSupport.makeTempDir("typed-reload")
        let plugins = dir + "/plugins"
        mkdir(plugins, 0o755)
        try TestSupport.compilePlugin(TestSupport.fixturePlugin("typed.c"), to: plugins + "/typed.so", defines: ["EVERY_RUN"])
        let p = try IsolationTests.startLoggingToFile(config: """
            [collector]
            flush_interval_ms = 200
            state_dir = "\(dir)/state"
            [plugins]
            dir = "\(plugins)"
            [logs]
            enabled = false
            """, dir: dir, db: db)
        defer { if p.isRunning { _ = DaemonTests.terminate(p) } }
        func log() -> String { (try? String(contentsOfFile: dir + "/daemon.log", encoding: .utf8)) ?? "" }
        func rows() -> Int { Int((try? db.scalar("SELECT count(*) FROM collector.typed_rows")) ?? nil ?? "0") ?? 0 }
        let deadline = Date().addingTimeInterval(20)
        while rows() < 2, Date() < deadline { usleep(100_000) }  // the table may not exist yet
        XCTAssertGreaterThanOrEqual(rows(), 2, "rows before the change\n\(log())")

        try db.execute("ALTER TABLE collector.typed_rows RENAME COLUMN label TO label_old")
        kill(p.processIdentifier, SIGHUP)
        try db.waitUntil("""
            SELECT count(*) > 0 FROM collector.typed_results
            WHERE name = 'run' AND status = \(PQC_EINVAL.rawValue) AND error LIKE '%collector.typed_rows has no column label%'
            """, "emits refused with the reason after the reload")
        XCTAssertTrue(log().contains("plugin typed: collector.typed_rows has no column label; its rows for collector.typed_rows are refused at emit"), log())

        try db.execute("ALTER TABLE collector.typed_rows RENAME COLUMN label_old TO label")
        let before = rows()
        kill(p.processIdentifier, SIGHUP)
        try db.waitUntil("SELECT count(*) > \(before) FROM collector.typed_rows", "rows again after the next reload")
        XCTAssertTrue(log().contains("plugin typed: collector.typed_rows takes its rows again"), log())
        _ = DaemonTests.terminate(p)
        XCTAssertEqual(p.terminationStatus, 0, log())
    }

    /// The C fixture's cases, through the daemon, in process and isolated: the
    /// bad cells are refused at emit naming their column, the good rows are
    /// all written and no batch is rejected.
    func testTypedTargetRefusesBadCellsAtEmitInProcessAndIsolated() throws {
        for isolate in [false, true] {
            let db = try TestDatabase.create()
            defer { db.drop() }
            let dir = try TestSupport.makeTempDir("typed")
            let plugins = dir + "/plugins"
            mkdir(plugins, 0o755)
            try TestSupport.compilePlugin(TestSupport.fixturePlugin("typed.c"), to: plugins + "/typed.so")
            let p = try IsolationTests.startLoggingToFile(config: """
                [intervals]
                heartbeat_secs = 1
                [collector]
                flush_interval_ms = 200
                state_dir = "\(dir)/state"
                [plugins]
                dir = "\(plugins)"
                [plugin.typed]
                isolate = \(isolate)
                [logs]
                enabled = false
                """, dir: dir, db: db)
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline, (try? db.scalar("SELECT count(*) FROM collector.typed_results")) ?? nil != "13" { usleep(100_000) }
            usleep(500_000)
            _ = DaemonTests.terminate(p)
            let log = (try? String(contentsOfFile: dir + "/daemon.log", encoding: .utf8)) ?? ""
            XCTAssertEqual(p.terminationStatus, 0, log)
            let results = Dictionary(try db.rows("SELECT name, status::text, error FROM collector.typed_results").map {
                ($0[0] ?? "", ($0[1] ?? "", $0[2] ?? ""))
            }, uniquingKeysWith: { a, _ in a })
            let ok = String(PQC_OK.rawValue), einval = String(PQC_EINVAL.rawValue)
            // The init cases' reasons went to the log (last_error is per call).
            let expected: [String: (String, String)] = [
                "init_array_type": (einval, ""), "init_flags": (einval, ""), "init_repeated": (einval, ""),
                "good": (ok, ""), "int_as_double": (ok, ""), "nan_in_nullable": (ok, ""),
                "text_in_int": (einval, "collector.typed_rows.n (declared INT) cannot take cell type TEXT"),
                "json_in_text": (einval, "collector.typed_rows.label (declared TEXT) cannot take cell type JSON"),
                "null_in_not_null": (einval, "collector.typed_rows.n is NOT NULL: NULL refused"),
                "int4_overflow": (einval, "collector.typed_rows.n (integer) cannot take 3000000000: out of range"),
                "double_in_json": (einval, "collector.typed_rows.meta (declared JSON) cannot take cell type DOUBLE"),
                "wrong_count": (einval, "3 values for 4 columns of collector.typed_rows"),
                "declared_against_table": (einval, "collector.typed_wrong.v is integer, which cannot take the declared TEXT"),
            ]
            XCTAssertEqual(Set(results.keys), Set(expected.keys), "isolate = \(isolate)\n\(log)")
            for (name, (status, error)) in expected {
                XCTAssertEqual(results[name]?.0, status, "\(name), isolate = \(isolate): \(results[name]?.1 ?? "")")
                if status == ok || name.hasPrefix("init_") {
                    XCTAssertEqual(results[name]?.1, "", "\(name), isolate = \(isolate)")
                } else {
                    XCTAssertTrue(results[name]?.1.contains(error) ?? false, "\(name), isolate = \(isolate): \(results[name]?.1 ?? "missing")")
                }
            }
            XCTAssertEqual(try db.scalar("SELECT string_agg(n::text || ':' || coalesce(d::text, 'null'), ',' ORDER BY n) FROM collector.typed_rows"),
                           "1:1.5,2:7,3:null", "every good row written, no bad one")
            XCTAssertFalse(log.contains("rejected"), "no batch lost at flush: \(log)")
            for reason in ["'v': ARRAY is not a column type", "'v': unknown flags 0x8", "bad or repeated column name 'v'"] {
                XCTAssertTrue(log.contains(reason), "init: \(reason)\n\(log)")
            }
            XCTAssertTrue(log.contains("plugin typed: collector.typed_wrong.v is integer, which cannot take the declared TEXT"),
                          "one line at start names the plugin, table and column: \(log)")
        }
    }
}

// What checking a row at emit costs (ABI 1.4): `table_emit`'s body, with and
// without the check, over a 40-column metrics row like system_metrics_raw's.
//
//   EmitBench [rows]        (default 1,000,000; run a release build)
//
// No database: the writer has no lane, and its buffer is emptied as the
// isolation runner empties it, so only the emit path is timed.
import CollectorCore
import Glibc
import PluginABI

func nowSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

let rows = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 1_000_000
// 16 INT, 20 DOUBLE, 3 TEXT, 1 JSON columns, checked against a table with NOT NULL and integer columns.
var types: [pqc_value_type] = Array(repeating: PQC_VALUE_INT, count: 16) + Array(repeating: PQC_VALUE_DOUBLE, count: 20)
types += [PQC_VALUE_TEXT, PQC_VALUE_TEXT, PQC_VALUE_TEXT, PQC_VALUE_JSON]
let names = types.indices.map { "c\($0)" }
let catalog = [CatalogColumn(name: "host", typeName: "text", category: "S", sqlType: "text", notNull: true),
               CatalogColumn(name: "ts", typeName: "timestamptz", category: "D", sqlType: "timestamp with time zone", notNull: true)]
    + types.enumerated().map { i, t -> CatalogColumn in
        switch t {
        case PQC_VALUE_INT: CatalogColumn(name: names[i], typeName: i % 2 == 0 ? "int4" : "int8", category: "N", sqlType: "integer", notNull: i < 4)
        case PQC_VALUE_DOUBLE: CatalogColumn(name: names[i], typeName: "float8", category: "N", sqlType: "double precision")
        case PQC_VALUE_JSON: CatalogColumn(name: names[i], typeName: "jsonb", category: "U", sqlType: "jsonb")
        default: CatalogColumn(name: names[i], typeName: "text", category: "S", sqlType: "text")
        }
    }

let text = strdup("eth0-some-interface")!
let json = strdup("{\"cores\":[1.5,2.5,3.5,4.5]}")!
let cells = types.enumerated().map { i, t -> pqc_value in
    var v = pqc_value()
    v.type = t.rawValue
    switch t {
    case PQC_VALUE_INT: v.v.i = Int64(1000 + i)
    case PQC_VALUE_DOUBLE: v.v.d = 12.5 + Double(i)
    case PQC_VALUE_TEXT: v.v.s = UnsafePointer(text); v.len = strlen(text)
    default: v.v.s = UnsafePointer(json); v.len = strlen(json)
    }
    return v
}

let writer = BatchWriter(lane: nil, batchSize: 1 << 30, flushIntervalMs: 1000, maxBytes: 1 << 30, stats: StatsRegistry())
let table = PluginTable(owner: "bench", table: "collector.bench_raw", columns: names, declared: types, hostname: "bench-host", writer: writer)
let rules = TableCheck.rules(table: "collector.bench_raw", columns: names, declared: types, hostFillsTimestamp: true, catalog: catalog)
guard case .columns = rules else { fatalError("\(rules)") }
table.setRules(rules)

@MainActor func run(check: Bool) -> Double {
    let start = nowSeconds()
    cells.withUnsafeBufferPointer { row in
        for i in 0..<rows {
            if check, let problem = table.problem(row) { fatalError(problem) }
            _ = table.emit(row, now: 1_795_860_000_000_000 + Int64(i))
            if i % 10_000 == 9_999 { _ = writer.takeRows(table.writerID) }
        }
    }
    return nowSeconds() - start
}

_ = run(check: true)  // warm-up
var plain: [Double] = [], checked: [Double] = []
for _ in 0..<3 {
    plain.append(run(check: false))
    checked.append(run(check: true))
}
let p = plain.min()!, c = checked.min()!
func ns(_ s: Double) -> String { String(Int((s / Double(rows) * 1e9).rounded())) }
print("rows: \(rows), 40 columns (best of 3)")
print("emit without the check: \(ns(p)) ns/row")
print("emit with the check:    \(ns(c)) ns/row (+\(ns(c - p)) ns/row, \(Int(((c - p) / p * 100).rounded())) %)")

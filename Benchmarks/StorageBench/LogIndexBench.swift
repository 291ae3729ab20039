import CollectorCore
/// Index alternatives for `collector.log_entries`: for each index set, COPY
/// throughput of the log write path into the empty table, index size, and the
/// median run time of the queries the intelligence layer runs against it.
struct LogIndexBench {
    struct Variant {
        let name: String
        let summary: String
        let ddl: [String]
    }

    struct Query {
        let name: String
        let sql: String
        /// Parameter values; "$anchor" is replaced by the data set's "now".
        let params: [String]
    }

    let bench: StorageBench
    let table: BenchTable
    /// Microseconds of the newest generated row: the queries' "now".
    let anchor: Int64
    let out: BenchOutput

    static let btreeTs = "CREATE INDEX log_entries_ts_idx ON collector.log_entries (ts DESC)"
    static let btreeTsAsc = "CREATE INDEX log_entries_ts_idx ON collector.log_entries (ts)"
    static let btreeSourceTs = "CREATE INDEX log_entries_source_ts_idx ON collector.log_entries (source, ts DESC)"
    static let btreeLevelTs = "CREATE INDEX log_entries_level_ts_idx ON collector.log_entries (level, ts DESC) WHERE level IN ('error', 'warn')"
    static let btreeFingerprintTs = "CREATE INDEX log_entries_fingerprint_ts_idx ON collector.log_entries (fingerprint, ts DESC)"
    static let btreeFingerprintTsPartial = "CREATE INDEX log_entries_fingerprint_ts_idx ON collector.log_entries (fingerprint, ts DESC) WHERE level IN ('error', 'warn')"
    /// autosummarize: a filled page range is summarized by autovacuum at once, not at the next VACUUM.
    static let brinTs = "CREATE INDEX log_entries_ts_brin ON collector.log_entries USING brin (ts) WITH (autosummarize = on)"

    static let variants: [Variant] = [
        Variant(name: "spec", summary: "the spec's 4 btrees (migration 004 as first written): (ts DESC), (source, ts DESC), (level, ts DESC) WHERE error/warn, (fingerprint, ts DESC)",
                ddl: [btreeTs, btreeSourceTs, btreeLevelTs, btreeFingerprintTs]),
        Variant(name: "ts-asc", summary: "as spec, but (ts) ascending instead of (ts DESC)",
                ddl: [btreeTsAsc, btreeSourceTs, btreeLevelTs, btreeFingerprintTs]),
        Variant(name: "brin+3", summary: "BRIN (ts) instead of the (ts DESC) btree, the other 3 btrees kept",
                ddl: [brinTs, btreeSourceTs, btreeLevelTs, btreeFingerprintTs]),
        Variant(name: "brin+3p", summary: "as brin+3, but the fingerprint index partial like the level one (WHERE level IN ('error', 'warn'))",
                ddl: [brinTs, btreeSourceTs, btreeLevelTs, btreeFingerprintTsPartial]),
        Variant(name: "brin+2", summary: "BRIN (ts), (source, ts DESC), (level, ts DESC) WHERE error/warn; no fingerprint index",
                ddl: [brinTs, btreeSourceTs, btreeLevelTs]),
        Variant(name: "brin", summary: "BRIN (ts) only",
                ddl: [brinTs]),
        Variant(name: "none", summary: "no index (reference: the bare table)", ddl: []),
    ]

    /// `fingerprint` is an error pattern's: a fingerprint hashes source and level too, so
    /// the drill-downs may name the pattern's level (as log_patterns has it) at no cost.
    func queries(fingerprint: String) -> [Query] {
        [
            Query(name: "Q1 errors/warns by fingerprint, last 5 min", sql: """
                SELECT fingerprint, source, level, count(*) FROM collector.log_entries
                WHERE ts > $1::timestamptz - interval '5 minutes' AND level IN ('error', 'warn')
                GROUP BY 1, 2, 3
                """, params: ["$anchor"]),
            Query(name: "Q2 latest 100 rows of a source (fail2ban)", sql: """
                SELECT ts, level, component, message, context FROM collector.log_entries
                WHERE source = 'fail2ban' ORDER BY ts DESC LIMIT 100
                """, params: []),
            Query(name: "Q3 hourly count per source+level (rollup)", sql: """
                SELECT host, date_trunc('hour', ts), source, level, count(*) FROM collector.log_entries
                WHERE ts >= date_trunc('hour', $1::timestamptz) - interval '1 hour' AND ts < date_trunc('hour', $1::timestamptz)
                GROUP BY 1, 2, 3, 4
                """, params: ["$anchor"]),
            Query(name: "Q4 SSH failed logins by IP, last 5 min", sql: """
                SELECT substring(message FROM 'from ([0-9A-Fa-f.:]+) port') AS ip, count(*) FROM collector.log_entries
                WHERE ts > $1::timestamptz - interval '5 minutes' AND source = 'auth' AND message LIKE 'Failed password%'
                GROUP BY 1 ORDER BY 2 DESC LIMIT 20
                """, params: ["$anchor"]),
            Query(name: "Q5 errors/warns, last hour, newest 200", sql: """
                SELECT ts, source, level, message FROM collector.log_entries
                WHERE level IN ('error', 'warn') AND ts > $1::timestamptz - interval '1 hour'
                ORDER BY ts DESC LIMIT 200
                """, params: ["$anchor"]),
            Query(name: "Q6 latest 20 of one fingerprint (drill-down)", sql: """
                SELECT ts, source, message FROM collector.log_entries
                WHERE fingerprint = $1 AND level = 'error' ORDER BY ts DESC LIMIT 20
                """, params: [fingerprint]),
            Query(name: "Q7 one fingerprint per hour, last 24 h", sql: """
                SELECT date_trunc('hour', ts), count(*) FROM collector.log_entries
                WHERE fingerprint = $2 AND level = 'error' AND ts > $1::timestamptz - interval '24 hours' GROUP BY 1 ORDER BY 1
                """, params: ["$anchor", fingerprint]),
        ]
    }

    struct Outcome {
        let variant: Variant
        let write: StorageBench.Measurement
        let indexBytes: Int
        let tableBytes: Int
        let queryMillis: [Double]
        let plans: [String]
    }

    func run(on c: PGConnection, write: () throws -> StorageBench.Measurement) throws {
        var e = CopyEncoder(reservingCapacity: 64)
        e.appendTimestamp(micros: anchor)
        let anchorText = String(decoding: e.bytes, as: UTF8.self)
        let fingerprint = drillDownFingerprint()
        let qs = queries(fingerprint: fingerprint)
        out.say("")
        out.say("== log_entries index alternatives (\(BenchFormat.int(table.rows.count)) rows; COPY: median of \(max(1, bench.options.copyRuns)) runs; queries: median of \(bench.options.queryRuns) runs after 1 warm-up, client-timed, after VACUUM ANALYZE; \"now\" = newest row \(anchorText))")
        var outcomes: [Outcome] = []
        for variant in Self.variants {
            // Each run from empty partitions with freshly created indexes; the median run counts.
            var runs: [StorageBench.Measurement] = []
            for _ in 0..<max(1, bench.options.copyRuns) {
                try Self.apply(variant, bench: bench, on: c)
                try bench.reset(table, on: c)
                runs.append(try write())
            }
            let rates = runs.map(\.rowsPerSec).sorted()
            let result = runs.sorted { $0.rowsPerSec < $1.rowsPerSec }[runs.count / 2]
            try c.execute("VACUUM (ANALYZE) collector.log_entries")
            let sizes = try c.query("""
                SELECT coalesce(sum(pg_indexes_size(relid)), 0), coalesce(sum(pg_table_size(relid)), 0)
                FROM pg_partition_tree('collector.log_entries') WHERE isleaf
                """)
            let perIndex = try c.query("""
                SELECT p.relname, sum(pg_relation_size(i.inhrelid)) FROM pg_inherits i
                JOIN pg_class p ON p.oid = i.inhparent JOIN pg_index x ON x.indexrelid = p.oid
                WHERE p.relkind = 'I' AND x.indrelid = 'collector.log_entries'::regclass GROUP BY 1 ORDER BY 1
                """)
            let indexSizes = (0..<perIndex.rowCount).map { k in
                "\((perIndex.string(k, 0) ?? "").replacingPrefix("log_entries_")) \(BenchFormat.mib(Int(perIndex.int(k, 1) ?? 0)))"
            }
            let emptyParts = try c.query("""
                SELECT c.relname FROM pg_partition_tree('collector.log_entries') t JOIN pg_class c ON c.oid = t.relid
                WHERE t.isleaf AND c.reltuples <= 0
                """)
            let empty = Set((0..<emptyParts.rowCount).compactMap { emptyParts.string($0, 0) })
            var millis: [Double] = []
            var plans: [String] = []
            for q in qs {
                let params = q.params.map { $0 == "$anchor" ? anchorText : $0 }
                millis.append(try time(q.sql, params, on: c))
                plans.append(try plan(q.sql, params, empty: empty, on: c))
            }
            let o = Outcome(variant: variant, write: result, indexBytes: Int(sizes.int(0, 0) ?? 0),
                            tableBytes: Int(sizes.int(0, 1) ?? 0), queryMillis: millis, plans: plans)
            outcomes.append(o)
            out.say("-- \(variant.name): \(variant.summary)")
            let spread = rates.count > 1 ? " (runs: \(rates.map { BenchFormat.int(Int($0.rounded())) }.joined(separator: ", ")))" : ""
            out.say("   COPY \(BenchFormat.int(Int(result.rowsPerSec.rounded()))) rows/s\(spread)")
            out.say("   indexes \(BenchFormat.mib(o.indexBytes)) MiB\(indexSizes.isEmpty ? "" : " (" + indexSizes.joined(separator: ", ") + ")"), table \(BenchFormat.mib(o.tableBytes)) MiB")
            for (i, q) in qs.enumerated() {
                out.say("   \(BenchFormat.pad(q.name, 46)) \(BenchFormat.padLeft(BenchFormat.fixed(millis[i], 2), 9)) ms  \(plans[i])")
            }
        }
        summarize(outcomes, queries: qs)
    }

    private func summarize(_ outcomes: [Outcome], queries qs: [Query]) {
        out.say("")
        out.say("   summary (rows/s of the log write path; query medians in ms)")
        var header = "   \(BenchFormat.pad("indexes", 8)) \(BenchFormat.padLeft("rows/s", 9)) \(BenchFormat.padLeft("idx MiB", 8))"
        for i in qs.indices { header += BenchFormat.padLeft("Q\(i + 1)", 9) }
        out.say(header)
        for o in outcomes {
            var line = "   \(BenchFormat.pad(o.variant.name, 8)) \(BenchFormat.padLeft(BenchFormat.int(Int(o.write.rowsPerSec.rounded())), 9)) \(BenchFormat.padLeft(BenchFormat.mib(o.indexBytes), 8))"
            for ms in o.queryMillis { line += BenchFormat.padLeft(BenchFormat.fixed(ms, 2), 9) }
            out.say(line)
        }
    }

    /// The fingerprint of a mid-frequency error pattern: what an operator drills into.
    private func drillDownFingerprint() -> String {
        var counts: [String: Int] = [:]
        for row in table.rows {
            guard case .text(let level) = row[3], level == "error", case .text(let fp) = row[7] else { continue }
            counts[fp, default: 0] += 1
        }
        let sorted = counts.sorted { $0.value != $1.value ? $0.value < $1.value : $0.key < $1.key }
        return sorted.isEmpty ? "0000000000000000" : sorted[sorted.count / 2].key
    }

    static func variant(named name: String) -> Variant? { variants.first { $0.name == name } }

    /// Replaces log_entries' indexes with `variant`'s.
    static func apply(_ variant: Variant, bench: StorageBench, on c: PGConnection) throws {
        for name in try bench.indexNames(of: "collector.log_entries", on: c) {
            try c.execute("DROP INDEX collector.\(name)")
        }
        for ddl in variant.ddl { try c.execute(ddl) }
    }

    private func time(_ sql: String, _ params: [String], on c: PGConnection) throws -> Double {
        try c.query(sql, params)
        var samples: [Double] = []
        for _ in 0..<max(1, bench.options.queryRuns) {
            let start = MonotonicClock.nowNanos()
            try c.query(sql, params)
            samples.append(elapsedSeconds(since: start) * 1000)
        }
        samples.sort()
        return samples.count % 2 == 1 ? samples[samples.count / 2] : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
    }

    /// The scans of the query's plan, with partition indexes named after their parent index.
    private func plan(_ sql: String, _ params: [String], empty: Set<String>, on c: PGConnection) throws -> String {
        let r = try c.query("EXPLAIN (COSTS OFF) " + sql, params)
        let parents = try c.query("""
            SELECT ci.relname, pi.relname FROM pg_inherits i
            JOIN pg_class ci ON ci.oid = i.inhrelid JOIN pg_class pi ON pi.oid = i.inhparent
            WHERE pi.relkind = 'I'
            """)
        var parentOf: [String: String] = [:]
        for k in 0..<parents.rowCount { parentOf[parents.string(k, 0) ?? ""] = parents.string(k, 1) }
        var scans: [String] = []
        for k in 0..<r.rowCount {
            guard let line = r.string(k, 0) else { continue }
            var s = line.trimmingSpaces
            if s.hasPrefix("->  ") { s.removeFirst(4) }
            let words = s.split(separator: " ").map(String.init)
            var label: String?
            if s.hasPrefix("Seq Scan") || s.hasPrefix("Parallel Seq Scan") {
                // Empty partitions (DEFAULT, tomorrow's) are scanned this way at no cost: not worth a mention.
                if let on = words.firstIndex(of: "on"), on + 1 < words.count, empty.contains(words[on + 1]) { continue }
                label = s.hasPrefix("Parallel") ? "parallel seq" : "seq"
            } else if let u = words.firstIndex(where: { $0 == "using" || $0 == "on" }), s.contains("Index"), u + 1 < words.count {
                let kind = s.hasPrefix("Bitmap Index") ? "bitmap" : s.hasPrefix("Index Only") ? "index-only" : "index"
                let index = parentOf[words[u + 1]] ?? words[u + 1]
                label = "\(kind) \(index.replacingPrefix("log_entries_"))"
            }
            if let label, !scans.contains(label) { scans.append(label) }
        }
        return scans.joined(separator: ", ")
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}

import PluginKit

/// Tables: bloat and missing indexes (recommendations), dead tuples and
/// vacuum age (watchdog alerts). All read `pg_stat_user_tables` of the
/// database the collector connects to.
enum TableRules {
    /// Days since the statistics were last reset (or the server started, when
    /// they never were): index advice waits until they cover enough workload.
    static let statsAgeDays = """
        (SELECT extract(epoch FROM now() - coalesce(stats_reset, pg_postmaster_start_time())) / 86400
           FROM pg_stat_database WHERE datname = current_database())
        """

    static let bloat: Rule = Rule(
        name: "table_bloat", schedule: .intel, kind: .recommendation,
        summary: "dead tuples above raise_pct % of live tuples (resolved below clear_pct %)",
        parameters: [
            RuleParameter("raise_pct", 20, 0...10_000, "dead tuples as % of live tuples that raise it"),
            RuleParameter("clear_pct", 10, 0...10_000, "the % at or below which an open one resolves"),
            RuleParameter("min_dead_tuples", 1000, 0...1e12, "tables with fewer dead tuples are ignored"),
        ],
        columns: ["qualified", "live", "dead", "last_vacuum", "autovacuum_enabled"],
        sql: """
            SELECT format('%I.%I', s.schemaname, s.relname), s.n_live_tup, s.n_dead_tup,
                   greatest(s.last_vacuum, s.last_autovacuum)::text,
                   coalesce((SELECT option_value FROM pg_options_to_table(c.reloptions)
                              WHERE option_name = 'autovacuum_enabled'), 'on') <> 'false'
              FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
             WHERE s.n_dead_tup >= $1
            """,
        bind: { env in [String(Int64(env["min_dead_tuples"]))] },
        evaluate: { row, env in
            let table = row.string("qualified")
            let live = Double(row.int("live") ?? 0), dead = Double(row.int("dead") ?? 0)
            let pct = dead / max(live, 1) * 100
            guard env.above("table_bloat:\(table)", pct, raise: "raise_pct", clear: "clear_pct") else { return [] }
            let autovacuum = row.bool("autovacuum_enabled")
            return [bloat.finding(
                key: table, severity: pct > 100 ? .critical : .warn, target: table,
                title: "Table \(table) is bloated: \(AnomalyAnalyzer.number(pct)) % dead tuples",
                evidence: [("dead_tuples", .integer(Int64(dead))), ("live_tuples", .integer(Int64(live))),
                           ("dead_pct", .number(pct)), ("last_vacuum", .text(row.text("last_vacuum") ?? "never")),
                           ("autovacuum_enabled", .flag(autovacuum))],
                steps: [
                    "Reclaim the space now: VACUUM (ANALYZE, VERBOSE) \(table);",
                    autovacuum
                        ? "Let autovacuum visit it sooner: ALTER TABLE \(table) SET (autovacuum_vacuum_scale_factor = 0.05, autovacuum_vacuum_threshold = 1000);"
                        : "Autovacuum is off for this table: ALTER TABLE \(table) RESET (autovacuum_enabled);",
                    "Look for transactions that hold vacuum back: SELECT pid, now() - xact_start AS age, state, left(query, 80) FROM pg_stat_activity WHERE xact_start < now() - interval '5 minutes' ORDER BY xact_start;",
                ],
                value: pct, threshold: env["raise_pct"])]
        })

    static let missingIndex: Rule = Rule(
        name: "missing_index", schedule: .intel, kind: .recommendation,
        summary: "more than seq_scans sequential scans with index usage below raise_pct % on a table of min_rows rows or more",
        parameters: [
            RuleParameter("seq_scans", 1000, 0...1e15, "sequential scans since the statistics reset"),
            RuleParameter("raise_pct", 10, 0...100, "index scans as % of all scans below which it is raised"),
            RuleParameter("clear_pct", 20, 0...100, "the % at or above which an open one resolves"),
            RuleParameter("min_rows", 10_000, 0...1e15, "smaller tables are scanned sequentially on purpose"),
            RuleParameter("stats_min_age_days", 7, 0...365, "no index advice while the statistics are younger"),
        ],
        columns: ["qualified", "seq_scan", "idx_scan", "live", "size", "stats_age_days"],
        sql: """
            SELECT format('%I.%I', schemaname, relname), seq_scan, coalesce(idx_scan, 0), n_live_tup,
                   pg_relation_size(relid), \(statsAgeDays)
              FROM pg_stat_user_tables
             WHERE seq_scan > $1 AND n_live_tup >= $2
            """,
        bind: { env in [String(Int64(env["seq_scans"])), String(Int64(env["min_rows"]))] },
        evaluate: { row, env in
            guard (row.double("stats_age_days") ?? 0) >= env["stats_min_age_days"] else { return [] }
            let table = row.string("qualified")
            let seq = Double(row.int("seq_scan") ?? 0), idx = Double(row.int("idx_scan") ?? 0)
            let usage = idx / max(seq + idx, 1) * 100
            guard env.below("missing_index:\(table)", usage, raise: "raise_pct", clear: "clear_pct") else { return [] }
            return [missingIndex.finding(
                key: table, severity: .warn, target: table,
                title: "Table \(table) is read by sequential scans (\(AnomalyAnalyzer.number(usage)) % index use)",
                evidence: [("seq_scans", .integer(Int64(seq))), ("index_scans", .integer(Int64(idx))),
                           ("index_usage_pct", .number(usage)), ("live_tuples", .integer(row.int("live") ?? 0)),
                           ("table_size", .text(ByteCount.text(row.double("size") ?? 0)))],
                steps: [
                    "Find the statements that scan it: SELECT calls, round(mean_exec_time) AS mean_ms, left(query, 200) FROM pg_stat_statements WHERE query ILIKE '%\(table.split(separator: ".").last.map(String.init) ?? table)%' ORDER BY total_exec_time DESC LIMIT 10;",
                    "Check a plan: EXPLAIN (ANALYZE, BUFFERS) <statement>; a Seq Scan with a selective Filter wants an index",
                    "Create it without blocking writes: CREATE INDEX CONCURRENTLY ON \(table) (<filtered columns>); (the slow_query rule names the columns when a statement's predicate makes them clear)",
                ],
                value: usage, threshold: env["raise_pct"])]
        })

    /// Watchdog: dead tuples and vacuum age.
    static let health: Rule = Rule(
        name: "table_health", schedule: .watchdog, kind: .alert,
        summary: "dead tuples above dead_pct % with more than min_live_rows live rows; not vacuumed in vacuum_days days",
        parameters: [
            RuleParameter("dead_pct", 20, 0...10_000, "dead tuples as % of live tuples"),
            RuleParameter("clear_pct", 10, 0...10_000, "the % at or below which an open alert resolves"),
            RuleParameter("min_live_rows", 100, 0...1e15, "smaller tables are ignored"),
            RuleParameter("vacuum_days", 7, 0...3650, "days since the last (auto)vacuum"),
            RuleParameter("min_dead_tuples", 1000, 0...1e15, "vacuum age counts only for tables with this many dead tuples"),
        ],
        columns: ["qualified", "live", "dead", "vacuum_age_days"],
        sql: """
            SELECT format('%I.%I', schemaname, relname), n_live_tup, n_dead_tup,
                   extract(epoch FROM now() - greatest(last_vacuum, last_autovacuum)) / 86400
              FROM pg_stat_user_tables
             WHERE n_dead_tup > 0 AND (n_live_tup > $1 OR n_dead_tup >= $2)
            """,
        bind: { env in [String(Int64(env["min_live_rows"])), String(Int64(env["min_dead_tuples"]))] },
        evaluate: { row, env in
            let table = row.string("qualified")
            let live = Double(row.int("live") ?? 0), dead = Double(row.int("dead") ?? 0)
            let pct = dead / max(live, 1) * 100
            var out: [Finding] = []
            if live > env["min_live_rows"], env.above("table_dead_tuples:\(table)", pct, raise: "dead_pct", clear: "clear_pct") {
                out.append(health.finding(
                    metric: "table_dead_tuples", key: table, severity: pct > 100 ? .critical : .warn, target: table,
                    title: "\(table): \(AnomalyAnalyzer.number(pct)) % dead tuples",
                    evidence: [("dead_tuples", .integer(Int64(dead))), ("live_tuples", .integer(Int64(live))), ("dead_pct", .number(pct))],
                    steps: ["VACUUM (ANALYZE) \(table);", "See the table_bloat recommendation for the autovacuum settings"],
                    value: pct, threshold: env["dead_pct"]))
            }
            let age = row.double("vacuum_age_days")
            if dead >= env["min_dead_tuples"], age.map({ $0 > env["vacuum_days"] }) ?? true {
                out.append(health.finding(
                    metric: "table_not_vacuumed", key: table, severity: .warn, target: table,
                    title: age.map { "\(table) not vacuumed for \(Int($0)) days" } ?? "\(table) was never vacuumed",
                    evidence: [("vacuum_age_days", age.map { .number($0) } ?? .text("never")), ("dead_tuples", .integer(Int64(dead)))],
                    steps: ["VACUUM (ANALYZE) \(table);",
                            "Check autovacuum runs at all: SHOW autovacuum; SELECT * FROM pg_stat_progress_vacuum;"],
                    value: age ?? .infinity, threshold: env["vacuum_days"]))
            }
            return out
        })
}

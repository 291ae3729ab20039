#if canImport(Glibc)
import Glibc
#endif
import CollectorCore
import IntelligenceCore
import PluginKit

/// `--rules-tables N`: every health rule once, then again (the second run reads
/// the open findings for hysteresis), on a scratch database of N tables with
/// three indexes each (the primary key, `(a)` and `(a, b)`, so every table has
/// a duplicate index to report), half their rows dead and autovacuum off.
struct RulesBench {
    let bench: IntelBench
    let tables: Int

    func run() throws {
        let scratch = bench.scratch + "_rules"
        let admin = try PGConnection(conninfo: bench.conninfo(bench.adminDB))
        _ = try admin.execute("DROP DATABASE IF EXISTS \(scratch) WITH (FORCE)")
        _ = try admin.execute("CREATE DATABASE \(scratch)")
        defer { if !bench.keep { _ = try? admin.execute("DROP DATABASE IF EXISTS \(scratch) WITH (FORCE)") } }
        let c = try PGConnection(conninfo: bench.conninfo(scratch))
        _ = try Migrator(connection: c).apply(EmbeddedMigrations.all)
        _ = try? c.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")

        bench.say("\n## Health rules: \(tables) tables, \(tables * 3) indexes")
        let started = MonotonicClock.nowNanos()
        // In batches: one transaction holding locks on every new relation would
        // overflow the lock table (max_locks_per_transaction).
        for first in stride(from: 1, through: tables, by: 100) {
            let last = min(first + 99, tables)
            _ = try c.execute("""
                DO $$ BEGIN FOR i IN \(first)..\(last) LOOP
                  EXECUTE format('CREATE TABLE rb_%s (id bigint PRIMARY KEY, a int, b int, note text) WITH (autovacuum_enabled = false)', i);
                  EXECUTE format('CREATE INDEX rb_%s_a ON rb_%s (a)', i, i);
                  EXECUTE format('CREATE INDEX rb_%s_ab ON rb_%s (a, b)', i, i);
                  EXECUTE format('INSERT INTO rb_%s SELECT g, g %% 10, g, ''n'' FROM generate_series(1, 200) g', i);
                  EXECUTE format('UPDATE rb_%s SET b = b + 1 WHERE id <= 100', i);
                END LOOP; END $$
                """)
        }
        bench.say("created in \(bench.fixed(bench.ms(MonotonicClock.nowNanos() - started) / 1000)) s")
        sleep(2)  // let the sessions' statistics reach the shared counters

        let sql = TimedSQL(try PGConnection(conninfo: bench.conninfo(scratch)))
        let store = try PGConnection(conninfo: bench.conninfo(scratch))
        let runners = RuleCatalogue.all.map { RuleRunner(rule: $0, settings: nil, hostname: "bench", sql: sql) }
        bench.say("| rule | run 1 ms | run 2 ms | rows | findings |")
        bench.say("|---|---|---|---|---|")
        var totals = (0.0, 0.0)
        for runner in runners {
            var times: [Double] = [], rows = 0, findings = 0
            for _ in 0..<2 {
                var reported: [Finding] = []
                let start = MonotonicClock.nowNanos()
                let s = try runner.run(now: Double(WallClock.nowMicros()) / 1e6) { reported.append($0) }
                times.append(bench.ms(MonotonicClock.nowNanos() - start))
                rows = s.rows; findings = s.findings
                // Store them as open, so the second run reads them for hysteresis.
                for f in reported where f.kind != .insight {
                    let table = f.kind == .alert ? "alerts" : "recommendations", column = f.kind == .alert ? "type" : "category"
                    _ = try store.query("""
                        INSERT INTO collector.\(table) (host, analyzer, key, \(column), title) VALUES ('bench', $1, $2, $3, $4)
                        ON CONFLICT DO NOTHING
                        """, ["intelligence.\(runner.rule.name)", f.key, f.metric, f.title])
                }
            }
            totals.0 += times[0]; totals.1 += times[1]
            bench.say("| \(runner.rule.name) | \(bench.fixed(times[0])) | \(bench.fixed(times[1])) | \(rows) | \(findings) |")
        }
        bench.say("| **all \(runners.count) rules** | **\(bench.fixed(totals.0))** | **\(bench.fixed(totals.1))** | | |")
    }
}

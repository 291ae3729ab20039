import ByteKit
import PluginKit

/// Statements from `pg_stat_statements`, and the sessions of `pg_stat_activity`.
enum StatementRules {
    static let slowQuery: Rule = Rule(
        name: "slow_query", schedule: .intel, kind: .recommendation,
        summary: "a statement (pg_stat_statements) whose mean execution time passes mean_ms; with the index its predicate asks for",
        parameters: [
            RuleParameter("mean_ms", 100, 0...1e9, "mean execution time that raises it"),
            RuleParameter("clear_ms", 50, 0...1e9, "mean time at or below which an open one resolves"),
            RuleParameter("min_calls", 5, 1...1e15, "statements called fewer times are ignored"),
            RuleParameter("max_statements", 20, 1...1000, "at most this many, by total time"),
        ],
        columns: ["queryid", "calls", "mean_ms", "total_ms", "rows", "query"],
        sql: """
            SELECT queryid::text, calls, mean_exec_time, total_exec_time, rows, left(query, 4000)
              FROM pg_stat_statements
             WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND queryid IS NOT NULL AND calls >= $1 AND mean_exec_time > $2
             ORDER BY total_exec_time DESC LIMIT $3
            """,
        bind: { env in [String(Int64(env["min_calls"])), String(min(env["mean_ms"], env["clear_ms"])), String(Int(env["max_statements"]))] },
        evaluate: { row, env in
            let id = row.string("queryid"), mean = row.double("mean_ms") ?? 0
            guard env.above("slow_query:\(id)", mean, raise: "mean_ms", clear: "clear_ms") else { return [] }
            let query = row.string("query")
            var steps = ["See where the time goes: EXPLAIN (ANALYZE, BUFFERS) \(oneLine(query, 300)); (put sample values in for $1, $2, ...)"]
            var evidence: [(String, Evidence)] = [
                ("queryid", .text(id)), ("calls", .integer(row.int("calls") ?? 0)), ("mean_ms", .number(mean)),
                ("total_ms", .number(row.double("total_ms") ?? 0)), ("rows", .integer(row.int("rows") ?? 0)),
                ("query", .text(oneLine(query, 1000))),
            ]
            if let index = try missingIndex(for: query, env) {
                steps.insert("Its predicate asks for an index that does not exist: \(index.ddl);", at: 0)
                evidence.append(("suggested_index", .text(index.ddl)))
            }
            steps.append("Reset the figures after a fix to see its effect: SELECT pg_stat_statements_reset(0, 0, \(id));")
            return [slowQuery.finding(
                key: id, severity: mean > 10 * env["mean_ms"] ? .critical : .warn, target: id,
                title: "Slow statement: \(AnomalyAnalyzer.number(mean)) ms on average over \(row.int("calls") ?? 0) calls: \(oneLine(query, 80))",
                evidence: evidence, steps: steps, value: mean, threshold: env["mean_ms"])]
        })

    /// The statement's index, when its predicate makes it clear and the table
    /// has no index that leads with the first of those columns.
    static func missingIndex(for query: String, _ env: RuleEnvironment) throws -> IndexSuggestion? {
        guard let s = IndexSuggestion.from(statement: query) else { return nil }
        let rows = try env.lookup("""
            SELECT count(*) FILTER (WHERE a.attname = ANY($2::text[])),
                   EXISTS (SELECT 1 FROM pg_index i JOIN pg_attribute f ON f.attrelid = i.indrelid AND f.attnum = i.indkey[0]
                            WHERE i.indrelid = to_regclass($1) AND f.attname = ($2::text[])[1])
              FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
            """, [s.table, PostgresArray.literal(s.catalogColumns)])
        guard let row = rows.first, row.count == 2, let found = row[0].flatMap({ Int($0) }),
              found == Set(s.catalogColumns).count, row[1] == "f" else { return nil }
        return s
    }

    static func oneLine(_ text: String, _ limit: Int) -> String {
        var out = ""
        var space = false
        var count = 0  // out.count would walk the string on every character
        for ch in text {
            if ch == " " || ch == "\n" || ch == "\t" || ch == "\r" { space = count > 0; continue }
            if space { out.append(" "); space = false; count += 1 }
            out.append(ch)
            count += 1
            if count >= limit { return out + "…" }
        }
        return out
    }

    static let idleInTransaction: Rule = Rule(
        name: "idle_in_transaction", schedule: .intel, kind: .recommendation,
        summary: "a session idle in a transaction for more than secs seconds (it holds locks and vacuum back)",
        parameters: [RuleParameter("secs", 300, 1...1e9, "seconds idle inside a transaction")],
        columns: ["pid", "user", "database", "application", "client", "idle_secs", "xact_secs", "query"],
        sql: """
            SELECT pid, usename, datname, application_name, client_addr::text,
                   extract(epoch FROM now() - state_change), extract(epoch FROM now() - xact_start), left(query, 500)
              FROM pg_stat_activity
             WHERE state IN ('idle in transaction', 'idle in transaction (aborted)')
               AND state_change < now() - make_interval(secs => $1::float8) AND pid <> pg_backend_pid()
            """,
        bind: { env in [String(env["secs"])] },
        evaluate: { row, env in
            let pid = row.string("pid"), idle = row.double("idle_secs") ?? 0, user = row.string("user")
            return [idleInTransaction.finding(
                key: pid, severity: idle > 6 * env["secs"] ? .critical : .warn, target: "pid \(pid)",
                title: "Session \(pid) (\(user)@\(row.string("database")), \(row.string("application"))) idle in a transaction for \(Int(idle)) s",
                evidence: [("pid", .text(pid)), ("user", .text(user)), ("database", .text(row.string("database"))),
                           ("application", .text(row.string("application"))), ("client", .text(row.text("client") ?? "local")),
                           ("idle_secs", .number(idle)), ("transaction_secs", .number(row.double("xact_secs") ?? 0)),
                           ("last_query", .text(oneLine(row.string("query"), 300)))],
                steps: [
                    "End it if its owner cannot commit: SELECT pg_terminate_backend(\(pid));",
                    "Find the code path that leaves transactions open (last statement above) and commit or roll back there",
                    "Cap it server-side: ALTER ROLE \(user.isEmpty ? "<role>" : "\"\(user)\"") SET idle_in_transaction_session_timeout = '5min';",
                ],
                value: idle, threshold: env["secs"])]
        })

    static let longQuery: Rule = Rule(
        name: "long_query", schedule: .intel, kind: .recommendation,
        summary: "a query running for more than secs seconds",
        parameters: [RuleParameter("secs", 60, 1...1e9, "seconds a query has been running")],
        columns: ["pid", "user", "database", "application", "running_secs", "wait", "query"],
        sql: """
            SELECT pid, usename, datname, application_name, extract(epoch FROM now() - query_start),
                   coalesce(wait_event_type || ':' || wait_event, ''), left(query, 500)
              FROM pg_stat_activity
             WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()
               AND query_start < now() - make_interval(secs => $1::float8)
            """,
        bind: { env in [String(env["secs"])] },
        evaluate: { row, env in
            let pid = row.string("pid"), running = row.double("running_secs") ?? 0
            return [longQuery.finding(
                key: pid, severity: running > 10 * env["secs"] ? .critical : .warn, target: "pid \(pid)",
                title: "Query running for \(Int(running)) s (pid \(pid), \(row.string("user"))): \(oneLine(row.string("query"), 80))",
                evidence: [("pid", .text(pid)), ("user", .text(row.string("user"))), ("database", .text(row.string("database"))),
                           ("application", .text(row.string("application"))), ("running_secs", .number(running)),
                           ("waiting_on", .text(row.string("wait"))), ("query", .text(oneLine(row.string("query"), 500)))],
                steps: [
                    "Cancel it if it should not run this long: SELECT pg_cancel_backend(\(pid)); (pg_terminate_backend(\(pid)) if cancel does not end it)",
                    "See its plan: EXPLAIN \(oneLine(row.string("query"), 200));",
                    "Bound such statements: ALTER ROLE <role> SET statement_timeout = '60s';",
                ],
                value: running, threshold: env["secs"])]
        })
}

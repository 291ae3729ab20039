import PluginKit

/// Rules over the collector's own rows for this host: watched processes
/// (SystemMetrics), the API and the proxy (AppMetrics), the database's
/// figures (PGStats' `db_metrics_raw`). Only recent rows count, so a plugin
/// that stopped reporting resolves its findings rather than freezing them.
enum HostRules {
    /// The latest sample of each watched process in the last `window` seconds.
    static func latestProcesses(window: String) -> String {
        """
        SELECT DISTINCT ON (process_name) process_name, coalesce(missing, false), cpu_pct, rss_bytes, min_uptime_secs,
               fd_count, threads, coalesce(zombie_count, 0), coalesce(dstate_count, 0), coalesce(stopped_count, 0), process_count
          FROM collector.process_metrics_raw
         WHERE host = $1 AND ts > now() - make_interval(secs => \(window))
         ORDER BY process_name, ts DESC
        """
    }
    /// A finding of `rule` about process `name` when `value` crosses its `raise`
    /// parameter (and, while open, until it falls to `clear`): the shape of
    /// every threshold both process rules check.
    static func crossing(_ rule: Rule, metric: String, name: String, value: Double?, raise: String, clear: String, _ env: RuleEnvironment,
                         title: (Double) -> String, evidence: (Double) -> [(String, Evidence)], steps: [String]) -> Finding? {
        guard let value, env.above("\(metric):\(name)", value, raise: raise, clear: clear) else { return nil }
        return rule.finding(metric: metric, key: name, severity: .warn, target: name, title: title(value),
                            evidence: evidence(value), steps: steps, value: value, threshold: env[raise])
    }

    static let processColumns = ["process", "missing", "cpu_pct", "rss", "min_uptime", "fds", "threads", "zombies", "dstate", "stopped", "count"]

    static let process: Rule = Rule(
        name: "process", schedule: .intel, scope: .host, kind: .recommendation,
        summary: "a watched process above cpu_pct % CPU (resolved below cpu_clear_pct), above rss_mb MB, or restarted less than restart_secs ago (resolved after restart_clear_secs)",
        parameters: [
            RuleParameter("cpu_pct", 80, 0...100_000, "CPU % (all its processes; 100 = one core)"),
            RuleParameter("cpu_clear_pct", 20, 0...100_000, "CPU % at or below which an open one resolves"),
            RuleParameter("rss_mb", 512, 0...1e9, "resident memory in MB"),
            RuleParameter("restart_secs", 300, 0...1e9, "a process younger than this was restarted"),
            RuleParameter("restart_clear_secs", 600, 0...1e9, "uptime after which a restart finding resolves"),
        ],
        columns: processColumns, sql: latestProcesses(window: "600"),
        bind: { env in [env.hostname] },
        evaluate: { row, env in
            let name = row.string("process")
            guard !row.bool("missing") else { return [] }
            var out: [Finding] = []
            let processes = Evidence.integer(row.int("count") ?? 0)
            if let f = crossing(process, metric: "process_cpu", name: name, value: row.double("cpu_pct"), raise: "cpu_pct", clear: "cpu_clear_pct", env,
                                title: { "\(name) uses \(AnomalyAnalyzer.number($0)) % CPU" },
                                evidence: { [("cpu_pct", .number($0)), ("processes", processes)] },
                                steps: ["See which of its threads is busy: top -H -p $(pgrep -d, -x \(name))",
                                        "Sample where it spends time: perf top -p $(pgrep -o -x \(name)) (or its own profiler)",
                                        "If the load is expected, give it more cores or spread the work; if not, check its logs for a retry loop: journalctl -u \(name) --since '-15min'"]) {
                out.append(f)
            }
            if let f = crossing(process, metric: "process_memory", name: name, value: (row.double("rss") ?? 0) / 1_048_576, raise: "rss_mb", clear: "rss_mb", env,
                                title: { "\(name) uses \(AnomalyAnalyzer.number($0)) MB of memory" },
                                evidence: { [("rss_mb", .number($0)), ("processes", processes)] },
                                steps: ["Watch whether it grows (a leak) or is stable (its working set): pidstat -r -p $(pgrep -d, -x \(name)) 60",
                                        "Cap it so a leak cannot take the host: systemctl set-property \(name).service MemoryMax=<limit>",
                                        "Restart it in a quiet hour if it only grows: systemctl restart \(name)"]) {
                out.append(f)
            }
            if let uptime = row.double("min_uptime") {
                let key = "process_restart:\(name)"
                let restarted = env.isOpen(key) ? uptime < env["restart_clear_secs"] : uptime < env["restart_secs"]
                if restarted {
                    out.append(process.finding(
                        metric: "process_restart", key: name, severity: .warn, target: name, title: "\(name) restarted \(Int(uptime)) s ago",
                        evidence: [("uptime_secs", .number(uptime))],
                        steps: ["Why did it stop: journalctl -u \(name) -n 100 --no-pager; dmesg -T | grep -i -E 'killed process|oom' | tail",
                                "If it restarts again and again: systemctl status \(name); check its exit code and restart policy"],
                        value: uptime, threshold: env["restart_secs"]))
                }
            }
            return out
        })

    static let processHealth: Rule = Rule(
        name: "process_health", schedule: .watchdog, scope: .host, kind: .alert,
        summary: "a watched process above cpu_pct % CPU, rss_mb MB, fds descriptors or threads threads; zombie, uninterruptible (D) or stopped; or missing",
        parameters: [
            RuleParameter("cpu_pct", 50, 0...100_000, "CPU % (100 = one core)"),
            RuleParameter("cpu_clear_pct", 40, 0...100_000, "CPU % at or below which an open alert resolves"),
            RuleParameter("rss_mb", 1024, 0...1e9, "resident memory in MB"),
            RuleParameter("fds", 1000, 0...1e9, "open file descriptors"),
            RuleParameter("threads", 500, 0...1e9, "threads"),
        ],
        columns: processColumns, sql: latestProcesses(window: "120"),
        bind: { env in [env.hostname] },
        evaluate: { row, env in
            let name = row.string("process")
            if row.bool("missing") {
                return [processHealth.finding(
                    metric: "process_missing", key: name, severity: .critical, target: name, title: "\(name) is not running",
                    evidence: [("process", .text(name))],
                    steps: ["systemctl status \(name); journalctl -u \(name) -n 50 --no-pager", "Start it: systemctl start \(name)"],
                    value: 0, threshold: 1)]
            }
            var out: [Finding] = []
            func check(_ metric: String, _ value: Double?, _ raise: String, _ clear: String, _ title: (Double) -> String, _ steps: [String]) {
                if let f = crossing(processHealth, metric: metric, name: name, value: value, raise: raise, clear: clear, env,
                                    title: title, evidence: { [(metric, .number($0))] }, steps: steps) {
                    out.append(f)
                }
            }
            check("process_cpu_high", row.double("cpu_pct"), "cpu_pct", "cpu_clear_pct", { "\(name) at \(AnomalyAnalyzer.number($0)) % CPU" },
                  ["top -H -p $(pgrep -d, -x \(name))"])
            check("process_rss_high", (row.double("rss") ?? 0) / 1_048_576, "rss_mb", "rss_mb", { "\(name) uses \(AnomalyAnalyzer.number($0)) MB" },
                  ["pidstat -r -p $(pgrep -d, -x \(name)) 10"])
            check("process_fds_high", row.double("fds"), "fds", "fds", { "\(name) holds \(Int($0)) file descriptors" },
                  ["ls -l /proc/$(pgrep -o -x \(name))/fd | awk '{print $NF}' | sort | uniq -c | sort -rn | head", "Its limit: grep 'open files' /proc/$(pgrep -o -x \(name))/limits"])
            check("process_threads_high", row.double("threads"), "threads", "threads", { "\(name) runs \(Int($0)) threads" },
                  ["ps -L -o tid,stat,wchan:20,comm -p $(pgrep -d, -x \(name)) | head -50"])
            for (state, column, label) in [("zombie", "zombies", "zombie"), ("dstate", "dstate", "in uninterruptible sleep (D)"), ("stopped", "stopped", "stopped")] {
                let n = row.int(column) ?? 0
                guard n > 0 else { continue }
                out.append(processHealth.finding(
                    metric: "process_state_\(state)", key: name, severity: state == "zombie" ? .warn : .critical, target: name,
                    title: "\(n) \(name) process\(n == 1 ? "" : "es") \(label)",
                    evidence: [("count", .integer(n)), ("state", .text(state))],
                    steps: state == "dstate"
                        ? ["Blocked on I/O or a kernel lock: cat /proc/$(pgrep -o -x \(name))/stack; dmesg -T | tail -50", "Check the storage it uses: iostat -x 5"]
                        : state == "zombie"
                            ? ["Its parent does not reap it: ps -o ppid= -p <pid>; restart the parent"]
                            : ["Resume it: kill -CONT $(pgrep -x \(name))"],
                    value: Double(n), threshold: 0))
            }
            return out
        })

    /// The latest API sample in the last 10 minutes.
    static let api: Rule = Rule(
        name: "api", schedule: .intel, scope: .host, kind: .recommendation,
        summary: "API average latency above latency_ms ms or error rate above error_rate_pct % (latest sample)",
        parameters: [
            RuleParameter("latency_ms", 500, 0...1e9, "average latency in ms"),
            RuleParameter("latency_clear_ms", 400, 0...1e9, "latency at or below which an open one resolves"),
            RuleParameter("error_rate_pct", 5, 0...100, "error rate in %"),
            RuleParameter("error_rate_clear_pct", 3, 0...100, "error rate at or below which an open one resolves"),
        ],
        columns: ["latency_ms", "error_rate_pct", "p95_ms", "requests_per_sec"],
        sql: """
            SELECT latency_avg_ms, error_rate_pct, latency_p95_ms, requests_per_sec FROM collector.api_metrics_raw
             WHERE host = $1 AND up AND ts > now() - interval '10 minutes' ORDER BY ts DESC LIMIT 1
            """,
        bind: { env in [env.hostname] },
        evaluate: { row, env in
            var out: [Finding] = []
            if let latency = row.double("latency_ms"), env.above("api_latency:api", latency, raise: "latency_ms", clear: "latency_clear_ms") {
                out.append(api.finding(
                    metric: "api_latency", key: "api", severity: latency > 4 * env["latency_ms"] ? .critical : .warn, target: "api",
                    title: "API latency averages \(AnomalyAnalyzer.number(latency)) ms",
                    evidence: [("latency_avg_ms", .number(latency)), ("latency_p95_ms", .number(row.double("p95_ms") ?? .nan)),
                               ("requests_per_sec", .number(row.double("requests_per_sec") ?? .nan))],
                    steps: ["Check the database first: the slow_query and long_query recommendations, SELECT * FROM pg_stat_activity WHERE state = 'active';",
                            "Check the host: CPU steal and I/O wait in `pqcrypta-collector status`",
                            "Look for slow endpoints in the access log: sort by request time"],
                    value: latency, threshold: env["latency_ms"]))
            }
            if let rate = row.double("error_rate_pct"), env.above("api_error_rate:api", rate, raise: "error_rate_pct", clear: "error_rate_clear_pct") {
                out.append(api.finding(
                    metric: "api_error_rate", key: "api", severity: rate > 4 * env["error_rate_pct"] ? .critical : .warn, target: "api",
                    title: "API error rate is \(AnomalyAnalyzer.number(rate)) %",
                    evidence: [("error_rate_pct", .number(rate)), ("requests_per_sec", .number(row.double("requests_per_sec") ?? .nan))],
                    steps: ["Read the errors: journalctl -u <api service> -p err --since '-15min'",
                            "Look for a log error spike at the same time (insights, domain logs) and for the database's connection errors"],
                    value: rate, threshold: env["error_rate_pct"]))
            }
            return out
        })

    static let apiHealth: Rule = Rule(
        name: "api_health", schedule: .watchdog, scope: .host, kind: .alert,
        summary: "API error rate above error_rate_pct % with more than min_requests requests in the last window_secs",
        parameters: [
            RuleParameter("error_rate_pct", 5, 0...100, "errors as % of requests in the window"),
            RuleParameter("min_requests", 100, 0...1e15, "fewer requests in the window are not judged"),
            RuleParameter("window_secs", 300, 30...86_400, "the window"),
        ],
        columns: ["requests", "errors"],
        sql: """
            SELECT max(requests_total) - min(requests_total), max(errors_total) - min(errors_total)
              FROM collector.api_metrics_raw
             WHERE host = $1 AND up AND ts > now() - make_interval(secs => $2::float8)
            HAVING count(*) >= 2
            """,
        bind: { env in [env.hostname, String(env["window_secs"])] },
        evaluate: { row, env in
            guard let requests = row.double("requests"), let errors = row.double("errors"), requests > env["min_requests"], errors >= 0 else { return [] }
            let rate = errors / requests * 100
            guard rate > env["error_rate_pct"] else { return [] }
            return [apiHealth.finding(
                metric: "api_error_rate_high", key: "api", severity: rate > 4 * env["error_rate_pct"] ? .critical : .warn, target: "api",
                title: "API: \(Int64(errors)) errors in \(Int64(requests)) requests (\(AnomalyAnalyzer.number(rate)) %) in \(Int(env["window_secs"])) s",
                evidence: [("requests", .integer(Int64(requests))), ("errors", .integer(Int64(errors))), ("error_rate_pct", .number(rate))],
                steps: ["journalctl -u <api service> -p err --since '-10min'"], value: rate, threshold: env["error_rate_pct"])]
        })

    /// Handshake failures and rate-limit blocks between the last two proxy samples.
    static let proxy: Rule = Rule(
        name: "proxy", schedule: .intel, scope: .host, kind: .recommendation,
        summary: "more than handshake_failures TLS handshake failures or rate_limited rate-limit blocks between two proxy samples",
        parameters: [
            RuleParameter("handshake_failures", 10, 0...1e15, "TLS handshake failures per interval"),
            RuleParameter("rate_limited", 100, 0...1e15, "requests blocked by rate limiting per interval"),
        ],
        columns: ["handshake_failures", "rate_limited", "interval_secs"],
        sql: """
            SELECT tls_handshake_failures_total - lag(tls_handshake_failures_total) OVER w,
                   rate_limited_total - lag(rate_limited_total) OVER w, extract(epoch FROM ts - lag(ts) OVER w)
              FROM (SELECT * FROM collector.proxy_metrics_raw WHERE host = $1 AND up AND ts > now() - interval '15 minutes'
                     ORDER BY ts DESC LIMIT 2) last_two
            WINDOW w AS (ORDER BY ts) ORDER BY ts DESC LIMIT 1
            """,
        bind: { env in [env.hostname] },
        evaluate: { row, env in
            var out: [Finding] = []
            let secs = row.double("interval_secs") ?? 0
            if let failures = row.double("handshake_failures"), failures > env["handshake_failures"] {
                out.append(proxy.finding(
                    metric: "proxy_handshake_failures", key: "proxy", severity: .warn, target: "proxy",
                    title: "\(Int64(failures)) TLS handshake failures in \(Int(secs)) s",
                    evidence: [("handshake_failures", .integer(Int64(failures))), ("interval_secs", .number(secs))],
                    steps: ["Check the certificate's dates and chain: openssl s_client -connect <host>:443 -servername <host> </dev/null | openssl x509 -noout -dates",
                            "See which clients fail (old TLS versions or ciphers): the proxy's error log",
                            "A scan shows as many failures from few addresses: check the security insights"],
                    value: failures, threshold: env["handshake_failures"]))
            }
            if let blocked = row.double("rate_limited"), blocked > env["rate_limited"] {
                out.append(proxy.finding(
                    metric: "proxy_rate_limited", key: "proxy", severity: .warn, target: "proxy",
                    title: "\(Int64(blocked)) requests rate-limited in \(Int(secs)) s",
                    evidence: [("rate_limited", .integer(Int64(blocked))), ("interval_secs", .number(secs))],
                    steps: ["Find the clients being limited: the proxy's access log, grouped by address",
                            "Abusive: block them (ufw deny from <ip>); legitimate: raise their limit"],
                    value: blocked, threshold: env["rate_limited"]))
            }
            return out
        })

    /// The database's own figures (PGStats' app tick): lock waits, checkpoints, WAL.
    static let database: Rule = Rule(
        name: "database", schedule: .intel, kind: .recommendation,
        summary: "more than waiting_connections sessions waiting on locks; requested checkpoints outnumbering timed ones in the last hour; more than wal_mb MB of WAL in 5 minutes",
        parameters: [
            RuleParameter("waiting_connections", 5, 0...1e9, "sessions waiting on a lock (latest sample)"),
            RuleParameter("wal_mb", 100, 0...1e12, "WAL written in 5 minutes, in MB"),
        ],
        columns: ["waiting", "checkpoints_req", "checkpoints_timed", "wal_bytes_5m"],
        sql: """
            SELECT (SELECT connections_waiting FROM collector.db_metrics_raw
                     WHERE host = $1 AND ts > now() - interval '10 minutes' ORDER BY ts DESC LIMIT 1),
                   sum(checkpoints_req_delta), sum(checkpoints_timed_delta),
                   sum(wal_bytes_delta) FILTER (WHERE ts > now() - interval '5 minutes')
              FROM collector.db_metrics_raw WHERE host = $1 AND ts > now() - interval '1 hour'
            """,
        bind: { env in [env.hostname] },
        evaluate: { row, env in
            var out: [Finding] = []
            if let waiting = row.double("waiting"), waiting > env["waiting_connections"] {
                out.append(database.finding(
                    metric: "db_lock_waits", key: "locks", severity: .warn, target: "locks",
                    title: "\(Int(waiting)) sessions are waiting on locks",
                    evidence: [("waiting", .integer(Int64(waiting)))],
                    steps: ["Who blocks whom: SELECT pid, pg_blocking_pids(pid) AS blocked_by, now() - query_start AS waiting, left(query, 80) FROM pg_stat_activity WHERE cardinality(pg_blocking_pids(pid)) > 0;",
                            "End the blocker if it is stuck: SELECT pg_terminate_backend(<blocking pid>);",
                            "Keep transactions short and take locks in one order; set lock_timeout for DDL"],
                    value: waiting, threshold: env["waiting_connections"]))
            }
            let requested = row.double("checkpoints_req") ?? 0, timed = row.double("checkpoints_timed") ?? 0
            if requested > timed, requested >= 2 {
                out.append(database.finding(
                    metric: "db_checkpoint_pressure", key: "checkpoints", severity: .warn, target: "checkpoints",
                    title: "\(Int(requested)) requested checkpoints against \(Int(timed)) timed ones in the last hour",
                    evidence: [("checkpoints_requested", .integer(Int64(requested))), ("checkpoints_timed", .integer(Int64(timed)))],
                    steps: ["WAL fills max_wal_size before checkpoint_timeout: SHOW max_wal_size; SHOW checkpoint_timeout;",
                            "Raise it: ALTER SYSTEM SET max_wal_size = '4GB'; SELECT pg_reload_conf();"],
                    value: requested, threshold: timed))
            }
            if let wal = row.double("wal_bytes_5m"), wal / 1_048_576 > env["wal_mb"] {
                out.append(database.finding(
                    metric: "db_wal_volume", key: "wal", severity: .info, target: "wal",
                    title: "\(ByteCount.text(wal)) of WAL written in 5 minutes",
                    evidence: [("wal_bytes_5m", .integer(Int64(wal)))],
                    steps: ["Find the writers: SELECT left(query, 80), wal_bytes FROM pg_stat_statements ORDER BY wal_bytes DESC LIMIT 10;",
                            "Full-page writes after each checkpoint add much of it: consider wal_compression = on",
                            "Check archiving and replicas keep up: SELECT * FROM pg_stat_archiver;"],
                    value: wal / 1_048_576, threshold: env["wal_mb"]))
            }
            return out
        })
}

import PluginKit

/// The server as a whole: transaction ID wraparound, sequences, replication
/// slots and replicas, cache hit ratio.
enum ServerRules {
    /// PostgreSQL stops assigning XIDs about 3 million short of 2^31; "left" counts to 2^31.
    static let xidLimit = 2_147_483_648.0

    static let wraparound: Rule = Rule(
        name: "xid_wraparound", schedule: .intel, kind: .recommendation,
        summary: "a database or table whose XID age passes warn_pct % of autovacuum_freeze_max_age (warn) or leaves fewer than critical_left transactions (critical)",
        parameters: [
            RuleParameter("warn_pct", 50, 0...100, "XID age as % of autovacuum_freeze_max_age"),
            RuleParameter("critical_left", 500_000_000, 0...2_147_483_648, "transactions left before wraparound"),
        ],
        columns: ["kind", "name", "age", "freeze_max_age"],
        sql: """
            WITH s AS (SELECT current_setting('autovacuum_freeze_max_age')::float8 AS freeze_max_age)
            SELECT 'database', datname, age(datfrozenxid)::float8, s.freeze_max_age
              FROM pg_database, s
             WHERE datallowconn AND age(datfrozenxid) > s.freeze_max_age * $1::float8 / 100
            UNION ALL
            SELECT 'table', format('%I.%I', n.nspname, c.relname), age(c.relfrozenxid)::float8, s.freeze_max_age
              FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, s
             WHERE c.relkind IN ('r', 'm', 't') AND c.relfrozenxid <> 0
               AND age(c.relfrozenxid) > s.freeze_max_age * $1::float8 / 100
             ORDER BY 3 DESC LIMIT 50
            """,
        bind: { env in [String(env["warn_pct"])] },
        evaluate: { row, env in
            let kind = row.string("kind"), name = row.string("name")
            let age = row.double("age") ?? 0, freeze = row.double("freeze_max_age") ?? 200_000_000
            let left = xidLimit - age
            let critical = left < env["critical_left"]
            let steps = kind == "database"
                ? ["Find the oldest tables in database \(name): SELECT c.oid::regclass, age(c.relfrozenxid) FROM pg_class c WHERE c.relkind IN ('r','m','t') ORDER BY 2 DESC LIMIT 10;",
                   "Freeze them (in database \(name)): VACUUM (FREEZE, VERBOSE) <table>; or vacuumdb --freeze --jobs=4 \(name)",
                   "Look for what blocks freezing: long transactions (pg_stat_activity), prepared transactions (pg_prepared_xacts), replication slots with an old xmin (pg_replication_slots)"]
                : ["Freeze it: VACUUM (FREEZE, VERBOSE) \(name);",
                   "If autovacuum keeps being cancelled on it, look for long transactions and lock conflicts: SELECT * FROM pg_stat_progress_vacuum;"]
            return [wraparound.finding(
                key: "\(kind):\(name)", severity: critical ? .critical : .warn, target: name,
                title: "\(kind == "database" ? "Database" : "Table") \(name): XID age \(Int64(age)) (\(AnomalyAnalyzer.number(age / freeze * 100)) % of autovacuum_freeze_max_age), \(Int64(left)) left",
                evidence: [("kind", .text(kind)), ("xid_age", .integer(Int64(age))), ("autovacuum_freeze_max_age", .integer(Int64(freeze))),
                           ("transactions_left", .integer(Int64(left)))],
                steps: steps, value: age, threshold: freeze * env["warn_pct"] / 100)]
        })

    static let sequence: Rule = Rule(
        name: "sequence_exhaustion", schedule: .intel, kind: .recommendation,
        summary: "a sequence that has used more than pct % of its range",
        parameters: [RuleParameter("pct", 90, 0...100, "share of the sequence's range used")],
        columns: ["sequence", "used_pct", "last_value", "max_value", "type", "column"],
        sql: """
            SELECT format('%I.%I', s.schemaname, s.sequencename),
                   CASE WHEN s.increment_by > 0
                        THEN (s.last_value::float8 - s.min_value) / nullif(s.max_value::float8 - s.min_value, 0) * 100
                        ELSE (s.max_value::float8 - s.last_value) / nullif(s.max_value::float8 - s.min_value, 0) * 100 END,
                   s.last_value, CASE WHEN s.increment_by > 0 THEN s.max_value ELSE s.min_value END, s.data_type::text,
                   (SELECT format('%s.%I', d.refobjid::regclass, a.attname)
                      FROM pg_depend d JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                     WHERE d.objid = format('%I.%I', s.schemaname, s.sequencename)::regclass AND d.classid = 'pg_class'::regclass
                       AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') LIMIT 1)
              FROM pg_sequences s
             WHERE s.last_value IS NOT NULL
            """,
        evaluate: { row, env in
            let name = row.string("sequence"), used = row.double("used_pct") ?? 0
            guard used > env["pct"] else { return [] }
            var steps: [String] = []
            if let column = row.text("column") {
                let parts = column.split(separator: ".")
                let table = parts.dropLast().joined(separator: "."), col = parts.last.map(String.init) ?? column
                if row.string("type") != "bigint" {
                    steps.append("Widen the column and the sequence (rewrites the table; plan a window): ALTER TABLE \(table) ALTER COLUMN \(col) TYPE bigint; ALTER SEQUENCE \(name) AS bigint;")
                } else {
                    steps.append("The sequence is already bigint: check the numbers of \(column) can be reused, or that the column is wide enough")
                }
            } else {
                steps.append("Widen it if its values fit: ALTER SEQUENCE \(name) AS bigint;")
            }
            steps.append("Check the columns that store its values are bigint too: SELECT table_name, column_name, data_type FROM information_schema.columns WHERE column_default LIKE '%\(name.split(separator: ".").last.map(String.init) ?? name)%';")
            return [sequence.finding(
                key: name, severity: used > 98 ? .critical : .warn, target: name,
                title: "Sequence \(name) has used \(AnomalyAnalyzer.number(used)) % of its range",
                evidence: [("used_pct", .number(used)), ("last_value", .text(row.string("last_value"))), ("limit", .text(row.string("max_value"))),
                           ("type", .text(row.string("type"))), ("owned_by", .text(row.text("column") ?? "none"))],
                steps: steps, value: used, threshold: env["pct"])]
        })

    static let replicationSlot: Rule = Rule(
        name: "replication_slot", schedule: .intel, kind: .recommendation,
        summary: "a replication slot that is inactive or retains more than retained_gb GB of WAL",
        parameters: [RuleParameter("retained_gb", 1, 0...1e6, "WAL a slot may hold back")],
        columns: ["slot", "type", "active", "retained", "wal_status"],
        sql: """
            SELECT slot_name, slot_type, active,
                   pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_receive_lsn() ELSE pg_current_wal_lsn() END,
                                   restart_lsn)::float8,
                   coalesce(wal_status, '')
              FROM pg_replication_slots
            """,
        evaluate: { row, env in
            let slot = row.string("slot"), active = row.bool("active"), retained = row.double("retained")
            let limit = env["retained_gb"] * 1_073_741_824
            let tooMuch = (retained ?? 0) > limit
            guard !active || tooMuch else { return [] }
            return [replicationSlot.finding(
                key: slot, severity: tooMuch ? .critical : .warn, target: slot,
                title: "Replication slot \(slot) is \(active ? "active" : "inactive")\(retained.map { " and retains \(ByteCount.text($0)) of WAL" } ?? "")",
                evidence: [("slot_type", .text(row.string("type"))), ("active", .flag(active)),
                           ("retained_wal", .text(retained.map(ByteCount.text) ?? "none reserved")), ("wal_status", .text(row.string("wal_status")))],
                steps: [
                    "Find its consumer (a replica or a logical decoding client) and restart it: SELECT * FROM pg_replication_slots WHERE slot_name = '\(slot)';",
                    "If nothing will consume it again, drop it, or the WAL it holds fills the disk: SELECT pg_drop_replication_slot('\(slot)');",
                    "Bound what any slot may hold: ALTER SYSTEM SET max_slot_wal_keep_size = '10GB'; SELECT pg_reload_conf();",
                ],
                value: retained, threshold: limit)]
        })

    static let replicaLag: Rule = Rule(
        name: "replica_lag", schedule: .intel, kind: .recommendation,
        summary: "a replica whose replay lags more than secs seconds (on the primary: per WAL sender; on a standby: its own)",
        parameters: [RuleParameter("secs", 30, 0...1e9, "replay lag in seconds")],
        columns: ["replica", "lag_secs", "state"],
        sql: """
            SELECT coalesce(nullif(application_name, ''), client_addr::text, pid::text), extract(epoch FROM replay_lag), state
              FROM pg_stat_replication WHERE replay_lag IS NOT NULL
            UNION ALL
            SELECT 'this standby', extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 'standby'
             WHERE pg_is_in_recovery() AND pg_last_xact_replay_timestamp() IS NOT NULL
               AND pg_last_wal_receive_lsn() IS DISTINCT FROM pg_last_wal_replay_lsn()
            """,
        evaluate: { row, env in
            let replica = row.string("replica"), lag = row.double("lag_secs") ?? 0
            guard lag > env["secs"] else { return [] }
            return [replicaLag.finding(
                key: replica, severity: lag > 10 * env["secs"] ? .critical : .warn, target: replica,
                title: "Replica \(replica) lags \(Int(lag)) s behind",
                evidence: [("lag_secs", .number(lag)), ("state", .text(row.string("state")))],
                steps: [
                    "On the primary: SELECT application_name, state, write_lag, flush_lag, replay_lag FROM pg_stat_replication;",
                    "On the replica: long queries hold replay back (max_standby_streaming_delay, hot_standby_feedback): SELECT pid, now() - query_start, query FROM pg_stat_activity WHERE state = 'active';",
                    "Check the replica's disk and network: iostat -x 5; sar -n DEV 5",
                ],
                value: lag, threshold: env["secs"])]
        })

    static let cacheHit: Rule = Rule(
        name: "cache_hit", schedule: .intel, kind: .recommendation,
        summary: "table or index cache hit ratio (pg_statio_user_tables) below raise_pct % once min_blocks blocks were read",
        parameters: [
            RuleParameter("raise_pct", 99, 0...100, "hit ratio below which it is raised"),
            RuleParameter("clear_pct", 99.5, 0...100, "hit ratio at or above which an open one resolves"),
            RuleParameter("min_blocks", 100_000, 0...1e18, "block reads and hits needed before the ratio means anything"),
        ],
        columns: ["heap_hit", "heap_read", "idx_hit", "idx_read"],
        sql: """
            SELECT coalesce(sum(heap_blks_hit), 0), coalesce(sum(heap_blks_read), 0),
                   coalesce(sum(idx_blks_hit), 0), coalesce(sum(idx_blks_read), 0)
              FROM pg_statio_user_tables
            """,
        evaluate: { row, env in
            var out: [Finding] = []
            for (kind, hit, read) in [("table", row.double("heap_hit") ?? 0, row.double("heap_read") ?? 0),
                                      ("index", row.double("idx_hit") ?? 0, row.double("idx_read") ?? 0)] {
                guard hit + read >= env["min_blocks"] else { continue }
                let ratio = hit / (hit + read) * 100
                guard env.below("cache_hit:\(kind)", ratio, raise: "raise_pct", clear: "clear_pct") else { continue }
                out.append(cacheHit.finding(
                    key: kind, severity: ratio < 90 ? .critical : .warn, target: kind,
                    title: "\(kind == "table" ? "Table" : "Index") cache hit ratio is \(AnomalyAnalyzer.number(ratio)) %",
                    evidence: [("hit_ratio_pct", .number(ratio)), ("blocks_hit", .integer(Int64(hit))), ("blocks_read", .integer(Int64(read)))],
                    steps: [
                        "Compare the working set with memory: SHOW shared_buffers; SELECT pg_size_pretty(sum(pg_relation_size(relid))) FROM pg_stat_user_tables;",
                        "Find the tables read from disk most: SELECT relname, heap_blks_read, idx_blks_read FROM pg_statio_user_tables ORDER BY heap_blks_read + coalesce(idx_blks_read, 0) DESC LIMIT 10;",
                        "Raise shared_buffers (about 25 % of RAM) if memory allows: ALTER SYSTEM SET shared_buffers = '<size>'; then restart PostgreSQL",
                    ],
                    value: ratio, threshold: env["raise_pct"]))
            }
            return out
        })
}

import ByteKit
import PluginKit

/// Indexes, as PgHero checks them: duplicates, invalid ones, unused ones.
enum IndexRules {
    /// `a` is redundant when its key columns (with operator classes and
    /// collations) are a leading prefix of `b`'s on the same table, with the same
    /// access method, neither partial nor on expressions, and dropping `a` loses
    /// nothing: `a` backs no constraint; a unique `a` is covered only by a
    /// unique `b` on the same columns; of two identical indexes the newer goes,
    /// unless the older one is the constraint's.
    static let duplicate: Rule = Rule(
        name: "duplicate_index", schedule: .intel, kind: .recommendation,
        summary: "an index whose columns are a leading prefix of another's on the same table",
        columns: ["index", "table", "covered_by", "size", "definition", "covering_definition"],
        sql: """
            WITH ix AS (
              SELECT i.indexrelid, i.indrelid, i.indisunique, -- through text: the vectors' subscripts start at 0, these arrays' at 1
                     string_to_array(i.indkey::text, ' ')::int2[] AS cols, string_to_array(i.indclass::text, ' ')::oid[] AS ops,
                     string_to_array(i.indcollation::text, ' ')::oid[] AS colls, c.relam,
                     EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) AS backs_constraint
                FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
                 AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_toast'
            )
            SELECT a.indexrelid::regclass::text, a.indrelid::regclass::text, b.indexrelid::regclass::text,
                   pg_relation_size(a.indexrelid), pg_get_indexdef(a.indexrelid), pg_get_indexdef(b.indexrelid)
              FROM ix a JOIN ix b ON a.indrelid = b.indrelid AND a.indexrelid <> b.indexrelid AND a.relam = b.relam
             WHERE NOT a.backs_constraint
               AND cardinality(a.cols) <= cardinality(b.cols)
               AND b.cols[1:cardinality(a.cols)] = a.cols
               AND b.ops[1:cardinality(a.ops)] = a.ops
               AND b.colls[1:cardinality(a.colls)] = a.colls
               AND (NOT a.indisunique OR (b.indisunique AND cardinality(a.cols) = cardinality(b.cols)))
               AND (cardinality(a.cols) < cardinality(b.cols)
                    OR (b.indisunique AND NOT a.indisunique)
                    OR (b.indisunique = a.indisunique AND (b.backs_constraint OR a.indexrelid > b.indexrelid)))
            """,
        evaluate: { row, _ in
            let index = row.string("index"), table = row.string("table"), covering = row.string("covered_by")
            let size = row.double("size") ?? 0
            return [duplicate.finding(
                key: index, severity: .info, target: index,
                title: "Index \(index) is covered by \(covering)",
                evidence: [("table", .text(table)), ("index", .text(row.string("definition"))),
                           ("covered_by", .text(row.string("covering_definition"))), ("size", .text(ByteCount.text(size)))],
                steps: [
                    "Confirm no query needs it specifically (its leading columns are \(covering)'s): SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelid = '\(index)'::regclass;",
                    "Drop it without blocking writes: DROP INDEX CONCURRENTLY \(index);",
                    "To restore it: \(row.string("definition").replacingFirst("CREATE INDEX", with: "CREATE INDEX CONCURRENTLY"));",
                ],
                value: size, threshold: nil)]
        })

    static let invalid: Rule = Rule(
        name: "invalid_index", schedule: .intel, kind: .recommendation,
        summary: "an index left invalid by a failed CREATE INDEX CONCURRENTLY (not one being built now)",
        columns: ["index", "table", "definition", "unique", "size"],
        sql: """
            SELECT i.indexrelid::regclass::text, i.indrelid::regclass::text, pg_get_indexdef(i.indexrelid), i.indisunique,
                   pg_relation_size(i.indexrelid)
              FROM pg_index i
             WHERE NOT i.indisvalid
               AND NOT EXISTS (SELECT 1 FROM pg_stat_progress_create_index p WHERE p.index_relid = i.indexrelid)
            """,
        evaluate: { row, _ in
            let index = row.string("index"), table = row.string("table"), definition = row.string("definition")
            var steps = [
                "Drop the invalid index (it is maintained on every write but never used): DROP INDEX CONCURRENTLY \(index);",
                "Build it again: \(definition.replacingFirst("CREATE INDEX", with: "CREATE INDEX CONCURRENTLY").replacingFirst("CREATE UNIQUE INDEX", with: "CREATE UNIQUE INDEX CONCURRENTLY"));",
            ]
            if row.bool("unique") {
                steps.insert("A unique index usually fails on duplicate keys: find them first, e.g. SELECT <columns>, count(*) FROM \(table) GROUP BY <columns> HAVING count(*) > 1;", at: 1)
            }
            return [invalid.finding(
                key: index, severity: .warn, target: index, title: "Index \(index) on \(table) is invalid",
                evidence: [("table", .text(table)), ("index", .text(definition)), ("size", .text(ByteCount.text(row.double("size") ?? 0)))],
                steps: steps, value: row.double("size"), threshold: nil)]
        })

    static let unused: Rule = Rule(
        name: "unused_index", schedule: .intel, kind: .recommendation,
        summary: "no scans since the statistics were reset, at least min_size_mb, not unique, primary or a constraint's",
        parameters: [
            RuleParameter("min_size_mb", 10, 0...1e9, "smaller unused indexes are not worth a change"),
            RuleParameter("stats_min_age_days", 7, 0...365, "no index advice while the statistics are younger"),
        ],
        columns: ["index", "table", "size", "definition", "stats_age_days"],
        sql: """
            SELECT s.indexrelid::regclass::text, s.relid::regclass::text, pg_relation_size(s.indexrelid),
                   pg_get_indexdef(s.indexrelid), \(TableRules.statsAgeDays)
              FROM pg_stat_user_indexes s JOIN pg_index i ON i.indexrelid = s.indexrelid
             WHERE s.idx_scan = 0 AND NOT i.indisunique AND NOT i.indisprimary AND i.indisvalid
               AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = s.indexrelid)
               AND pg_relation_size(s.indexrelid) >= $1::float8 * 1048576
            """,
        bind: { env in [String(env["min_size_mb"])] },
        evaluate: { row, env in
            let age = row.double("stats_age_days") ?? 0
            guard age >= env["stats_min_age_days"] else { return [] }
            let index = row.string("index"), size = row.double("size") ?? 0
            return [unused.finding(
                key: index, severity: .info, target: index,
                title: "Index \(index) (\(ByteCount.text(size))) was not used in \(Int(age)) days",
                evidence: [("table", .text(row.string("table"))), ("index", .text(row.string("definition"))),
                           ("size", .text(ByteCount.text(size))), ("stats_age_days", .number(age))],
                steps: [
                    "Check replicas too (their scans are not counted here): SELECT idx_scan FROM pg_stat_user_indexes WHERE indexrelid = '\(index)'::regclass;",
                    "Drop it without blocking writes: DROP INDEX CONCURRENTLY \(index);",
                    "To restore it: \(row.string("definition").replacingFirst("CREATE INDEX", with: "CREATE INDEX CONCURRENTLY"));",
                ],
                value: size, threshold: env["min_size_mb"] * 1_048_576)]
        })
}

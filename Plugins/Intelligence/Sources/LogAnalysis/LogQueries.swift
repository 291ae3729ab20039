/// The log analyzers' SQL. Rows are read by `ingested_at` (BRIN), each once;
/// counts per hour come from `log_metrics_hourly` (primary key range).
public enum LogQueries {
    /// Positions travel as timestamptz text (microseconds exact; a float8 epoch
    /// is not, and a row on the boundary would be read twice or never).
    public static let cursor = "SELECT position::text FROM collector.analyzer_cursors WHERE host = $1 AND analyzer = $2"

    public static let saveCursor = """
        INSERT INTO collector.analyzer_cursors (host, analyzer, position) VALUES ($1, $2, $3::timestamptz)
        ON CONFLICT (host, analyzer) DO UPDATE SET position = EXCLUDED.position, updated_at = now()
        """

    /// Whether more than $4 rows were written in ($2, $3]: reads at most $4 + 1
    /// of them, in no order (cheap next to `batchEnd`, which sorts).
    public static let exceeds = """
        SELECT count(*) > $4::int FROM (
          SELECT 1 FROM collector.log_entries
          WHERE host = $1 AND ingested_at > $2::timestamptz AND ingested_at <= $3::timestamptz
          LIMIT $4::int + 1) x
        """

    /// The `ingested_at` of the row after the first $4 written in ($2, $3], if
    /// there are more: where a run that reads at most $4 rows stops. Sorts
    /// timestamps only. $2, $3: timestamptz text.
    public static let batchEnd = """
        SELECT ingested_at::text FROM collector.log_entries
        WHERE host = $1 AND ingested_at > $2::timestamptz AND ingested_at <= $3::timestamptz
        ORDER BY ingested_at OFFSET $4::int LIMIT 1
        """

    /// The rows written in ($2, $3] — with $4 true, in ($2, $3) — grouped by
    /// source, level and fingerprint (one event's lines share it: numbers,
    /// addresses and ids are masked at ingest; rows stored without one group
    /// by their message), so a million rows cross the wire as a few hundred
    /// groups: first and last ts (epoch), source, level, a component, the
    /// count, the count after epoch $5 (the last hour's, for recurring
    /// errors), and one message as the sample.
    public static let newGroups = """
        SELECT min(ts), max(ts), source, level, max(component), count(*),
               count(*) FILTER (WHERE ts > $5::float8), max(message COLLATE "C")
        FROM (SELECT extract(epoch FROM ts)::float8 AS ts, source, level, component, message, fingerprint
              FROM collector.log_entries
              WHERE host = $1 AND ingested_at > $2::timestamptz
                AND (ingested_at < $3::timestamptz OR (NOT $4::boolean AND ingested_at = $3::timestamptz))) e
        GROUP BY source, level, coalesce(fingerprint, message)
        """

    /// The latest write in ($2, $3): where a batch cut at $3 got to.
    public static let lastWriteBefore = """
        SELECT max(ingested_at)::text FROM collector.log_entries
        WHERE host = $1 AND ingested_at > $2::timestamptz AND ingested_at < $3::timestamptz
        """

    /// The rows of one write (one `ingested_at`), grouped as `newGroups`: a transaction larger than a batch.
    public static let oneWriteGroups = """
        SELECT min(ts), max(ts), source, level, max(component), count(*),
               count(*) FILTER (WHERE ts > $3::float8), max(message COLLATE "C")
        FROM (SELECT extract(epoch FROM ts)::float8 AS ts, source, level, component, message, fingerprint
              FROM collector.log_entries WHERE host = $1 AND ingested_at = $2::timestamptz) e
        GROUP BY source, level, coalesce(fingerprint, message)
        """

    /// The later of two positions (a clock that stepped back must not move the cursor back).
    public static let later = "SELECT greatest($1::timestamptz, $2::timestamptz)::text"

    /// to_timestamp($1) as timestamptz text.
    public static let position = "SELECT to_timestamp($1::float8)::text"

    /// The host's templates, most recently seen first (at most $2).
    public static let templates = "SELECT id, template FROM collector.log_templates WHERE host = $1 ORDER BY last_seen DESC LIMIT $2::int"

    /// $2: [{"id", "template", "n", "first", "last"}]. Patterns of a template
    /// whose text changed (a token became <*>) follow it.
    public static let upsertTemplates = """
        WITH x AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(id bigint, template text, n bigint, first float8, last float8)),
        t AS (
          INSERT INTO collector.log_templates AS t (host, id, template, occurrences, first_seen, last_seen)
          SELECT $1, x.id, x.template, x.n, to_timestamp(x.first), to_timestamp(x.last) FROM x
          ON CONFLICT (host, id) DO UPDATE SET template = EXCLUDED.template, occurrences = t.occurrences + EXCLUDED.occurrences,
              first_seen = least(t.first_seen, EXCLUDED.first_seen), last_seen = greatest(t.last_seen, EXCLUDED.last_seen)
          RETURNING id, template)
        UPDATE collector.log_patterns p SET template = t.template FROM t
        WHERE p.host = $1 AND p.template_id = t.id AND p.template IS DISTINCT FROM t.template
        """

    /// $2: [{"template_id", "template", "source", "level", "component", "sample", "n", "first", "last"}].
    /// A resolved pattern that recurs is reopened.
    public static let upsertPatterns = """
        INSERT INTO collector.log_patterns AS p (host, fingerprint, source, level, component, sample_message, occurrences,
                                                 first_seen, last_seen, status, resolved_at, template_id, template)
        SELECT $1, 'template:' || x.template_id, x.source, x.level, x.component, x.sample, x.n,
               to_timestamp(x.first), to_timestamp(x.last), 'open', NULL, x.template_id, x.template
        FROM jsonb_to_recordset($2::jsonb) AS x(template_id bigint, template text, source text, level text, component text,
                                                sample text, n bigint, first float8, last float8)
        ON CONFLICT (host, fingerprint, source, level) DO UPDATE SET
            occurrences = p.occurrences + EXCLUDED.occurrences, sample_message = EXCLUDED.sample_message,
            component = coalesce(EXCLUDED.component, p.component), template = EXCLUDED.template,
            first_seen = least(p.first_seen, EXCLUDED.first_seen), last_seen = greatest(p.last_seen, EXCLUDED.last_seen),
            status = 'open', resolved_at = NULL
        """

    /// Open patterns not seen for an hour before to_timestamp($2) are resolved.
    public static let resolvePatterns = """
        UPDATE collector.log_patterns SET status = 'resolved', resolved_at = now()
        WHERE host = $1 AND status = 'open' AND last_seen < to_timestamp($2::float8) - interval '1 hour'
        """

    /// Per source: error and fatal rows in the last 5 minutes before
    /// to_timestamp($2) (the partial level index), the hourly mean of the same
    /// over the 7 days before the current hour, and the commonest template of
    /// the window's errors.
    public static let errorSpikes = """
        WITH recent AS (
          SELECT source, count(*) AS n, max(message) FILTER (WHERE level = 'fatal') AS fatal_sample, max(message) AS sample
          FROM collector.log_entries
          WHERE host = $1 AND level IN ('error', 'fatal') AND ts > to_timestamp($2::float8) - interval '5 minutes'
            AND ts <= to_timestamp($2::float8)
          GROUP BY source),
        base AS (
          -- Hours the source wrote anything count, with or without errors.
          SELECT source, coalesce(sum(entry_count) FILTER (WHERE level IN ('error', 'fatal')), 0)::float8
                           / greatest(count(DISTINCT hour), 1) AS per_hour,
                 count(DISTINCT hour) AS hours
          FROM collector.log_metrics_hourly
          WHERE host = $1 AND hour >= date_trunc('hour', to_timestamp($2::float8)) - interval '7 days'
            AND hour < date_trunc('hour', to_timestamp($2::float8))
          GROUP BY source)
        SELECT r.source, r.n, coalesce(b.per_hour, 0), coalesce(b.hours, 0), coalesce(r.fatal_sample, r.sample)
        FROM recent r LEFT JOIN base b USING (source)
        ORDER BY r.source
        """
}

/// The SQL one analyzer run issues per metric source. Every statement filters
/// on `host = $1` and a time range, so it is an index range scan of the raw
/// table's `(host, ts DESC)` index or the hourly table's primary key
/// `(host, hour, ...)`, whatever the number of hosts sharing the database.
public enum SourceQueries {
    /// Hourly rows since `to_timestamp($2)`: `t` (hour start, epoch seconds), `k`
    /// (series key), `n` (sample_count), then per metric its mean, min and max.
    /// `$3`, when `keyed`, is a text array of the series keys to read.
    public static func hourly(_ source: MetricSource, _ metrics: [WatchedMetric], keyed: Bool) -> String {
        var columns = ["floor(extract(epoch FROM h.hour))::bigint AS t", "\(source.hourlyKey ?? "''") AS k", "h.sample_count AS n"]
        for (i, m) in metrics.enumerated() {
            columns.append("(\(m.hourly))::float8 AS v\(i)")
            columns.append("(\(m.hourlyMin ?? "NULL"))::float8 AS lo\(i)")
            columns.append("(\(m.hourlyMax ?? "NULL"))::float8 AS hi\(i)")
        }
        var sql = "SELECT \(columns.joined(separator: ", ")) FROM \(source.hourly) h WHERE h.host = $1 AND h.hour >= to_timestamp($2)"
        if keyed, let key = source.hourlyKey { sql += " AND \(key) = ANY($3::text[])" }
        return sql + " ORDER BY h.hour"
    }

    /// Raw rows after `to_timestamp($2)`: `t`, `k`, then per metric its value.
    /// Counter rates look at the series' previous row (window `w`), so the first
    /// row read of each series has none: callers read a little earlier than
    /// they need.
    public static func raw(_ source: MetricSource, _ metrics: [WatchedMetric], keyed: Bool) -> String {
        let key = source.rawKey ?? "''"
        var columns = ["floor(extract(epoch FROM r.ts))::bigint AS t", "\(key) AS k"]
        for (i, m) in metrics.enumerated() { columns.append("(\(m.raw))::float8 AS v\(i)") }
        var filter = "r.host = $1 AND r.ts > to_timestamp($2)"
        if let f = source.rawFilter { filter += " AND (\(f))" }
        if keyed, source.rawKey != nil { filter += " AND \(key) = ANY($3::text[])" }
        let partition = source.rawKey.map { "PARTITION BY \($0) " } ?? ""
        return "SELECT \(columns.joined(separator: ", ")) FROM \(source.raw) r WHERE \(filter) WINDOW w AS (\(partition)ORDER BY r.ts) ORDER BY r.ts"
    }

    /// The `$3` series with the largest latest `rankBy` among raw rows after
    /// `to_timestamp($2)`.
    public static func rank(_ source: MetricSource) -> String? {
        guard let key = source.rawKey, let rank = source.rankBy else { return nil }
        return """
            SELECT k FROM (SELECT DISTINCT ON (\(key)) \(key) AS k, \(rank) AS v FROM \(source.raw) r
                           WHERE r.host = $1 AND r.ts > to_timestamp($2) ORDER BY \(key), r.ts DESC) s
            ORDER BY v DESC NULLS LAST, k LIMIT $3::int
            """
    }

    /// One statement for every baseline of the run: `$1` host, `$2` a JSON array
    /// of objects with the baseline's columns.
    public static let upsertBaselines = """
        INSERT INTO collector.baselines AS b (host, domain, metric, metric_key, time_window, ts, mean, stddev, min, max,
                                              sample_count, window_start, window_end, median, mad, profile)
        SELECT $1, x.domain, x.metric, x.metric_key, '7d', now(), x.mean, x.stddev, x.min, x.max, x.sample_count,
               to_timestamp(x.window_start), to_timestamp(x.window_end), x.median, x.mad, x.profile
        FROM jsonb_to_recordset($2::jsonb) AS x(domain text, metric text, metric_key text, mean float8, stddev float8,
             min float8, max float8, sample_count bigint, window_start float8, window_end float8, median float8, mad float8,
             profile jsonb)
        ON CONFLICT (host, domain, metric, metric_key, time_window) DO UPDATE SET
            ts = EXCLUDED.ts, mean = EXCLUDED.mean, stddev = EXCLUDED.stddev, min = EXCLUDED.min, max = EXCLUDED.max,
            sample_count = EXCLUDED.sample_count, window_start = EXCLUDED.window_start, window_end = EXCLUDED.window_end,
            median = EXCLUDED.median, mad = EXCLUDED.mad, profile = EXCLUDED.profile
        """

    public static let insertAnomalyRate = """
        INSERT INTO collector.anomaly_rate_raw (host, ts, watched_series, anomalous_series, insights, anomaly_rate, top)
        VALUES ($1, clock_timestamp(), $2::int, $3::int, $4::int, $5::float8, $6::jsonb)
        """
}

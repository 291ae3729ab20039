/// The SLO analyzer's SQL. Every statement filters on `host = $1` and a time
/// range: index range scans of the raw table's `(host, ts DESC)` index and of
/// `slo_hourly`'s primary key, whatever the number of hosts.
public enum SLOQueries {
    /// Columns of a collector table among `$2` (text array): present ones come back.
    public static let columns = """
        SELECT column_name::text FROM information_schema.columns
        WHERE table_schema = 'collector' AND table_name = $1 AND column_name = ANY($2::text[])
        """

    /// The latest counted hour of an SLO under its current counting key.
    public static let latestHour = """
        SELECT floor(extract(epoch FROM max(hour)))::bigint FROM collector.slo_hourly
        WHERE host = $1 AND slo_name = $2 AND definition = $3
        """

    /// Recounts the hours of raw rows in [to_timestamp($4), to_timestamp($5)].
    /// Hours are UTC hours (date_bin from the epoch), whatever the session's zone.
    static func recount(_ slo: SLODefinition) -> String {
        """
        INSERT INTO collector.slo_hourly AS s (host, slo_name, hour, definition, good, total)
        SELECT $1, $2, date_bin('1 hour', r.ts, timestamptz '1970-01-01 00:00:00+00'), $3,
               count(*) FILTER (WHERE \(slo.goodSQL)), count(*) FILTER (WHERE \(slo.validSQL))
        FROM collector.\(slo.table) r
        WHERE r.host = $1 AND r.ts >= to_timestamp($4) AND r.ts <= to_timestamp($5)
        GROUP BY 3
        ON CONFLICT (host, slo_name, hour) DO UPDATE SET
            definition = EXCLUDED.definition, good = EXCLUDED.good, total = EXCLUDED.total
        """
    }

    /// Good and total periods of the hours starting at or after `to_timestamp($4)`
    /// and of those at or after `to_timestamp($5)`.
    public static let windowSums = """
        SELECT coalesce(sum(good), 0)::bigint, coalesce(sum(total), 0)::bigint,
               coalesce(sum(good) FILTER (WHERE hour >= to_timestamp($5)), 0)::bigint,
               coalesce(sum(total) FILTER (WHERE hour >= to_timestamp($5)), 0)::bigint
        FROM collector.slo_hourly
        WHERE host = $1 AND slo_name = $2 AND definition = $3 AND hour >= to_timestamp($4) AND hour <= to_timestamp($6)
        """

    /// Good and total periods of the raw rows in each of `windows` (seconds)
    /// before `to_timestamp($2)`, in that order.
    static func recent(_ slo: SLODefinition, windows: [Int64]) -> String {
        var columns: [String] = []
        for w in windows {
            let inside = "r.ts > to_timestamp($2::float8 - \(w))"
            columns.append("count(*) FILTER (WHERE \(inside) AND \(slo.goodSQL))")
            columns.append("count(*) FILTER (WHERE \(inside) AND \(slo.validSQL))")
        }
        return """
            SELECT \(columns.joined(separator: ", ")) FROM collector.\(slo.table) r
            WHERE r.host = $1 AND r.ts > to_timestamp($2::float8 - \(windows.max() ?? 0)) AND r.ts <= to_timestamp($2::float8)
            """
    }

    public static let insertTracking = """
        INSERT INTO collector.slo_tracking (host, ts, slo_name, target, actual, met, budget_consumed_pct, violations,
            allowed_violations, total_periods, window_days, window_start, window_end, condition, good_periods,
            budget_remaining_pct, burn_rate_5m, burn_rate_30m, burn_rate_1h, burn_rate_6h, burn_rate_3d, exhaustion_hours)
        VALUES ($1, to_timestamp($2::float8), $3, $4::float8, $5::float8, $6::boolean, $7::float8, $8::bigint,
            $9::float8, $10::bigint, $11::int, to_timestamp($12::float8), to_timestamp($2::float8), $13, $14::bigint,
            $15::float8, $16::float8, $17::float8, $18::float8, $19::float8, $20::float8, $21::float8)
        """

    /// Hourly counts older than the longest window an SLO may have (90 days) and a day.
    public static let prune = "DELETE FROM collector.slo_hourly WHERE host = $1 AND hour < to_timestamp($2::float8)"
}

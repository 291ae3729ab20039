import CollectorCore

/// The console's queries, one method per thing a page shows. Values come in
/// as `$n` parameters only; the identifiers interpolated (table and column
/// names) come from `ChartSpec.host` and this file, never from a request.
/// Every read of a raw or log table is bounded in time.
package struct ConsoleStore {
    package let connection: PGConnection
    package init(_ connection: PGConnection) { self.connection = connection }

    private func rows(_ sql: String, _ params: [String?] = []) throws(PGError) -> PGResult { try connection.query(sql, params) }

    package func exists(_ table: String) throws(PGError) -> Bool {
        try rows("SELECT to_regclass($1) IS NOT NULL", ["collector." + table]).string(0, 0) == "t"
    }

    // MARK: Fleet

    package struct FleetRow: Sendable {
        package var host: String
        package var lastSeen: String?
        package var ageSecs: Double?
        package var version: String?
        package var openCritical: Int64
        package var openWarn: Int64
        package var failingTicks: Int64
    }

    package func fleet() throws(PGError) -> [FleetRow] {
        let hosts = try StatusReader(connection: connection, heartbeatSecs: 5).knownHosts()
        guard !hosts.isEmpty else { return [] }
        let r = try rows("""
            SELECT h.host, \(StatusReader.iso("hb.ts")), extract(epoch FROM now() - hb.ts)::float8, hb.version,
                   (SELECT count(*) FROM collector.alerts a WHERE a.host = h.host AND a.status = 'open' AND a.severity = 'critical'),
                   (SELECT count(*) FROM collector.alerts a WHERE a.host = h.host AND a.status = 'open' AND a.severity = 'warn'),
                   (SELECT count(*) FROM collector.plugin_stats p WHERE p.host = h.host AND (p.consecutive_failures > 0 OR p.backoff_secs > 0))
            FROM unnest($1::text[]) AS h(host)
            LEFT JOIN LATERAL (
              SELECT ts, version FROM collector.heartbeat b
              WHERE b.host = h.host AND b.ts > now() - interval '30 days' ORDER BY b.ts DESC LIMIT 1
            ) hb ON true
            ORDER BY h.host
            """, [Self.textArray(hosts)])
        return (0..<r.rowCount).map { i in
            FleetRow(host: r.string(i, 0) ?? "", lastSeen: r.string(i, 1), ageSecs: r.double(i, 2), version: r.string(i, 3),
                     openCritical: r.int(i, 4) ?? 0, openWarn: r.int(i, 5) ?? 0, failingTicks: r.int(i, 6) ?? 0)
        }
    }

    /// A PostgreSQL array literal of `values`, every element quoted and escaped.
    package static func textArray(_ values: [String]) -> String {
        "{" + values.map { v in
            "\"" + v.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
        }.joined(separator: ",") + "}"
    }

    // MARK: Host charts

    /// Every chart of `ChartSpec.host` for `host` over `range`; families whose
    /// tables do not exist (plugin not installed) are left out.
    package func charts(host: String, range: ChartRange) throws(PGError) -> [SVGChart] {
        let now = try rows("SELECT extract(epoch FROM now())::float8").double(0, 0) ?? 0
        let from = now - range.seconds
        var charts: [SVGChart] = []
        var families: [String] = []
        for spec in ChartSpec.host where !families.contains(spec.family) { families.append(spec.family) }
        let markers = try anomalyMarkers(host: host, range: range)
        for family in families {
            let specs = ChartSpec.host.filter { $0.family == family }
            let table: String
            let timeExpr: String
            let bound: String
            let columns: String
            switch range.source {
            case .raw:
                table = family + "_raw"
                timeExpr = "extract(epoch FROM date_bin(make_interval(secs => \(range.bucketSecs)), ts, timestamptz '2000-01-01'))::float8"
                bound = "ts > now() - make_interval(secs => $2::float8)"
                columns = specs.map { "avg(\($0.column))::float8" }.joined(separator: ", ")
            case .hourly:
                table = family + "_hourly"
                timeExpr = "extract(epoch FROM hour)::float8"
                bound = "hour > now() - make_interval(secs => $2::float8)"
                columns = specs.map { "avg(\($0.column)_avg)::float8" }.joined(separator: ", ")
            case .daily:
                table = family + "_daily"
                timeExpr = "extract(epoch FROM day::timestamp AT TIME ZONE 'UTC')::float8"
                bound = "day > (now() - make_interval(secs => $2::float8))::date"
                columns = specs.map { "avg(\($0.column)_avg)::float8" }.joined(separator: ", ")
            }
            guard try exists(table) else { continue }
            let r = try rows("""
                SELECT \(timeExpr) AS t, \(columns) FROM collector.\(table)
                WHERE host = $1 AND \(bound) GROUP BY 1 ORDER BY 1
                """, [host, String(range.seconds)])
            for (k, spec) in specs.enumerated() {
                let points = (0..<r.rowCount).compactMap { i -> SVGChart.Point? in
                    guard let t = r.double(i, 0), let v = r.double(i, k + 1) else { return nil }
                    return SVGChart.Point(t: t, v: v)
                }
                charts.append(SVGChart(
                    title: spec.title, unit: spec.unit, points: points,
                    markers: markers.filter { $0.domain == spec.domain && $0.metric == spec.column }.map(\.t),
                    from: from, to: now, maxGap: Double(range.bucketSecs) * 3 + 60))
            }
        }
        return charts
    }

    private struct Marker { var domain: String; var metric: String; var t: Double }

    private func anomalyMarkers(host: String, range: ChartRange) throws(PGError) -> [Marker] {
        let r = try rows("""
            SELECT coalesce(domain, ''), coalesce(metric, ''), extract(epoch FROM ts)::float8 FROM collector.insights
            WHERE host = $1 AND ts > now() - make_interval(secs => $2::float8) ORDER BY ts LIMIT 2000
            """, [host, String(range.seconds)])
        return (0..<r.rowCount).map { Marker(domain: r.string($0, 0) ?? "", metric: r.string($0, 1) ?? "", t: r.double($0, 2) ?? 0) }
    }

    // MARK: Findings

    package struct FindingFilter: Sendable {
        package var host = ""
        package var severity = ""
        /// open, resolved or all
        package var status = "open"
        package var text = ""
        /// Acknowledged alerts and recommendations: "hide" (the default: an
        /// operator's "seen, not now") or "show".
        package var acknowledged = "hide"
        package init() {}
    }

    package struct Finding: Sendable {
        package var id: Int64
        package var host: String
        package var severity: String
        package var kind: String
        package var title: String
        package var description: String?
        package var action: String?
        package var analyzer: String
        package var target: String?
        package var status: String
        package var firstSeen: String
        package var lastSeen: String
        package var occurrences: Int64
        package var acknowledged: Bool
        package var acknowledgedBy: String?
    }

    /// Alerts, insights or recommendations matching `filter`, newest first (at most 200).
    package func findings(_ table: FindingTable, _ filter: FindingFilter) throws(PGError) -> [Finding] {
        let kind = table == .recommendations ? "category" : "type"
        let title = table == .insights ? "coalesce(title, type)" : "title"
        let action = table == .insights ? "NULL::text" : "action"
        let ack = table == .insights ? "false, NULL::text" : "acknowledged, acknowledged_by"
        let r = try rows("""
            SELECT id, host, severity, \(kind), \(title), description, \(action), analyzer, target, status,
                   \(StatusReader.iso("first_seen")), \(StatusReader.iso("last_seen")), occurrences, \(ack)
            FROM collector.\(table.rawValue)
            WHERE ($1 = '' OR host = $1) AND ($2 = '' OR severity = $2)
              AND ($3 = 'all' OR status = $3)
              AND ($4 = '' OR strpos(lower(\(title) || ' ' || coalesce(description, '')), lower($4)) > 0)
              AND ($5 = 'show' OR NOT \(table == .insights ? "false" : "acknowledged"))
              AND (status = 'open' OR last_seen > now() - interval '30 days')
            ORDER BY CASE status WHEN 'open' THEN 0 ELSE 1 END,
                     CASE severity WHEN 'critical' THEN 0 WHEN 'warn' THEN 1 ELSE 2 END, last_seen DESC
            LIMIT 200
            """, [filter.host, filter.severity, filter.status, filter.text, filter.acknowledged])
        return (0..<r.rowCount).map { i in
            Finding(id: r.int(i, 0) ?? 0, host: r.string(i, 1) ?? "", severity: r.string(i, 2) ?? "", kind: r.string(i, 3) ?? "",
                    title: r.string(i, 4) ?? "", description: r.string(i, 5), action: r.string(i, 6), analyzer: r.string(i, 7) ?? "",
                    target: r.string(i, 8), status: r.string(i, 9) ?? "", firstSeen: r.string(i, 10) ?? "",
                    lastSeen: r.string(i, 11) ?? "", occurrences: r.int(i, 12) ?? 0, acknowledged: r.string(i, 13) == "t",
                    acknowledgedBy: r.string(i, 14))
        }
    }

    package enum FindingTable: String, Sendable { case alerts, insights, recommendations }

    /// Sets or clears the acknowledgement of an open recommendation (or alert);
    /// false when no such open row exists.
    package func acknowledge(_ table: FindingTable, id: Int64, acknowledged: Bool, by who: String) throws(PGError) -> Bool {
        guard table != .insights else { return false }
        let r = try rows("""
            UPDATE collector.\(table.rawValue)
            SET acknowledged = $2::boolean,
                acknowledged_at = CASE WHEN $2::boolean THEN now() END,
                acknowledged_by = CASE WHEN $2::boolean THEN $3 END
            WHERE id = $1::bigint AND status = 'open'
            """, [String(id), acknowledged ? "true" : "false", who])
        return r.affectedRows == 1
    }

    // MARK: SLOs

    package struct SLORow: Sendable {
        package var host: String
        package var status: SLOStatus
        package var violations: Int64?
        package var windowDays: Int64?
    }

    package func slos(host: String) throws(PGError) -> [SLORow] {
        guard try exists("slo_tracking") else { return [] }
        let r = try rows("""
            SELECT DISTINCT ON (host, slo_name) host, slo_name, target, actual, met, budget_consumed_pct,
                   \(StatusReader.iso("ts")), violations, window_days
            FROM collector.slo_tracking
            WHERE ($1 = '' OR host = $1) AND ts > now() - interval '7 days'
            ORDER BY host, slo_name, ts DESC
            """, [host])
        return (0..<r.rowCount).map { i in
            SLORow(host: r.string(i, 0) ?? "",
                   status: SLOStatus(name: r.string(i, 1) ?? "", target: r.double(i, 2) ?? 0, actual: r.double(i, 3),
                                     met: r.string(i, 4).map { $0 == "t" }, budgetConsumedPct: r.double(i, 5), at: r.string(i, 6) ?? ""),
                   violations: r.int(i, 7), windowDays: r.int(i, 8))
        }
    }

    /// The burn-rate windows charted, of the `burn_rate_*` columns the
    /// intelligence plugin adds to `slo_tracking` (docs/slo.md): the long windows
    /// of its page, page and ticket rules.
    static let burnWindows = ["1h", "6h", "3d"]

    /// Which of `names` are columns of `collector.<table>`: plugins add columns to
    /// core tables (the intelligence plugin's burn rates and templates), and a
    /// database migrated by the core alone lacks them.
    package func columns(_ table: String, among names: [String]) throws(PGError) -> Set<String> {
        let r = try rows("""
            SELECT attname::text FROM pg_attribute
            WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped AND attname::text = ANY($2::text[])
            """, ["collector." + table, Self.textArray(names)])
        return Set((0..<r.rowCount).compactMap { r.string($0, 0) })
    }

    /// Which of the intelligence plugin's `slo_tracking` columns exist (`budget_remaining_pct`, `burn_rate_*`).
    package func sloColumns() throws(PGError) -> Set<String> {
        try columns("slo_tracking", among: ["budget_remaining_pct"] + Self.burnWindows.map { "burn_rate_" + $0 })
    }

    /// Two charts of one SLO over the last 30 days, hourly: the error budget
    /// remaining, and (when the columns exist) the burn rate of the 1 h, 6 h and
    /// 3 d windows against a dashed 1 (the pace that spends the budget exactly
    /// over the SLO's window). The hour's worst figure is drawn: a short burn
    /// must not average away.
    package func sloCharts(host: String, slo: String, columns: Set<String>) throws(PGError) -> [SVGChart] {
        let remaining = columns.contains("budget_remaining_pct")
            ? "min(coalesce(budget_remaining_pct, 100 - budget_consumed_pct))::float8" : "min(100 - budget_consumed_pct)::float8"
        let windows = Self.burnWindows.filter { columns.contains("burn_rate_" + $0) }
        let burns = windows.map { ", max(burn_rate_\($0))::float8" }.joined()
        let r = try rows("""
            SELECT extract(epoch FROM date_trunc('hour', ts))::float8, extract(epoch FROM now())::float8, \(remaining)\(burns)
            FROM collector.slo_tracking
            WHERE host = $1 AND slo_name = $2 AND ts > now() - interval '30 days'
            GROUP BY 1 ORDER BY 1
            """, [host, slo])
        let now = r.rowCount > 0 ? r.double(0, 1) ?? 0 : try rows("SELECT extract(epoch FROM now())::float8").double(0, 0) ?? 0
        func series(_ column: Int) -> [SVGChart.Point] {
            (0..<r.rowCount).compactMap { i in
                guard let t = r.double(i, 0), let v = r.double(i, column) else { return nil }
                return .init(t: t, v: v)
            }
        }
        var charts = [SVGChart(title: "\(host) · \(slo): error budget remaining", unit: "%", points: series(2),
                               from: now - 30 * 86_400, to: now, maxGap: 6 * 3600)]
        if !windows.isEmpty {
            var burn = SVGChart(title: "\(host) · \(slo): burn rate", unit: "×", points: series(3),
                                from: now - 30 * 86_400, to: now, maxGap: 6 * 3600)
            burn.name = windows[0]
            burn.more = windows.indices.dropFirst().map { SVGChart.Series(name: windows[$0], points: series(3 + $0)) }
            burn.reference = 1
            charts.append(burn)
        }
        return charts
    }

    // MARK: Logs

    package struct LogQuery: Sendable {
        /// Epoch seconds; the span is capped by the page (always bounded).
        package var from: Double
        package var to: Double
        package var host = ""
        package var source = ""
        package var level = ""
        package var text = ""
        package var page = 0
        package static let pageSize = 100
        package init(from: Double, to: Double) { self.from = from; self.to = to }

        /// The query string of this search ending at `to` (a minute: the form's `to`
        /// is the last minute included) and showing `page`, for the pager's links.
        package func queryString(to: Double? = nil, page: Int = 0) -> String {
            ([("from", LogTime.format(from)), ("to", LogTime.format((to ?? self.to) - 60)), ("host", host), ("source", source),
              ("level", level), ("q", text)] + (page > 0 ? [("page", String(page))] : []))
                .filter { !$0.1.isEmpty }.map { $0.0 + "=" + HTML.urlEncode($0.1) }.joined(separator: "&")
        }
    }

    package struct LogRow: Sendable {
        package var ts: String
        package var host: String
        package var source: String
        package var level: String
        package var component: String?
        package var message: String
        package var context: String?
    }

    /// One page of a search: its rows, newest first; whether another page of
    /// the same window follows; and how far back the scan got (`q.from`, or
    /// later when the request's row budget ran out first: the page then offers
    /// to continue before it).
    package struct LogPage: Sendable {
        package var rows: [LogRow]
        package var more: Bool
        package var searchedFrom: Double
    }

    /// The sources whose client IPs the security table counts.
    package static let securitySources = ["auth", "fail2ban", "blocklist", "bot_detection", "apache_error", "proxy"]

    /// Rows per UTC hour of every host from `from` to `to` (see `LogVolume`).
    package func logVolume(from: Double, to: Double) throws(PGError) -> LogVolume {
        let r = try rows("""
            SELECT extract(epoch FROM hour)::bigint, sum(entry_count)::float8,
                   coalesce(sum(entry_count) FILTER (WHERE level IN ('error', 'warn', 'fatal')), 0)::float8,
                   coalesce(sum(entry_count) FILTER (WHERE source = ANY($3::text[])), 0)::float8
            FROM collector.log_metrics_hourly
            WHERE hour >= to_timestamp(floor($1::float8 / 3600) * 3600) AND hour < to_timestamp($2::float8)
            GROUP BY 1
            """, [String(from), String(to), Self.textArray(Self.securitySources)])
        var volume = LogVolume(coveredFrom: from)
        for i in 0..<r.rowCount {
            guard let hour = r.int(i, 0) else { continue }
            volume.hours[hour] = [r.double(i, 1) ?? 0, r.double(i, 2) ?? 0, r.double(i, 3) ?? 0]
        }
        return volume
    }

    /// One page of matching rows, newest first, reading about `budget` rows at most.
    ///
    /// `log_entries` has a BRIN index on `ts`, which finds a time slice but
    /// cannot return rows in order: `ORDER BY ts DESC LIMIT n` over a week would
    /// read and sort the whole week. So the window is read newest slice first
    /// (an hour, then 4×, 16×, ... back to `from`), each slice with its own
    /// LIMIT, until the page is full: a busy log fills it from the first hour.
    /// A rare match would read the whole window; instead each slice is cut to
    /// the rows the budget has left (`volume`, extended a day at a time as the
    /// scan reaches back), and the scan stops when it is spent, saying where.
    /// Without any rollup row in the window (a new database) nothing is known
    /// and the walk reads the window, as the few rows there are.
    package func logs(_ q: LogQuery, volume: inout LogVolume, budget: Double) throws(PGError) -> LogPage {
        let needed = (q.page + 1) * LogQuery.pageSize + 1
        var collected: [LogRow] = []
        var upper = q.to
        var span = 3600.0
        var left = budget
        while upper > q.from && collected.count < needed {
            if left <= budget / 100 { break }
            // Where the budget left runs out, counting back from `upper`; counts a day
            // earlier are fetched while that point is not within the counts at hand.
            var start = volume.spanStart(.all, to: upper, from: max(q.from, volume.coveredFrom), budget: left, minSpan: 60)
            while start <= volume.coveredFrom && volume.coveredFrom > q.from {
                volume.merge(try logVolume(from: max(q.from, volume.coveredFrom - 86_400), to: volume.coveredFrom))
                start = volume.spanStart(.all, to: upper, from: max(q.from, volume.coveredFrom), budget: left, minSpan: 60)
            }
            var lower = max(q.from, upper - span, start)
            // Whole minutes, so that a search continued before this point (the page's
            // `to`, a minute) neither repeats nor skips a row.
            if lower > q.from { lower = max(q.from, (lower / 60).rounded(.down) * 60) }
            let r = try rows("""
                SELECT \(StatusReader.iso("ts")), host, source, level, component, message, context::text
                FROM collector.log_entries
                WHERE ts >= to_timestamp($1::float8) AND ts < to_timestamp($2::float8)
                  AND ($3 = '' OR host = $3) AND ($4 = '' OR source = $4) AND ($5 = '' OR level = $5)
                  AND ($6 = '' OR strpos(lower(message), lower($6)) > 0)
                ORDER BY ts DESC
                LIMIT $7::int
                """, [String(lower), String(upper), q.host, q.source, q.level, q.text, String(needed - collected.count)])
            for i in 0..<r.rowCount {
                collected.append(LogRow(ts: r.string(i, 0) ?? "", host: r.string(i, 1) ?? "", source: r.string(i, 2) ?? "",
                                        level: r.string(i, 3) ?? "", component: r.string(i, 4), message: r.string(i, 5) ?? "",
                                        context: r.string(i, 6)))
            }
            left -= volume.rows(.all, from: lower, to: upper)
            upper = lower
            span *= 4
        }
        let start = min(collected.count, q.page * LogQuery.pageSize)
        let end = min(collected.count, start + LogQuery.pageSize)
        return LogPage(rows: Array(collected[start..<end]), more: collected.count > end,
                       searchedFrom: collected.count >= needed ? q.from : upper)
    }

    package struct PatternRow: Sendable {
        package var host: String
        package var source: String
        package var level: String
        package var sample: String
        package var occurrences: Int64
        package var lastSeen: String
        package var hourly: [Double]
    }

    /// The most frequent patterns seen from `from` to `to` (their template, or a
    /// sample line), and for the error, warn and fatal ones a 24-bucket sparkline
    /// from `sparkFrom` to `to`, all counted in one query through the partial
    /// `(fingerprint, ts)` index. Patterns grouped by template have no sparkline:
    /// raw rows carry the line's fingerprint, not its template.
    package func patterns(host: String, from: Double, sparkFrom: Double, to: Double) throws(PGError) -> [PatternRow] {
        // The log_patterns analyzer's template ("login failed for <*>"), where it grouped the pattern by one.
        let text = try columns("log_patterns", among: ["template"]).isEmpty ? "coalesce(p.sample_message, '')"
            : "coalesce(p.template, p.sample_message, '')"
        let r = try rows("""
            SELECT p.host, p.source, p.level, \(text), p.occurrences, \(StatusReader.iso("p.last_seen")), p.fingerprint
            FROM collector.log_patterns p
            WHERE ($1 = '' OR p.host = $1) AND p.last_seen >= to_timestamp($2::float8) AND p.first_seen < to_timestamp($3::float8)
            ORDER BY p.occurrences DESC LIMIT 15
            """, [host, String(from), String(to)])
        var out = (0..<r.rowCount).map { i in
            PatternRow(host: r.string(i, 0) ?? "", source: r.string(i, 1) ?? "", level: r.string(i, 2) ?? "", sample: r.string(i, 3) ?? "",
                       occurrences: r.int(i, 4) ?? 0, lastSeen: r.string(i, 5) ?? "", hourly: [])
        }
        let fingerprints = (0..<r.rowCount).compactMap { i in
            ["error", "warn", "fatal"].contains(r.string(i, 2) ?? "") ? r.string(i, 6) : nil
        }
        guard !fingerprints.isEmpty, to > sparkFrom else { return out }
        let bucket = (to - sparkFrom) / 24
        let counts = try rows("""
            SELECT host, source, level, fingerprint, least(23, floor((extract(epoch FROM ts) - $2::float8) / $4::float8))::int, count(*)
            FROM collector.log_entries
            WHERE fingerprint = ANY($1::text[]) AND level IN ('error', 'warn', 'fatal')
              AND ts >= to_timestamp($2::float8) AND ts < to_timestamp($3::float8)
            GROUP BY 1, 2, 3, 4, 5
            """, [Self.textArray(fingerprints), String(sparkFrom), String(to), String(bucket)])
        var series: [String: [Double]] = [:]
        for i in 0..<counts.rowCount {
            let key = [0, 1, 2, 3].map { counts.string(i, $0) ?? "" }.joined(separator: "\u{1F}")
            let b = Int(counts.int(i, 4) ?? 0)
            if series[key] == nil { series[key] = Array(repeating: 0, count: 24) }
            if (0..<24).contains(b) { series[key]?[b] = Double(counts.int(i, 5) ?? 0) }
        }
        for i in out.indices {
            let key = [out[i].host, out[i].source, out[i].level, r.string(i, 6) ?? ""].joined(separator: "\u{1F}")
            out[i].hourly = series[key] ?? []
        }
        return out
    }

    /// Client IPs most seen in security-relevant sources in the window.
    package func topIPs(host: String, from: Double, to: Double) throws(PGError) -> [(ip: String, count: Int64, sources: String)] {
        let r = try rows("""
            SELECT context->>'client_ip', count(*), string_agg(DISTINCT source, ', ')
            FROM collector.log_entries
            WHERE ts >= to_timestamp($2::float8) AND ts < to_timestamp($3::float8) AND ($1 = '' OR host = $1)
              AND source = ANY($4::text[]) AND context ? 'client_ip'
            GROUP BY 1 ORDER BY 2 DESC LIMIT 10
            """, [host, String(from), String(to), Self.textArray(Self.securitySources)])
        return (0..<r.rowCount).map { (r.string($0, 0) ?? "", r.int($0, 1) ?? 0, r.string($0, 2) ?? "") }
    }

    package func distinctSources() throws(PGError) -> [String] {
        let r = try rows("SELECT DISTINCT source FROM collector.log_positions UNION SELECT DISTINCT source FROM collector.log_metrics_hourly WHERE hour > now() - interval '7 days' ORDER BY 1")
        return (0..<r.rowCount).compactMap { r.string($0, 0) }
    }

    // MARK: Collector health

    package struct SourceLag: Sendable {
        package var host: String
        package var source: String
        package var positionAgeSecs: Double?
        package var lastRowAgeSecs: Double?
        package var rowsLastHour: Int64
    }

    /// Per host and source: when the position was last committed, the newest
    /// row (last hour from `log_entries`, else to the hour from
    /// `log_metrics_hourly`, as in `StatusReader`) and the last hour's rows.
    package func logSourceLag() throws(PGError) -> [SourceLag] {
        let r = try rows("""
            WITH recent AS (
              SELECT host, source, count(*) AS n, max(ts) AS last FROM collector.log_entries
              WHERE ts > now() - interval '1 hour' GROUP BY 1, 2
            ), hourly AS (
              SELECT host, source, least(max(hour) + interval '1 hour', now()) AS last FROM collector.log_metrics_hourly
              WHERE hour > now() - interval '7 days' GROUP BY 1, 2
            ), names AS (
              SELECT host, source FROM collector.log_positions UNION SELECT host, source FROM recent
              UNION SELECT host, source FROM hourly
            )
            SELECT n.host, n.source, extract(epoch FROM now() - p.updated_at)::float8,
                   extract(epoch FROM now() - coalesce(recent.last, hourly.last))::float8, coalesce(recent.n, 0)
            FROM names n
            LEFT JOIN collector.log_positions p ON p.host = n.host AND p.source = n.source
            LEFT JOIN recent ON recent.host = n.host AND recent.source = n.source
            LEFT JOIN hourly ON hourly.host = n.host AND hourly.source = n.source
            ORDER BY 1, 2
            """)
        return (0..<r.rowCount).map { i in
            SourceLag(host: r.string(i, 0) ?? "", source: r.string(i, 1) ?? "", positionAgeSecs: r.double(i, 2),
                      lastRowAgeSecs: r.double(i, 3), rowsLastHour: r.int(i, 4) ?? 0)
        }
    }

    package func allTicks() throws(PGError) -> [(host: String, tick: TickHealth)] {
        let hosts = try rows("SELECT DISTINCT host FROM collector.plugin_stats ORDER BY 1")
        var out: [(String, TickHealth)] = []
        let reader = StatusReader(connection: connection, heartbeatSecs: 5)
        for i in 0..<hosts.rowCount {
            guard let host = hosts.string(i, 0) else { continue }
            out += try reader.ticks(host).map { (host, $0) }
        }
        return out
    }
}

import ByteKit

/// Owns the lifecycle of analyzers' findings in `collector.alerts`,
/// `collector.recommendations` and `collector.insights`:
/// - an alert or recommendation reported again while open updates that row
///   (last_seen, occurrences, value) instead of adding one;
/// - an open alert or recommendation of an analyzer that a completed run did
///   not report again is resolved;
/// - an insight with the same key within its dedup window updates the earlier row.
/// Acknowledgement is the operator's (`acknowledged` column) and survives updates.
package struct FindingStore: FindingSink {
    package let hostname: String
    package let lanes: [Lane: DatabaseLane]

    package func complete(plugin: String, analyzer: String, findings: [FindingRecord], lane: Lane) throws(PGError) {
        guard let db = lanes[lane] else { throw .connection("no database lane \(lane.rawValue)") }
        let id = "\(plugin).\(analyzer)"
        try db.withConnection { (c: PGConnection) throws(PGError) in
            try c.transaction { () throws(PGError) in
                for f in findings { try store(f, analyzer: id, on: c) }
                let firing = { (kind: FindingRecord.Kind) in
                    PostgresArray.literal(findings.filter { $0.kind == kind }.map(\.key))
                }
                for (table, kind) in [("alerts", FindingRecord.Kind.alert), ("recommendations", .recommendation)] {
                    try c.query("""
                        UPDATE collector.\(table) SET status = 'resolved', resolved_at = now()
                        WHERE host = $1 AND analyzer = $2 AND status = 'open' AND NOT (key = ANY($3::text[]))
                        """, [hostname, id, firing(kind)])
                }
            }
        }
    }

    private func store(_ f: FindingRecord, analyzer: String, on c: PGConnection) throws(PGError) {
        let value = f.value.map { String($0) }
        let threshold = f.threshold.map { String($0) }
        switch f.kind {
        case .alert, .recommendation:
            let table = f.kind == .alert ? "alerts" : "recommendations"
            let kindColumn = f.kind == .alert ? "type" : "category"
            try c.query("""
                INSERT INTO collector.\(table)
                    (host, analyzer, key, \(kindColumn), severity, domain, metric, target, title, description, action, value, threshold,
                     context)
                VALUES ($1, $2, $3, $4, $5, $6, $4, $7, $8, $9, $10, $11::float8, $12::float8, $13::jsonb)
                ON CONFLICT (host, analyzer, key) WHERE status = 'open' DO UPDATE SET
                    last_seen = now(), occurrences = collector.\(table).occurrences + 1,
                    severity = EXCLUDED.severity, title = EXCLUDED.title, description = EXCLUDED.description,
                    action = EXCLUDED.action, value = EXCLUDED.value, threshold = EXCLUDED.threshold,
                    context = coalesce(EXCLUDED.context, collector.\(table).context)
                """, [hostname, analyzer, f.key, f.metric, f.severity, f.domain, f.target, f.title, f.description, f.action, value, threshold,
                      f.contextJSON])
        case .insight:
            let z = f.zScore.map { String($0) }
            let stddev = f.baselineStddev.map { String($0) }, drift = f.driftPct.map { String($0) }
            let updated = try c.query("""
                UPDATE collector.insights SET last_seen = now(), occurrences = occurrences + 1,
                    value = $4::float8, z_score = $5::float8, severity = $6,
                    baseline_mean = coalesce($8::float8, baseline_mean), baseline_stddev = coalesce($9::float8, baseline_stddev),
                    drift_pct = coalesce($10::float8, drift_pct), context = coalesce($11::jsonb, context),
                    title = $12, description = coalesce($13, description)
                WHERE id = (SELECT id FROM collector.insights
                            WHERE host = $1 AND analyzer = $2 AND key = $3 AND last_seen > now() - make_interval(secs => $7::int)
                            ORDER BY last_seen DESC LIMIT 1)
                """, [hostname, analyzer, f.key, value, z, f.severity, String(f.dedupWindowSecs), threshold, stddev, drift,
                      f.contextJSON, f.title, f.description])
            if updated.affectedRows == 0 {
                try c.query("""
                    INSERT INTO collector.insights
                        (host, analyzer, key, type, severity, domain, metric, target, value, baseline_mean, z_score, title, description,
                         direction, metric_key, baseline_stddev, drift_pct, context)
                    VALUES ($1, $2, $3, coalesce($13, $4), $5, $6, $4, $7, $8::float8, $9::float8, $10::float8, $11, $12,
                            coalesce($14, CASE WHEN $10::float8 > 0 THEN 'spike' WHEN $10::float8 < 0 THEN 'drop' END),
                            $15, $16::float8, $17::float8, $18::jsonb)
                    """, [hostname, analyzer, f.key, f.metric, f.severity, f.domain, f.target, value, threshold,
                          z, f.title, f.description, f.type, f.direction, f.metricKey, stddev, drift, f.contextJSON])
            }
        }
    }
}

import CollectorCore

/// `/metrics`: the collectors' own figures in Prometheus text format, from
/// `collector.plugin_stats` and the heartbeat (every host) and, when the
/// console runs beside a collector, that collector's `stats.json`.
package enum MetricsPage {
    package struct Input: Sendable {
        package var ticks: [(host: String, tick: TickHealth)]
        package var heartbeats: [(host: String, ageSecs: Double, bufferedRows: Int64?, droppedRows: Int64)]
        package var logSources: [ConsoleStore.SourceLag]
        package var stats: CollectorMetrics?
        package var statsHost: String
    }

    package static func render(_ input: Input) -> String {
        var p = PrometheusText()
        // The text format wants each family's samples together, right after its HELP and TYPE.
        let tickFamilies: [(String, PrometheusText.Kind, String, (TickHealth) -> Double?)] = [
            ("pqc_tick_runs_total", .counter, "Runs of each plugin tick, analyzer or parser (collector.plugin_stats).", { Double($0.runs) }),
            ("pqc_tick_failures_total", .counter, "Failed runs.", { Double($0.failures) }),
            ("pqc_tick_skipped_total", .counter, "Runs skipped because the previous one was still running.", { Double($0.skipped) }),
            ("pqc_tick_consecutive_failures", .gauge, "Failures in a row; 0 once a run succeeds.", { Double($0.consecutiveFailures) }),
            ("pqc_tick_backoff_seconds", .gauge, "Current backoff before the next run.", { $0.backoffSecs }),
            ("pqc_tick_last_duration_seconds", .gauge, "Duration of the last run.", { $0.lastDurationMs.map { $0 / 1000 } }),
            ("pqc_tick_dropped_rows_total", .counter, "Rows dropped by the tick.", { Double($0.droppedRows) }),
        ]
        for (name, kind, help, value) in tickFamilies {
            p.family(name, kind, help)
            for (host, t) in input.ticks {
                if let v = value(t) { p.sample(name, [("host", host), ("plugin", t.plugin), ("tick", t.tick)], v) }
            }
        }
        p.family("pqc_heartbeat_age_seconds", .gauge, "Seconds since the host's last heartbeat row (hosts seen within a day).")
        for hb in input.heartbeats { p.sample("pqc_heartbeat_age_seconds", [("host", hb.host)], hb.ageSecs) }
        p.family("pqc_heartbeat_buffered_rows", .gauge, "Rows buffered by the host's writer at its last heartbeat.")
        for hb in input.heartbeats { if let b = hb.bufferedRows { p.sample("pqc_heartbeat_buffered_rows", [("host", hb.host)], b) } }
        p.family("pqc_heartbeat_dropped_rows", .gauge, "Metric rows the host dropped since its start (memory cap), at its last heartbeat.")
        for hb in input.heartbeats { p.sample("pqc_heartbeat_dropped_rows", [("host", hb.host)], hb.droppedRows) }
        p.family("pqc_log_rows_last_hour", .gauge, "Log rows committed in the last hour per source.")
        for s in input.logSources { p.sample("pqc_log_rows_last_hour", [("host", s.host), ("source", s.source)], s.rowsLastHour) }
        p.family("pqc_log_source_lag_seconds", .gauge, "Seconds since the newest row of the source (within 7 days).")
        for s in input.logSources {
            if let lag = s.lastRowAgeSecs { p.sample("pqc_log_source_lag_seconds", [("host", s.host), ("source", s.source)], lag) }
        }
        p.family("pqc_log_position_age_seconds", .gauge, "Seconds since the source's read position was last committed.")
        for s in input.logSources {
            if let age = s.positionAgeSecs { p.sample("pqc_log_position_age_seconds", [("host", s.host), ("source", s.source)], age) }
        }
        // The per-tick counters come from plugin_stats above (every host); stats.json adds
        // this host's writer figures and counters, and tick durations the table lacks.
        input.stats?.append(to: &p, host: input.statsHost, tickPrefix: "pqc_stats_tick_", withTickCounters: false)
        return p.text
    }
}

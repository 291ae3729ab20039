import CollectorCore

/// `/metrics`: the collectors' own figures in Prometheus text format, from
/// `collector.plugin_stats` and the heartbeat (every host) and, when the
/// console runs beside a collector, that collector's `stats.json`.
package enum MetricsPage {
    package struct Input: Sendable {
        package var ticks: [(host: String, tick: TickHealth)]
        package var heartbeats: [(host: String, ageSecs: Double, bufferedRows: Int64?, droppedRows: Int64)]
        package var logSources: [ConsoleStore.SourceLag]
        package var stats: StatsFile?
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
        if let stats = input.stats {
            stats.append(to: &p, host: input.statsHost)
        }
        return p.text
    }
}

extension StatsFile {
    /// The snapshot's figures: writer gauges, every counter as
    /// `pqc_<name>_total` (`writer.rows_written` → `pqc_writer_rows_written_total`)
    /// and per-tick durations and state.
    package func append(to p: inout PrometheusText, host: String) {
        let h = [("host", host)]
        p.family("pqc_stats_written_timestamp_seconds", .gauge, "When the collector last wrote stats.json.")
        p.sample("pqc_stats_written_timestamp_seconds", h, Double(writtenAtMicros) / 1e6)
        p.family("pqc_writer_buffered_bytes", .gauge, "Bytes buffered by the writer.")
        p.sample("pqc_writer_buffered_bytes", h, bufferedBytes)
        p.family("pqc_writer_buffered_rows", .gauge, "Rows buffered by the writer.")
        p.sample("pqc_writer_buffered_rows", h, bufferedRows)
        for (name, value) in counters.sorted(by: { $0.key < $1.key }) {
            let metric = "pqc_" + PrometheusText.metricName(name.replacing(".", with: "_")) + "_total"
            p.family(metric, .counter, "Collector counter \(name) since start (stats.json).")
            p.sample(metric, h, value)
        }
        let sorted = ticks.sorted(by: { $0.key < $1.key })
        p.family("pqc_stats_tick_max_duration_seconds", .gauge, "Longest run of the tick since start (stats.json).")
        for (id, t) in sorted { p.sample("pqc_stats_tick_max_duration_seconds", h + [("tick_id", id)], t.maxDurationMs / 1000) }
        p.family("pqc_stats_tick_disabled", .gauge, "1 when the host disabled the tick (stats.json).")
        for (id, t) in sorted { p.sample("pqc_stats_tick_disabled", h + [("tick_id", id)], Int64(t.disabled ? 1 : 0)) }
    }
}

import ByteKit

/// `status --json`: the report as one JSON object, for scripts and monitoring.
/// Keys are snake_case and stable; absent figures are `null`, never omitted.
package enum StatusJSON {
    package static func render(_ report: StatusReport) -> String {
        var j = JSONWriter(capacity: 4096)
        j.beginObject()
        j.key("read_at"); j.value(report.readAt)
        j.key("level"); j.value(report.level.name)
        j.key("exit_status"); j.value(report.level.rawValue)
        j.key("hosts")
        j.beginArray()
        for h in report.hosts { host(h, into: &j) }
        j.endArray()
        j.endObject()
        return j.text
    }

    /// `{"error": ...}`: what `--json` prints when the database cannot be read.
    package static func error(_ message: String, exitStatus: Int) -> String {
        var j = JSONWriter(capacity: 256)
        j.beginObject()
        j.key("error"); j.value(message)
        j.key("exit_status"); j.value(exitStatus)
        j.endObject()
        return j.text
    }

    private static func host(_ h: HostStatus, into j: inout JSONWriter) {
        j.beginObject()
        j.key("host"); j.value(h.host)
        j.key("level"); j.value(h.level.name)
        j.key("problems")
        j.beginArray()
        for p in h.problems {
            j.beginObject()
            j.key("level"); j.value(p.level.name)
            j.key("message"); j.value(p.message)
            j.endObject()
        }
        j.endArray()
        j.key("heartbeat")
        if let hb = h.heartbeat {
            j.beginObject()
            j.key("at"); j.value(hb.at)
            j.key("age_secs"); j.value(hb.ageSecs, fractionDigits: 1)
            j.key("stale"); j.value(hb.ageSecs > h.staleAfterSecs)
            j.key("version"); j.optional(hb.version)
            j.key("pid"); j.optional(hb.pid)
            j.key("uptime_secs"); j.value(hb.uptimeSecs, fractionDigits: 0)
            j.key("rss_bytes"); j.optional(hb.rssBytes)
            j.key("buffered_rows"); j.optional(hb.bufferedRows)
            j.key("dropped_rows"); j.value(hb.droppedRows)
            j.endObject()
        } else {
            j.null()
        }
        j.key("ticks")
        j.beginArray()
        for t in h.ticks {
            j.beginObject()
            j.key("plugin"); j.value(t.plugin)
            j.key("tick"); j.value(t.tick)
            j.key("runs"); j.value(t.runs)
            j.key("failures"); j.value(t.failures)
            j.key("skipped"); j.value(t.skipped)
            j.key("consecutive_failures"); j.value(t.consecutiveFailures)
            j.key("backoff_secs"); j.value(t.backoffSecs, fractionDigits: 1)
            j.key("dropped_rows"); j.value(t.droppedRows)
            j.key("last_error"); j.optional(t.lastError)
            j.key("last_run_age_secs"); j.value(t.lastRunAgeSecs, fractionDigits: 1)
            j.key("last_duration_ms"); j.value(t.lastDurationMs, fractionDigits: 3)
            j.key("disabled"); j.value(t.disabled)
            j.endObject()
        }
        j.endArray()
        j.key("system")
        if let s = h.system {
            j.beginObject()
            j.key("at"); j.value(s.at)
            j.key("cpu_pct"); j.value(s.cpuPct)
            j.key("mem_used_pct"); j.value(s.memUsedPct)
            j.key("mem_used_bytes"); j.optional(s.memUsedBytes)
            j.key("mem_total_bytes"); j.optional(s.memTotalBytes)
            j.key("load_1m"); j.value(s.load1)
            j.key("load_5m"); j.value(s.load5)
            j.key("load_15m"); j.value(s.load15)
            j.key("disk_used_pct_max"); j.value(s.diskUsedPctMax)
            j.key("net_rx_bytes_per_sec"); j.value(s.netRxBytesPerSec, fractionDigits: 0)
            j.key("net_tx_bytes_per_sec"); j.value(s.netTxBytesPerSec, fractionDigits: 0)
            j.endObject()
        } else {
            j.null()
        }
        j.key("processes")
        j.beginArray()
        for p in h.processes {
            j.beginObject()
            j.key("name"); j.value(p.name)
            j.key("count"); j.value(p.count)
            j.key("missing"); j.value(p.missing)
            j.key("cpu_pct"); j.value(p.cpuPct)
            j.key("rss_bytes"); j.optional(p.rssBytes)
            j.key("uptime_secs"); j.value(p.uptimeSecs, fractionDigits: 0)
            j.endObject()
        }
        j.endArray()
        j.key("log_sources")
        j.beginArray()
        for s in h.logSources {
            j.beginObject()
            j.key("source"); j.value(s.source)
            j.key("rows_last_hour"); j.value(s.rowsLastHour)
            j.key("unparsed_share"); j.value(s.unparsedShare, fractionDigits: 4)
            j.key("last_row_at"); j.optional(s.lastRowAt)
            j.key("last_row_age_secs"); j.value(s.lastRowAgeSecs, fractionDigits: 1)
            j.endObject()
        }
        j.endArray()
        for (name, list) in [("alerts", h.alerts), ("recommendations", h.recommendations), ("insights_24h", h.insights)] {
            j.key(name)
            j.beginArray()
            for f in list { finding(f, into: &j) }
            j.endArray()
        }
        j.key("slos")
        j.beginArray()
        for s in h.slos {
            j.beginObject()
            j.key("name"); j.value(s.name)
            j.key("target"); j.value(exactly: s.target)
            j.key("actual"); j.value(s.actual, fractionDigits: 4)
            j.key("met"); if let met = s.met { j.value(met) } else { j.null() }
            j.key("budget_remaining_pct"); j.value(s.budgetRemainingPct)
            j.key("at"); j.value(s.at)
            j.endObject()
        }
        j.endArray()
        j.endObject()
    }

    private static func finding(_ f: FindingSummary, into j: inout JSONWriter) {
        j.beginObject()
        j.key("id"); j.value(f.id)
        j.key("severity"); j.value(f.severity)
        j.key("type"); j.value(f.kind)
        j.key("title"); j.value(f.title)
        j.key("analyzer"); j.value(f.analyzer)
        j.key("target"); j.optional(f.target)
        j.key("last_seen"); j.value(f.lastSeen)
        j.key("occurrences"); j.value(f.occurrences)
        j.key("acknowledged"); j.value(f.acknowledged)
        j.key("first_action"); j.optional(f.firstAction)
        j.endObject()
    }
}

extension JSONWriter {
    mutating func optional(_ text: String?) { if let text { value(text) } else { null() } }
    mutating func optional(_ number: Int64?) { if let number { value(number) } else { null() } }
}

/// `status` for people: one block per host. On a terminal, columns are aligned
/// and levels coloured; into a pipe or file, the same lines without escape codes
/// or padding, so `grep` and `awk` see one record per line.
package struct StatusText {
    package var terminal: Bool

    package init(terminal: Bool) { self.terminal = terminal }

    package func render(_ report: StatusReport) -> String {
        var out: [String] = []
        if report.hosts.isEmpty {
            out.append("no host has written to this database yet (no heartbeat, no tick statistics)")
        }
        for h in report.hosts {
            out += host(h)
            out.append("")
        }
        out.append("overall: \(paint(report.level.name, report.level)) (read at \(report.readAt))")
        return out.joined(separator: "\n")
    }

    private func host(_ h: HostStatus) -> [String] {
        var out = [bold("host \(Self.oneLine(h.host))") + "  " + paint(h.level.name.uppercased(), h.level)]
        if let hb = h.heartbeat {
            let stale = hb.ageSecs > h.staleAfterSecs
            out.append("  heartbeat  " + paint(HostStatus.duration(hb.ageSecs) + " ago", stale ? .critical : .healthy)
                + "  version \(hb.version ?? "?")  pid \(hb.pid.map(String.init) ?? "?")"
                + "  up \(hb.uptimeSecs.map(HostStatus.duration) ?? "?")  rss \(Self.bytes(hb.rssBytes))"
                + "  buffered \(hb.bufferedRows.map(String.init) ?? "?") rows  dropped \(hb.droppedRows)")
        } else {
            out.append("  heartbeat  " + paint("none recorded", .critical))
        }
        for p in h.problems { out.append("  ! " + paint(p.message, p.level)) }
        if let s = h.system {
            out.append("  system     cpu \(Self.pct(s.cpuPct))  mem \(Self.pct(s.memUsedPct)) of \(Self.bytes(s.memTotalBytes))"
                + "  load \(Self.num(s.load1)) \(Self.num(s.load5)) \(Self.num(s.load15))  disk (fullest) \(Self.pct(s.diskUsedPctMax))"
                + "  net rx \(Self.rate(s.netRxBytesPerSec)) tx \(Self.rate(s.netTxBytesPerSec))  (\(HostStatus.duration(s.ageSecs)) ago)")
        }
        if !h.ticks.isEmpty {
            out.append("  ticks")
            out += table(h.ticks.map { t in
                let level: HealthLevel = t.consecutiveFailures > 0 || t.backoffSecs > 0 || t.disabled ? .warning : .healthy
                return [(t.plugin + "/" + t.tick + (t.disabled ? " (DISABLED)" : ""), t.disabled ? .warning : nil), ("runs \(t.runs)", nil), ("failures \(t.failures)", t.failures > 0 ? .warning : nil),
                        ("skipped \(t.skipped)", nil), ("backoff \(HostStatus.duration(t.backoffSecs))", level == .warning ? level : nil),
                        ("last \(t.lastRunAgeSecs.map { HostStatus.duration($0) + " ago" } ?? "never")", nil),
                        (t.lastDurationMs.map { Self.num($0) + " ms" } ?? "", nil),
                        (t.lastError.map { "error: " + Self.oneLine($0) } ?? "", level == .warning ? level : nil)]
            })
        }
        if !h.processes.isEmpty {
            out.append("  processes")
            out += table(h.processes.map { p in
                [(p.name, nil), (p.missing ? "MISSING" : "\(p.count) running", p.missing ? .warning : nil),
                 ("cpu \(Self.pct(p.cpuPct))", nil), ("rss \(Self.bytes(p.rssBytes))", nil)]
            })
        }
        if !h.logSources.isEmpty {
            out.append("  log sources (last hour)")
            out += table(h.logSources.map { s in
                [(s.source, nil), ("\(s.rowsLastHour) rows", nil),
                 ("unparsed \(Self.pct(s.unparsedShare * 100))", s.unparsedShare > 0.5 ? .warning : nil),
                 ("last row \(s.lastRowAgeSecs.map { HostStatus.duration($0) + " ago" } ?? "none in 7d")", nil)]
            })
        }
        out += findings("open alerts", h.alerts)
        out += findings("open recommendations", h.recommendations)
        out += findings("insights (24 h)", h.insights)
        if !h.slos.isEmpty {
            out.append("  SLOs")
            out += table(h.slos.map { s in
                [(s.name, nil), (s.met == false ? "NOT MET" : s.met == true ? "met" : "?", s.met == false ? .warning : nil),
                 ("target \(Self.num(s.target))", nil), ("actual \(Self.num(s.actual))", nil),
                 ("budget left \(Self.pct(s.budgetRemainingPct))", nil)]
            })
        }
        return out
    }

    private func findings(_ title: String, _ list: [FindingSummary]) -> [String] {
        guard !list.isEmpty else { return [] }
        var out = ["  \(title) (\(list.count))"]
        out += table(list.map { f in
            let level: HealthLevel? = f.severity == "critical" ? .critical : f.severity == "warn" ? .warning : nil
            return [(f.severity, level), (Self.oneLine(f.title), nil), (f.acknowledged ? "(acknowledged)" : "", nil),
                    ("×\(f.occurrences)", nil), ("last \(f.lastSeen)", nil),
                    (f.firstAction.map { "→ " + Self.oneLine($0) } ?? "", nil)]
        })
        return out
    }

    /// Rows of (text, colour) cells: padded to column widths on a terminal.
    private func table(_ rows: [[(String, HealthLevel?)]]) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        if terminal {
            for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.0.count) } }
        }
        return rows.map { row in
            var line = "    "
            for (i, cell) in row.enumerated() where !cell.0.isEmpty || terminal {
                let text = Self.oneLine(cell.0)
                let padded = i == row.count - 1 ? text : text + String(repeating: " ", count: max(0, widths[i] - text.count))
                line += (cell.1.map { paint(padded, $0) } ?? padded) + "  "
            }
            return String(line.reversed().drop(while: { $0 == " " }).reversed())
        }
    }

    private func paint(_ text: String, _ level: HealthLevel) -> String {
        guard terminal else { return text }
        let code = switch level { case .healthy: "32"; case .warning: "33"; case .critical: "31" }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    private func bold(_ text: String) -> String { terminal ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    /// Database text (log-derived titles, errors) on one line, without control
    /// characters that could drive the terminal.
    package static func oneLine(_ s: String) -> String {
        String(s.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F || (0x80..<0xA0).contains($0.value) ? " " : Character($0) })
    }

    package static func pct(_ v: Double?) -> String { v.map { num($0) + "%" } ?? "–" }

    package static func num(_ v: Double?) -> String {
        guard let v, v.isFinite else { return "–" }
        let r = (v * 100).rounded() / 100
        return r == r.rounded() && abs(r) < 1e15 ? String(Int64(r)) : String(r)
    }

    package static func bytes(_ v: Int64?) -> String {
        guard let v else { return "–" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var x = Double(v)
        var u = 0
        while x >= 1024 && u < units.count - 1 { x /= 1024; u += 1 }
        return (u == 0 ? String(v) : num((x * 10).rounded() / 10)) + " " + units[u]
    }

    package static func rate(_ v: Double?) -> String { v.map { bytes(Int64($0.isFinite ? $0 : 0)) + "/s" } ?? "–" }
}

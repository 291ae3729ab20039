import CollectorCore

/// The console's pages, rendered from values the store read. Every string
/// that came from the database goes through `HTML.text` or a `Cell`.
package enum Pages {
    static func ago(_ secs: Double?) -> String { secs.map { HostStatus.duration($0) + " ago" } ?? "never" }

    static func hostLink(_ host: String) -> String { "/host/" + HTML.urlEncode(host) }

    // MARK: Fleet

    package static func fleet(_ rows: [ConsoleStore.FleetRow], staleAfterSecs: Double) -> String {
        Layout.page(title: "Fleet", active: "/") { h in
            let cells: [[Cell]] = rows.map { r in
                let stale = (r.ageSecs ?? .infinity) > staleAfterSecs
                let level: HealthLevel = stale || r.openCritical > 0 ? .critical
                    : (r.openWarn > 0 || r.failingTicks > 0 ? .warning : .healthy)
                return [Cell("● " + level.name, cls: Layout.levelClass(level)), Cell(r.host, href: hostLink(r.host)),
                        Cell(ago(r.ageSecs), cls: stale ? "crit" : nil), Cell(r.version ?? "–"),
                        Cell(String(r.openCritical), cls: r.openCritical > 0 ? "crit" : nil, numeric: true),
                        Cell(String(r.openWarn), cls: r.openWarn > 0 ? "warn" : nil, numeric: true),
                        Cell(String(r.failingTicks), cls: r.failingTicks > 0 ? "warn" : nil, numeric: true)]
            }
            h.table(["Health", "Host", "Last heartbeat", "Version", "Critical alerts", "Warnings", "Failing ticks"], cells,
                    empty: "No host has written to this database yet: start pqcrypta-collector and it appears here.")
            h.raw("<p class=\"mute\">A host is critical when its heartbeat is older than \(Int(staleAfterSecs)) s or a critical alert is open.</p>")
        }
    }

    // MARK: Host

    package static func host(_ status: HostStatus, charts: [SVGChart], range: ChartRange) -> String {
        Layout.page(title: "Host " + status.host, active: "") { h in
            h.raw("<p><span class=\"badge \(Layout.levelClass(status.level))\">"); h.text(status.level.name); h.raw("</span> ")
            if let hb = status.heartbeat {
                h.text("heartbeat \(ago(hb.ageSecs)) · version \(hb.version ?? "?") · up \(hb.uptimeSecs.map(HostStatus.duration) ?? "?") · collector RSS \(StatusText.bytes(hb.rssBytes))")
            } else {
                h.text("no heartbeat recorded")
            }
            h.raw("</p>")
            if !status.problems.isEmpty {
                h.raw("<ul>")
                for p in status.problems { h.raw("<li class=\"\(Layout.levelClass(p.level))\">"); h.text(p.message); h.raw("</li>") }
                h.raw("</ul>")
            }
            h.raw("<p class=\"ranges\">Range: ")
            for r in ChartRange.allCases {
                h.raw("<a href=\"\(hostLink(status.host))?range=\(r.rawValue)\"\(r == range ? " class=\"active\"" : "")>\(r.rawValue)</a>")
            }
            let source = switch range.source { case .raw: "raw samples"; case .hourly: "hourly rollups"; case .daily: "daily rollups" }
            h.raw("<span class=\"mute\">("); h.text(source); h.raw("; red dots: anomalies)</span></p>")
            h.raw("<div class=\"charts\">")
            for c in charts { c.render(into: &h) }
            h.raw("</div>")
            h.raw("<h2>Watched processes</h2>")
            h.table(["Process", "Running", "CPU", "RSS", "Up"], status.processes.map { p in
                [Cell(p.name), Cell(p.missing ? "missing" : String(p.count), cls: p.missing ? "crit" : nil, numeric: true),
                 .num(StatusText.pct(p.cpuPct)), .num(StatusText.bytes(p.rssBytes)), Cell(p.uptimeSecs.map(HostStatus.duration) ?? "–")]
            }, empty: "No watched process sampled in the last 15 minutes.")
            h.raw("<h2>Log sources (last hour)</h2>")
            h.table(["Source", "Rows", "Unparsed", "Last row"], status.logSources.map { s in
                [Cell(s.source, href: "/logs?host=\(HTML.urlEncode(status.host))&source=\(HTML.urlEncode(s.source))"), .num(String(s.rowsLastHour)),
                 Cell(StatusText.pct(s.unparsedShare * 100), cls: s.unparsedShare > 0.5 ? "warn" : nil, numeric: true), Cell(ago(s.lastRowAgeSecs))]
            })
            findings(&h, "Open alerts", status.alerts)
            findings(&h, "Open recommendations", status.recommendations, link: "/recommendations?host=" + HTML.urlEncode(status.host))
            findings(&h, "Insights (24 h)", status.insights)
            h.raw("<h2>Ticks</h2>")
            tickTable(&h, status.ticks.map { (status.host, $0) })
        }
    }

    static func findings(_ h: inout HTML, _ title: String, _ list: [FindingSummary], link: String? = nil) {
        h.raw("<h2>"); h.text("\(title) (\(list.count))"); h.raw("</h2>")
        h.table(["Severity", "Title", "Type", "Target", "Seen", "Last seen"], list.map { f in
            [Cell(f.severity, cls: Layout.severityClass(f.severity)), Cell(f.title, href: link), Cell(f.kind), Cell(f.target ?? ""),
             .num("×\(f.occurrences)"), Cell(f.lastSeen)]
        })
    }

    static func tickTable(_ h: inout HTML, _ ticks: [(String, TickHealth)]) {
        h.table(["Host", "Plugin", "Tick", "Runs", "Failures", "Skipped", "Consecutive", "Backoff", "Last run", "Duration", "Last error"],
                ticks.map { host, t in
            let bad = t.consecutiveFailures > 0 || t.backoffSecs > 0
            return [Cell(host, href: hostLink(host)), Cell(t.plugin), Cell(t.tick + (t.disabled ? " (disabled)" : ""), cls: t.disabled ? "warn" : nil),
                    .num(String(t.runs)),
                    Cell(String(t.failures), cls: t.failures > 0 ? "warn" : nil, numeric: true), .num(String(t.skipped)),
                    Cell(String(t.consecutiveFailures), cls: bad ? "warn" : nil, numeric: true),
                    Cell(HostStatus.duration(t.backoffSecs), cls: t.backoffSecs > 0 ? "warn" : nil, numeric: true),
                    Cell(ago(t.lastRunAgeSecs)), .num(t.lastDurationMs.map { StatusText.num($0) + " ms" } ?? "–"),
                    Cell(t.lastError ?? "", cls: "msg")]
        }, empty: "No tick statistics yet.")
    }

    // MARK: Alerts and insights

    package static func alerts(_ filter: ConsoleStore.FindingFilter, alerts: [ConsoleStore.Finding], insights: [ConsoleStore.Finding]) -> String {
        Layout.page(title: "Alerts & insights", active: "/alerts") { h in
            filterForm(&h, action: "/alerts", filter)
            h.raw("<h2>"); h.text("Alerts (\(alerts.count))"); h.raw("</h2>")
            findingTable(&h, alerts)
            h.raw("<h2>"); h.text("Insights (\(insights.count))"); h.raw("</h2>")
            findingTable(&h, insights)
        }
    }

    static func filterForm(_ h: inout HTML, action: String, _ f: ConsoleStore.FindingFilter) {
        h.raw("<form class=\"filters\" method=\"get\" action=\"\(action)\">")
        input(&h, "Host", "host", f.host)
        select(&h, "Severity", "severity", f.severity, [("", "any"), ("critical", "critical"), ("warn", "warn"), ("info", "info")])
        select(&h, "Status", "status", f.status, [("open", "open"), ("resolved", "resolved"), ("all", "all")])
        input(&h, "Text", "q", f.text)
        select(&h, "Acknowledged", "ack", f.acknowledged, [("hide", "hidden"), ("show", "shown")])
        h.raw("<button type=\"submit\">Filter</button></form>")
    }

    static func input(_ h: inout HTML, _ label: String, _ name: String, _ value: String, type: String = "text") {
        h.raw("<label>"); h.text(label)
        h.raw("<input type=\"\(type)\" name=\"\(name)\" value=\""); h.text(value); h.raw("\"></label>")
    }

    static func select(_ h: inout HTML, _ label: String, _ name: String, _ value: String, _ options: [(String, String)]) {
        h.raw("<label>"); h.text(label); h.raw("<select name=\"\(name)\">")
        for (v, text) in options {
            h.raw("<option value=\""); h.text(v); h.raw("\"\(v == value ? " selected" : "")>"); h.text(text); h.raw("</option>")
        }
        h.raw("</select></label>")
    }

    static func findingTable(_ h: inout HTML, _ list: [ConsoleStore.Finding]) {
        h.table(["Severity", "Host", "Title", "Type", "Analyzer", "Target", "Status", "Seen", "First seen", "Last seen"], list.map { f in
            [Cell(f.severity, cls: Layout.severityClass(f.severity)), Cell(f.host, href: hostLink(f.host)), Cell(f.title),
             Cell(f.kind), Cell(f.analyzer), Cell(f.target ?? ""), Cell(f.status + (f.acknowledged ? " · ack" : "")),
             .num("×\(f.occurrences)"), Cell(f.firstSeen), Cell(f.lastSeen)]
        })
    }

    // MARK: Recommendations

    package static func recommendations(_ filter: ConsoleStore.FindingFilter, _ list: [ConsoleStore.Finding], csrf: String, notice: String?) -> String {
        Layout.page(title: "Recommendations", active: "/recommendations") { h in
            if let notice { h.raw("<p class=\"info\">"); h.text(notice); h.raw("</p>") }
            filterForm(&h, action: "/recommendations", filter)
            if list.isEmpty { h.raw("<p class=\"mute\">No recommendation matches.</p>") }
            for r in list {
                h.raw("<div class=\"rec\"><p><span class=\"badge \(Layout.severityClass(r.severity))\">"); h.text(r.severity)
                h.raw("</span> <strong>"); h.text(r.title); h.raw("</strong> <span class=\"mute\">")
                h.text("\(r.host) · \(r.kind) · \(r.analyzer) · seen ×\(r.occurrences), last \(r.lastSeen) · \(r.status)")
                h.raw("</span></p>")
                if let d = r.description, !d.isEmpty { h.raw("<p>"); h.text(d); h.raw("</p>") }
                actions(&h, r.action ?? "")
                if r.status == "open" {
                    h.raw("<form method=\"post\" action=\"/recommendations/\(r.id)/ack\">")
                    h.raw("<input type=\"hidden\" name=\"csrf\" value=\""); h.text(csrf); h.raw("\">")
                    h.raw("<input type=\"hidden\" name=\"acknowledged\" value=\"\(r.acknowledged ? "false" : "true")\">")
                    if r.acknowledged {
                        h.raw("<span class=\"ok\">"); h.text("acknowledged" + (r.acknowledgedBy.map { " by " + $0 } ?? "")); h.raw("</span> ")
                        h.raw("<button type=\"submit\">Un-acknowledge</button>")
                    } else {
                        h.raw("<button type=\"submit\">Acknowledge</button>")
                    }
                    h.raw("</form>")
                }
                h.raw("</div>")
            }
        }
    }

    /// The remediation text as numbered steps: lines starting `1.`, `2)` start
    /// a step; indented or backticked lines (and lines that look like shell or
    /// SQL) become a copyable `<pre>` block under their step.
    static func actions(_ h: inout HTML, _ text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.contains(where: { !$0.allSatisfy { $0 == " " } }) else { return }
        var steps: [(text: String, code: [String])] = []
        for line in lines {
            let trimmed = String(line.drop(while: { $0 == " " || $0 == "\t" }))
            if trimmed.isEmpty { continue }
            if let step = stepText(trimmed) {
                steps.append((step, []))
            } else if line.hasPrefix("  ") || line.hasPrefix("\t") || trimmed.hasPrefix("$ ") || trimmed.hasPrefix("`") {
                let code = trimmed.hasPrefix("$ ") ? String(trimmed.dropFirst(2)) : String(trimmed.filter { $0 != "`" })
                if steps.isEmpty { steps.append(("", [])) }
                steps[steps.count - 1].code.append(code)
            } else if steps.isEmpty {
                steps.append((trimmed, []))
            } else {
                steps[steps.count - 1].text += (steps[steps.count - 1].text.isEmpty ? "" : " ") + trimmed
            }
        }
        h.raw("<ol>")
        for s in steps {
            h.raw("<li>"); h.text(s.text)
            if !s.code.isEmpty { h.raw("<pre><code>"); h.text(s.code.joined(separator: "\n")); h.raw("</code></pre>") }
            h.raw("</li>")
        }
        h.raw("</ol>")
    }

    /// `3. Do this` → `Do this`; nil when the line is not a numbered step.
    static func stepText(_ line: String) -> String? {
        let digits = line.prefix(while: { $0.isASCII && $0.isNumber })
        guard !digits.isEmpty, digits.count <= 3 else { return nil }
        let rest = line.dropFirst(digits.count)
        guard let mark = rest.first, mark == "." || mark == ")" else { return nil }
        return String(rest.dropFirst().drop(while: { $0 == " " }))
    }

    // MARK: SLOs

    package static func slos(_ rows: [ConsoleStore.SLORow], charts: [SVGChart], host: String, available: Bool) -> String {
        Layout.page(title: "SLOs", active: "/slos") { h in
            h.raw("<form class=\"filters\" method=\"get\" action=\"/slos\">"); input(&h, "Host", "host", host)
            h.raw("<button type=\"submit\">Filter</button></form>")
            if !available {
                h.raw("<p class=\"mute\">No SLO table in this database yet (the intelligence plugin creates collector.slo_tracking).</p>")
                return
            }
            h.table(["Host", "SLO", "Status", "Target", "Actual", "Budget remaining", "Violations", "Window", "Evaluated"], rows.map { r in
                let s = r.status
                return [Cell(r.host, href: hostLink(r.host)), Cell(s.name),
                        Cell(s.met == false ? "violated" : s.met == true ? "met" : "–", cls: s.met == false ? "crit" : "ok"),
                        .num(StatusText.num(s.target)), .num(StatusText.num(s.actual)),
                        Cell(StatusText.pct(s.budgetRemainingPct), cls: (s.budgetRemainingPct ?? 100) < 25 ? "warn" : nil, numeric: true),
                        .num(r.violations.map(String.init) ?? "–"), Cell(r.windowDays.map { "\($0) d" } ?? "–"), Cell(s.at)]
            }, empty: "No SLO evaluated in the last 7 days.")
            if !charts.isEmpty {
                h.raw("<h2>Error budget and burn rate (30 days, the worst of each hour)</h2>")
                h.raw("<p class=\"mute\">A burn rate of 1 (dashed) spends the budget exactly over the SLO's window; the 1 h, 6 h and 3 d windows are the long windows of the page and ticket alerts.</p>")
                h.raw("<div class=\"charts\">")
                for c in charts { c.render(into: &h) }
                h.raw("</div>")
            }
        }
    }

    // MARK: Logs

    package static func logs(_ q: ConsoleStore.LogQuery, _ result: ConsoleStore.LogPage, patterns: [ConsoleStore.PatternRow], sparkFrom: Double,
                             ips: [(ip: String, count: Int64, sources: String)], ipsFrom: Double, sources: [String]) -> String {
        Layout.page(title: "Logs", active: "/logs") { h in
            h.raw("<form class=\"filters\" method=\"get\" action=\"/logs\">")
            input(&h, "From (UTC)", "from", LogTime.format(q.from), type: "datetime-local")
            input(&h, "To (UTC)", "to", LogTime.format(q.to), type: "datetime-local")
            input(&h, "Host", "host", q.host)
            select(&h, "Source", "source", q.source, [("", "any")] + sources.map { ($0, $0) })
            select(&h, "Level", "level", q.level, [("", "any")] + ["fatal", "error", "warn", "info", "debug"].map { ($0, $0) })
            input(&h, "Text", "q", q.text)
            h.raw("<button type=\"submit\">Search</button></form>")
            h.raw("<p class=\"mute\">"); h.text("\(LogTime.format(q.from)) – \(LogTime.format(q.to)) UTC · page \(q.page + 1)"); h.raw("</p>")
            h.table(["Time", "Host", "Source", "Level", "Component", "Message", "Context"], result.rows.map { r in
                [Cell(r.ts), Cell(r.host), Cell(r.source), Cell(r.level, cls: Layout.severityClass(r.level == "error" || r.level == "fatal" ? "critical" : r.level)),
                 Cell(r.component ?? ""), Cell(r.message, cls: "msg"), Cell(r.context ?? "", cls: "msg")]
            }, empty: result.searchedFrom > q.from ? "No log rows match since \(LogTime.format(result.searchedFrom)) UTC." : "No log rows match in this window.")
            h.raw("<p class=\"pager\">")
            if q.page > 0 { h.raw("<a href=\"/logs?"); h.text(q.queryString(page: q.page - 1)); h.raw("\">← newer</a>") }
            if result.more { h.raw("<a href=\"/logs?"); h.text(q.queryString(page: q.page + 1)); h.raw("\">older →</a>") }
            if result.searchedFrom > q.from {
                // The request's row budget ran out before the window's start: say where, and continue from there.
                h.raw("<span class=\"mute\">"); h.text("Searched back to \(LogTime.format(result.searchedFrom)) UTC (one request reads a bounded number of rows).")
                h.raw("</span> <a href=\"/logs?"); h.text(q.queryString(to: result.searchedFrom)); h.raw("\">search before \(LogTime.format(result.searchedFrom)) →</a>")
            }
            h.raw("</p>")
            h.raw("<h2>Patterns</h2><p class=\"mute\">"); h.text("Seen in the window's last 24 hours at most; sparklines for error, warn and fatal templates since \(LogTime.format(sparkFrom)) UTC.")
            h.raw("</p>")
            h.table(["Host", "Source", "Level", "Template or sample line", "Count", "Last seen"], patterns.map { p in
                [Cell(p.host), Cell(p.source), Cell(p.level), Cell(p.sample, cls: "msg"), .num(String(p.occurrences)), Cell(p.lastSeen)]
            }, empty: "No pattern seen in this window.")
            // Error, warning and fatal templates: counts since sparkFrom, in 24 steps.
            if !patterns.isEmpty {
                h.raw("<div class=\"charts\">")
                for p in patterns where p.hourly.contains(where: { $0 > 0 }) {
                    h.raw("<figure><figcaption>"); h.text("\(p.source)/\(p.level): \(p.sample.prefix(80))"); h.raw("</figcaption>")
                    h.raw(SVGChart.sparkline(p.hourly, width: 400, height: 40)); h.raw("</figure>")
                }
                h.raw("</div>")
            }
            h.raw("<h2>Security events: top client IPs</h2><p class=\"mute\">")
            h.text(ConsoleStore.securitySources.joined(separator: ", ") + " rows with a client_ip since \(LogTime.format(ipsFrom)) UTC.")
            h.raw("</p>")
            h.table(["Client IP", "Events", "Sources"], ips.map { [Cell($0.ip), .num(String($0.count)), Cell($0.sources)] },
                    empty: "No security event with a client IP in this window.")
        }
    }

    // MARK: Collector health

    package static func health(ticks: [(String, TickHealth)], stats: CollectorMetrics?, statsPath: String, lag: [ConsoleStore.SourceLag]) -> String {
        Layout.page(title: "Collector health", active: "/health") { h in
            h.raw("<h2>Plugins and ticks</h2>")
            tickTable(&h, ticks)
            h.raw("<h2>Writer (this machine's stats.json)</h2>")
            if let stats {
                h.raw("<p class=\"mute\">"); h.text("\(statsPath), written \(LogTime.format(Double(stats.writtenAtMicros) / 1e6)) UTC"); h.raw("</p>")
                h.table(["Counter", "Value"], ([("buffered_rows", stats.bufferedRows), ("buffered_bytes", stats.bufferedBytes)]
                        + stats.counters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }).map { [Cell($0.0), .num(String($0.1))] })
            } else {
                h.raw("<p class=\"mute\">"); h.text("No readable \(statsPath): the collector is not running on this machine, or [collector] state_dir differs.")
                h.raw("</p>")
            }
            h.raw("<h2>Log sources</h2>")
            h.table(["Host", "Source", "Position committed", "Newest row", "Rows (1 h)"], lag.map { l in
                [Cell(l.host, href: hostLink(l.host)), Cell(l.source), Cell(ago(l.positionAgeSecs)), Cell(ago(l.lastRowAgeSecs)),
                 .num(String(l.rowsLastHour))]
            })
        }
    }

    // MARK: Errors and login

    package static func message(_ title: String, _ text: String) -> String {
        Layout.page(title: title, active: "") { h in h.raw("<p>"); h.text(text); h.raw("</p>") }
    }

    package static func login(failed: Bool) -> String {
        Layout.page(title: "Sign in", active: "") { h in
            if failed { h.raw("<p class=\"crit\">Wrong token.</p>") }
            h.raw("<form method=\"post\" action=\"/login\" class=\"filters\"><label>Console token<input type=\"password\" name=\"token\" autocomplete=\"current-password\"></label><button type=\"submit\">Sign in</button></form>")
            h.raw("<p class=\"mute\">The token is [console] token in the collector's configuration (or PQC_CONSOLE_TOKEN).</p>")
        }
    }
}

import CollectorCore

/// The frame every page shares: navigation, stylesheet link, and the helpers
/// that turn figures into cells. No inline styles or scripts: the
/// Content-Security-Policy allows the console's own stylesheet and nothing else.
package enum Layout {
    package static let sections: [(path: String, title: String)] = [
        ("/", "Fleet"), ("/alerts", "Alerts & insights"), ("/recommendations", "Recommendations"),
        ("/slos", "SLOs"), ("/logs", "Logs"), ("/health", "Collector health"),
    ]

    package static func page(title: String, active: String, _ body: (inout HTML) -> Void) -> String {
        var h = HTML()
        h.raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        h.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        h.raw("<title>"); h.text(title); h.raw(" · pqcrypta console</title>")
        h.raw("<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/static/console.css\"></head><body><header><span class=\"brand\">pqcrypta console</span><nav>")
        for s in sections {
            h.raw("<a href=\"\(s.path)\"\(s.path == active ? " class=\"active\"" : "")>"); h.text(s.title); h.raw("</a>")
        }
        h.raw("</nav></header><main>")
        h.raw("<h1>"); h.text(title); h.raw("</h1>")
        body(&h)
        h.raw("</main></body></html>\n")
        return h.output
    }

    package static func levelClass(_ level: HealthLevel) -> String {
        switch level { case .healthy: "ok"; case .warning: "warn"; case .critical: "crit" }
    }

    package static func severityClass(_ severity: String) -> String {
        switch severity { case "critical": "crit"; case "warn": "warn"; default: "info" }
    }

    package static let stylesheet = """
        :root{--bg:#f7f7f5;--fg:#1d232a;--mute:#66707a;--line:#d9dcdf;--ok:#2e7d32;--warn:#b26a00;--crit:#c62828;--acc:#1f5fa8}
        *{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;background:var(--bg);color:var(--fg)}
        header{display:flex;gap:24px;align-items:center;padding:8px 20px;background:#1d232a;color:#fff;flex-wrap:wrap}
        header .brand{font-weight:600}nav a{color:#cfd6dd;text-decoration:none;margin-right:14px}nav a.active,nav a:hover{color:#fff;border-bottom:2px solid #7fb2ff}
        main{padding:12px 20px 40px;max-width:1400px}h1{font-size:20px;margin:8px 0 12px}h2{font-size:16px;margin:22px 0 8px}
        table{border-collapse:collapse;background:#fff;border:1px solid var(--line);margin-bottom:10px}th,td{padding:4px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
        th{background:#eef0f2;font-weight:600}td{white-space:nowrap}td.num{text-align:right;font-variant-numeric:tabular-nums}
        .ok{color:var(--ok)}.warn{color:var(--warn)}.crit{color:var(--crit)}.info{color:var(--acc)}.mute{color:var(--mute)}
        .dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;background:currentColor}
        .badge{display:inline-block;padding:0 6px;border-radius:3px;border:1px solid currentColor;font-size:12px}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:12px}
        figure{margin:0;background:#fff;border:1px solid var(--line);padding:6px 8px}figcaption{font-weight:600;font-size:13px}
        svg text{font-size:10px;fill:var(--mute)}svg .line{fill:none;stroke:var(--acc);stroke-width:1.5}svg .grid{stroke:#e4e6e8}svg .mark{fill:var(--crit)}
        svg .spark{fill:none;stroke:var(--acc);stroke-width:1}svg .l2{stroke:var(--warn)}svg .l3{stroke:var(--crit)}svg .l4{stroke:var(--ok)}
        svg .ref{stroke:var(--mute);stroke-dasharray:4 3}.legend{font-weight:400;font-size:12px}.legend span::before{content:"━ "}
        .legend .k1{color:var(--acc)}.legend .k2{color:var(--warn)}.legend .k3{color:var(--crit)}.legend .k4{color:var(--ok)}
        form.filters{display:flex;gap:8px;flex-wrap:wrap;align-items:end;margin-bottom:12px}form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--mute)}
        input,select,button{font:inherit;padding:3px 6px}button{cursor:pointer}
        pre{background:#1d232a;color:#e8eaed;padding:8px 10px;overflow-x:auto;margin:4px 0;white-space:pre-wrap;word-break:break-all}
        .rec{background:#fff;border:1px solid var(--line);padding:8px 12px;margin-bottom:10px}.rec ol{padding-left:22px;margin:6px 0}
        .msg{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px;white-space:pre-wrap;word-break:break-all}
        .ranges a{margin-right:8px}.ranges a.active{font-weight:700}.pager a{margin-right:12px}
        """
}

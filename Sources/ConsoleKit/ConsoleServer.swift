#if canImport(Glibc)
import Glibc
#endif
import CollectorCore
import HTTPTypes
import Hummingbird
import Logging

/// What the console needs to know besides the database.
package struct ConsoleSettings: Sendable {
    package var host = "127.0.0.1"
    package var port = 8470
    /// Required for every request when non-empty.
    package var token = ""
    /// The collector's stats.json on this machine (may not exist).
    package var statsPath = "/var/lib/pqcrypta-collector/stats.json"
    /// The collector host name stats.json belongs to.
    package var localHost = ""
    package var heartbeatSecs = 5
    /// Log rows one search request may read (`ConsoleStore.logs`): ~0.06 s of PostgreSQL on this machine.
    package var logScanRows = 100_000.0
    /// Log rows the patterns' sparklines and the top client IPs may each aggregate: they cover
    /// the window's last day, or less when that day holds more rows than this.
    package var logAggregateRows = 20_000.0

    package init() {}

    /// Loopback addresses may be served without a token; anything else may not.
    package var isLoopback: Bool { host == "127.0.0.1" || host == "::1" || host == "localhost" || host.hasPrefix("127.") }

    /// 32 hex characters from the kernel's random source.
    /// `SystemRandomNumberGenerator` is getrandom(2) on Linux: fit for secrets.
    package static func randomToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self)
    }
}

/// The console's HTTP surface: routes, security headers, the token gate and
/// the CSRF check. Handlers await `ConsoleDatabase`, which runs libpq on its
/// own threads, so NIO's event loops never block on the database.
package struct ConsoleServer: Sendable {
    package let database: ConsoleDatabase
    package let settings: ConsoleSettings

    package init(database: ConsoleDatabase, settings: ConsoleSettings) {
        self.database = database
        self.settings = settings
    }

    /// `default-src 'none'`: no script at all, styles and images from the console only.
    package static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    package func makeApplication(logger: Logging.Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    package func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: SecurityMiddleware(token: settings.token))
        let server = self
        router.get("/static/console.css") { _, _ in
            var r = Self.response(.ok, Layout.stylesheet, type: "text/css; charset=utf-8")
            r.headers[.cacheControl] = "max-age=3600"
            return r
        }
        // Browsers ask for it whatever the page says; an empty answer keeps their consoles clean.
        router.get("/favicon.ico") { _, _ in Response(status: .noContent) }
        router.get("/") { _, _ in await server.page { store in
            Pages.fleet(try store.fleet(), staleAfterSecs: StatusReader(connection: store.connection, heartbeatSecs: server.settings.heartbeatSecs).staleAfterSecs)
        } }
        router.get("/host/:name") { request, context in
            let name = HTML.pathDecode(context.parameters.get("name") ?? "")
            let range = ChartRange(query: Self.query(request)["range"])
            return await server.page { store in
                let reader = StatusReader(connection: store.connection, heartbeatSecs: server.settings.heartbeatSecs)
                var status = try reader.host(name, tables: try reader.optionalTables())
                if name == server.settings.localHost, let stats = CollectorMetrics.read(statsJSON: server.settings.statsPath) {
                    status.applyLocalStats(stats)
                }
                return Pages.host(status, charts: try store.charts(host: name, range: range), range: range)
            }
        }
        router.get("/alerts") { request, _ in
            let filter = Self.findingFilter(request)
            return await server.page { store in
                Pages.alerts(filter, alerts: try store.findings(.alerts, filter), insights: try store.findings(.insights, filter))
            }
        }
        router.get("/recommendations") { request, _ in
            let filter = Self.findingFilter(request)
            let notice = Self.query(request)["done"].map {
                $0 == "ack" ? "Acknowledged: hidden from this list while it stays open (Acknowledged: shown lists it)." : "Acknowledgement removed."
            }
            // The browser session's CSRF token: the one its cookie holds, or a new one set below.
            let session = CSRF.token(in: request)
            let csrf = session ?? ConsoleSettings.randomToken()
            var response = await server.page { store in
                Pages.recommendations(filter, try store.findings(.recommendations, filter), csrf: csrf, notice: notice)
            }
            if session == nil { response.headers[.setCookie] = CSRF.cookie(csrf) }
            return response
        }
        router.post("/recommendations/:id/ack") { request, context in
            let form = HTML.parseForm(String(buffer: try await request.body.collect(upTo: 16 << 10)))
            guard CSRF.accepts(form: form["csrf"], request: request), Self.sameOrigin(request) else {
                return Self.response(.forbidden, Pages.message("Refused", "This form is stale or did not come from this console (CSRF check). Reload the page and try again."))
            }
            guard let id = context.parameters.get("id").flatMap({ Int64($0) }) else {
                return Self.response(.badRequest, Pages.message("Bad request", "No such recommendation id."))
            }
            let acknowledged = form["acknowledged"] != "false"
            do {
                let changed = try await server.database.run { c throws(PGError) in
                    try ConsoleStore(c).acknowledge(.recommendations, id: id, acknowledged: acknowledged, by: "console")
                }
                guard changed else { return Self.response(.notFound, Pages.message("Not found", "No open recommendation \(id).")) }
                var r = Response(status: .seeOther)
                r.headers[.location] = "/recommendations?done=" + (acknowledged ? "ack" : "unack")
                return r
            } catch let error as PGError {
                let readOnly = error.sqlstate == "42501"
                return Self.response(readOnly ? .forbidden : .serviceUnavailable, Pages.message(
                    "Not saved", readOnly ? "The console's database role may not write (read-only); acknowledging needs UPDATE on collector.recommendations." : "Database error: \(error.message)"))
            } catch {
                return Self.response(.serviceUnavailable, Pages.message("Not saved", "\(error)"))
            }
        }
        router.get("/slos") { request, _ in
            let host = Self.query(request)["host"] ?? ""
            return await server.page { store in
                let available = try store.exists("slo_tracking")
                let rows = try store.slos(host: host)
                let columns = available ? try store.sloColumns() : []
                var charts: [SVGChart] = []
                for r in rows.prefix(12) { charts += try store.sloCharts(host: r.host, slo: r.status.name, columns: columns) }
                return Pages.slos(rows, charts: charts, host: host, available: available)
            }
        }
        router.get("/logs") { request, _ in
            let q = Self.logQuery(Self.query(request), now: Self.now())
            let settings = server.settings
            return await server.page { store in
                // Aggregates over raw rows (sparklines, top IPs) cover the window's last day at most,
                // and less when that day holds more rows than they may read.
                let day = max(q.from, q.to - 86_400)
                var volume = try store.logVolume(from: day, to: q.to)
                let page = try store.logs(q, volume: &volume, budget: settings.logScanRows)
                func aggregateFrom(_ kind: LogVolume.Kind) -> Double {
                    volume.isKnown ? volume.spanStart(kind, to: q.to, from: day, budget: settings.logAggregateRows, minSpan: 300)
                        : max(day, q.to - 3600)
                }
                let sparkFrom = aggregateFrom(.problems), ipsFrom = aggregateFrom(.security)
                return Pages.logs(q, page, patterns: try store.patterns(host: q.host, from: day, sparkFrom: sparkFrom, to: q.to),
                                  sparkFrom: sparkFrom, ips: try store.topIPs(host: q.host, from: ipsFrom, to: q.to), ipsFrom: ipsFrom,
                                  sources: try store.distinctSources())
            }
        }
        router.get("/health") { _, _ in
            await server.page { store in
                Pages.health(ticks: try store.allTicks().map { ($0.host, $0.tick) }, stats: CollectorMetrics.read(statsJSON: server.settings.statsPath),
                             statsPath: server.settings.statsPath, lag: try store.logSourceLag())
            }
        }
        router.get("/metrics") { _, _ in
            do {
                let input = try await server.database.run { c throws(PGError) in
                    let store = ConsoleStore(c)
                    let hb = try c.query("""
                        SELECT DISTINCT ON (host) host, extract(epoch FROM now() - ts)::float8, buffered_rows, coalesce(dropped_rows, 0)
                        FROM collector.heartbeat WHERE ts > now() - interval '1 day' ORDER BY host, ts DESC
                        """)
                    let heartbeats = (0..<hb.rowCount).map { i in
                        (host: hb.string(i, 0) ?? "", ageSecs: hb.double(i, 1) ?? 0, bufferedRows: hb.int(i, 2), droppedRows: hb.int(i, 3) ?? 0)
                    }
                    return MetricsPage.Input(ticks: try store.allTicks(), heartbeats: heartbeats, logSources: try store.logSourceLag(),
                                             stats: CollectorMetrics.read(statsJSON: server.settings.statsPath), statsHost: server.settings.localHost)
                }
                return Self.response(.ok, MetricsPage.render(input), type: "text/plain; version=0.0.4; charset=utf-8")
            } catch let error as PGError {
                return Self.response(.serviceUnavailable, "# database unavailable: \(PrometheusText.escapeLabel(error.message))\n", type: "text/plain; charset=utf-8")
            } catch {
                return Self.response(.serviceUnavailable, "# error\n", type: "text/plain; charset=utf-8")
            }
        }
        router.get("/login") { _, _ in Self.response(.ok, Pages.login(failed: false)) }
        router.post("/login") { request, _ in
            let form = HTML.parseForm(String(buffer: try await request.body.collect(upTo: 4 << 10)))
            guard !server.settings.token.isEmpty, Self.sameOrigin(request),
                  Self.constantTimeEqual(form["token"] ?? "", server.settings.token) else {
                return Self.response(.unauthorized, Pages.login(failed: true))
            }
            var r = Response(status: .seeOther)
            r.headers[.location] = "/"
            r.headers[.setCookie] = "pqc_console=\(server.settings.token); Path=/; HttpOnly; SameSite=Strict"
            return r
        }
        return router
    }

    /// Runs `render` against the database; a database error is a 503 page naming it.
    func page(_ render: @escaping @Sendable (ConsoleStore) throws -> String) async -> Response {
        do {
            let html = try await database.run { c throws(PGError) in
                do { return try render(ConsoleStore(c)) } catch let e as PGError { throw e } catch { throw PGError.client("\(error)") }
            }
            return Self.response(.ok, html)
        } catch {
            return Self.response(.serviceUnavailable, Pages.message("Database unavailable", error.message))
        }
    }

    static func response(_ status: HTTPResponse.Status, _ body: String, type: String = "text/html; charset=utf-8") -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// The query string as a GET form sends it (`+` is a space, `%XX` decoded).
    /// Hummingbird's `queryParameters` decodes `%XX` but keeps `+`, so a search for
    /// two words would arrive joined by a plus.
    static func query(_ request: Request) -> [String: String] { HTML.parseForm(request.uri.query ?? "") }

    static func findingFilter(_ request: Request) -> ConsoleStore.FindingFilter {
        let p = query(request)
        var f = ConsoleStore.FindingFilter()
        f.host = p["host"] ?? ""
        f.severity = ["critical", "warn", "info"].contains(p["severity"] ?? "") ? p["severity"] ?? "" : ""
        f.status = ["open", "resolved", "all"].contains(p["status"] ?? "") ? p["status"] ?? "open" : "open"
        f.text = String((p["q"] ?? "").prefix(200))
        f.acknowledged = p["ack"] == "show" ? "show" : "hide"
        return f
    }

    /// The longest window one log search may cover: 7 days (log retention).
    /// Each request reads a bounded number of rows of it (`logScanRows`).
    package static let maxLogSpan = 7.0 * 86_400

    /// The search from the query string, always time-bounded (default: the last hour).
    static func logQuery(_ p: some QueryParameterSource, now: Double) -> ConsoleStore.LogQuery {
        var to = LogTime.parse(p.get("to")).map { $0 + 60 } ?? now
        to = min(to, now + 60)
        var from = LogTime.parse(p.get("from")) ?? to - 3600
        if from >= to { from = to - 3600 }
        if to - from > maxLogSpan { from = to - maxLogSpan }
        var q = ConsoleStore.LogQuery(from: from, to: to)
        q.host = p.get("host") ?? ""
        q.source = p.get("source") ?? ""
        q.level = p.get("level") ?? ""
        q.text = String((p.get("q") ?? "").prefix(200))
        q.page = min(max(0, Int(p.get("page") ?? "") ?? 0), 1000)
        return q
    }

    static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    package static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !y.isEmpty else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }

    /// A browser's cross-site POST carries `Sec-Fetch-Site: cross-site` or an
    /// `Origin` whose host differs from `Host`; both are refused. Clients that
    /// send neither (curl) are judged by the CSRF token alone.
    static func sameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" || site == "same-site" { return false }
        guard let origin = request.headers[HTTPField.Name("Origin")!] else { return true }
        guard let host = request.head.authority else { return false }
        return origin == "http://" + host || origin == "https://" + host
    }
}

/// Per-session CSRF protection by double submit: a page with a form sets a
/// random token (128 bits) in the `pqc_csrf` cookie (`HttpOnly;
/// SameSite=Strict`) unless the browser already holds one, and puts the same
/// token in the form; a POST is accepted only when the two agree. Another
/// site can neither read the cookie nor the page, and SameSite=Strict keeps
/// the browser from sending the cookie with a POST another site starts, so a
/// forged form lacks one of the two. Each browser session has its own token,
/// and a restarted console still accepts the open forms of a session.
package enum CSRF {
    package static let cookieName = "pqc_csrf"

    /// The `Set-Cookie` value that gives a browser session `token`.
    package static func cookie(_ token: String) -> String { "\(cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict" }

    /// The session's token from the request's cookie, when it is one this
    /// console could have made (32 lower-case hex digits); anything else is ignored.
    package static func token(in request: Request) -> String? {
        cookieValue(cookieName, in: request.headers[values: .cookie]).flatMap(wellFormed)
    }

    /// A POST's form token and its session cookie are both present and equal (compared in constant time).
    package static func accepts(form: String?, request: Request) -> Bool {
        guard let session = token(in: request), let form else { return false }
        return ConsoleServer.constantTimeEqual(form, session)
    }

    static func wellFormed(_ token: String) -> String? {
        token.utf8.count == 32 && token.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) } ? token : nil
    }

    /// The value of cookie `name` in `Cookie` header lines (`a=1; b=2`); the first wins.
    static func cookieValue(_ name: String, in headers: [String]) -> String? {
        for line in headers {
            for part in line.split(separator: ";") {
                let kv = part.split(separator: "=", maxSplits: 1)
                if kv.count == 2, kv[0].trimmingPrefix(" ") == name { return String(kv[1]) }
            }
        }
        return nil
    }
}

/// Reads a query parameter by name (Hummingbird's parameters, or a test's dictionary).
package protocol QueryParameterSource {
    func get(_ name: String) -> String?
}

extension Dictionary: QueryParameterSource where Key == String, Value == String {
    package func get(_ name: String) -> String? { self[name] }
}

/// Security headers on every response, and the token gate when a token is set.
struct SecurityMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if token.isEmpty || Self.open(request.uri.path) || authorised(request) {
            response = try await next(request, context)
        } else if request.uri.path == "/metrics" {
            response = ConsoleServer.response(.unauthorized, "token required\n", type: "text/plain; charset=utf-8")
            response.headers[.wwwAuthenticate] = "Bearer"
        } else {
            response = Response(status: .seeOther)
            response.headers[.location] = "/login"
        }
        response.headers[HTTPField.Name("Content-Security-Policy")!] = ConsoleServer.contentSecurityPolicy
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }

    static func open(_ path: String) -> Bool { path == "/login" || path == "/static/console.css" }

    /// `Authorization: Bearer <token>` (scripts, Prometheus) or the cookie `/login` sets.
    func authorised(_ request: Request) -> Bool {
        if let auth = request.headers[.authorization], auth.hasPrefix("Bearer "),
           ConsoleServer.constantTimeEqual(String(auth.dropFirst(7)), token) { return true }
        guard let cookie = CSRF.cookieValue("pqc_console", in: request.headers[values: .cookie]) else { return false }
        return ConsoleServer.constantTimeEqual(cookie, token)
    }
}

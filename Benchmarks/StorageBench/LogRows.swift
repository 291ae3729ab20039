import CollectorCore
import LogFingerprint

/// Rows of `collector.log_entries` as the log ingester writes them: one host's
/// day of syslog, auth, PostgreSQL, journal (api/proxy), Apache, fail2ban and
/// script logs; messages of 60–400 bytes, levels as the host maps them, context
/// JSONB with the parsers' keys, and the real 16-hex fingerprint of each message.
enum LogRows {
    static let table = "collector.log_entries"
    static let columns = ["host", "ts", "source", "level", "component", "message", "context", "fingerprint"]
    static let hostname = "api-01.pqcrypta.internal"

    /// Sources and their share of the lines.
    static let sources: [(name: String, weight: Double)] = [
        ("postgresql", 26), ("api", 18), ("auth", 15), ("proxy", 12), ("health_check", 6), ("apache_error", 5),
        ("bot_detection", 5), ("kernel", 4), ("fail2ban", 4), ("blocklist", 2), ("collector", 2), ("certbot", 1),
    ]

    private struct Line {
        var level = "info"
        var component: String?
        var message = ""
        var context: String?
    }

    /// `count` rows spread evenly over the day ending at `endMicros`, in arrival order.
    static func generate(count: Int, endMicros: Int64, seed: UInt64) -> BenchTable {
        var rng = BenchRandom(seed: seed)
        let attackers = (0..<400).map { i -> String in
            switch i % 4 {
            case 0: return "203.0.113.\(1 + i / 4 % 254)"
            case 1: return "198.51.100.\(1 + i / 4 % 254)"
            case 2: return "45.\(rng.int(10...250)).\(rng.int(0...255)).\(rng.int(1...254))"
            default: return "2001:db8:\(rng.hex(4)):\(rng.hex(4))::\(rng.hex(2))"
            }
        }
        let weights = sources.map(\.weight)
        let total = weights.reduce(0, +)
        let day: Int64 = 86_400_000_000
        let step = Double(day) / Double(max(1, count))
        var fingerprinter = LogFingerprinter()
        var rows: [[BenchCell]] = []
        rows.reserveCapacity(count)
        for i in 0..<count {
            let source = sources[rng.weighted(weights, total: total)].name
            var line = make(source, &rng, attackers)
            if line.message.utf8.count > 400 { line.message = String(decoding: line.message.utf8.prefix(400), as: UTF8.self) }
            while line.message.utf8.count < 60 { line.message += " (request_id=\(rng.hex(8))-\(rng.hex(4)))" }
            // Lines arrive in order per source, a little out of order across sources.
            let ts = endMicros - day + Int64(Double(i) * step) - Int64(rng.below(1_500_000))
            var message = line.message
            let fp = message.withUTF8 { fingerprinter.fingerprint(source: source, level: line.level, message: UnsafeRawBufferPointer($0)) }
            rows.append([
                .text(hostname), .timestamp(ts), .text(source), .text(line.level),
                line.component.map { .text($0) } ?? .null, .text(line.message),
                line.context.map { .json($0) } ?? .null, .text(fp),
            ])
        }
        return BenchTable(table: table, columns: columns, droppable: false, rows: rows)
    }

    private static func pick<T>(_ items: [T], _ rng: inout BenchRandom) -> T { items[rng.below(items.count)] }

    private static func make(_ source: String, _ rng: inout BenchRandom, _ attackers: [String]) -> Line {
        var l = Line()
        let pid = rng.int(300...4_000_000)
        let internalIP = "10.0.\(rng.int(0...3)).\(rng.int(2...60))"
        let attacker = attackers[rng.skewed(attackers.count)]
        let users = ["root", "admin", "ubuntu", "test", "oracle", "postgres", "git", "user", "deploy", "guest", "ftpuser", "pi"]
        let paths = ["/api/v1/encrypt", "/api/v1/decrypt", "/api/v1/keys", "/api/v1/keys/rotate", "/api/v1/sign", "/api/v1/verify",
                     "/api/v1/health", "/api/v2/kem/encapsulate", "/api/v2/kem/decapsulate", "/metrics", "/login", "/"]
        switch source {
        case "postgresql":
            let user = pick(["app", "pqcrypta_user", "collector", "postgres", "replicator"], &rng)
            let db = pick(["pqcrypta", "pqcrypta", "pqcrypta", "postgres", "analytics"], &rng)
            let ctx = "{\"pid\":\(pid),\"user\":\"\(user)\",\"database\":\"\(db)\",\"application\":\"\(pick(["pqcrypta-api", "psql", "pqcrypta-collector", "pgbouncer"], &rng))\",\"client_ip\":\"\(internalIP)\"}"
            l.context = ctx
            switch rng.below(100) {
            case 0..<22:
                l.message = "connection received: host=\(internalIP) port=\(rng.int(32768...60999))"
                l.context = "{\"pid\":\(pid)}"
            case 22..<44:
                l.message = "connection authorized: user=\(user) database=\(db) application_name=pqcrypta-api SSL enabled (protocol=TLSv1.3, cipher=TLS_AES_256_GCM_SHA384, bits=256)"
            case 44..<64:
                l.message = "disconnection: session time: 0:\(rng.int(0...59)):\(rng.int(10...59)).\(rng.int(100...999)) user=\(user) database=\(db) host=\(internalIP) port=\(rng.int(32768...60999))"
            case 64..<78:
                let table = pick(["sessions", "api_keys", "audit_log", "key_versions", "usage_counters", "tenants"], &rng)
                let statement = pick([
                    "SELECT k.id, k.tenant_id, k.algorithm, k.public_key, k.created_at FROM \(table) k JOIN tenants t ON t.id = k.tenant_id WHERE t.slug = $1 AND k.revoked_at IS NULL ORDER BY k.created_at DESC LIMIT \(pick([10, 50, 100], &rng))",
                    "UPDATE \(table) SET last_used_at = now(), use_count = use_count + 1 WHERE id = $1",
                    "INSERT INTO audit_log (tenant_id, actor, action, object_type, object_id, ip, user_agent, details, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now()) RETURNING id",
                    "WITH usage AS (SELECT tenant_id, date_trunc('hour', created_at) AS hour, count(*) AS n, sum(bytes) AS bytes FROM usage_events WHERE created_at >= now() - interval '24 hours' GROUP BY 1, 2) SELECT t.slug, u.hour, u.n, u.bytes FROM usage u JOIN tenants t ON t.id = u.tenant_id WHERE u.n > $1 ORDER BY u.hour DESC, u.n DESC LIMIT 500",
                ], &rng)
                l.message = "duration: \(rng.int(1000...25000)).\(rng.int(100...999)) ms  execute <unnamed>: \(statement)"
            case 78..<84:
                l.message = "checkpoint complete: wrote \(rng.int(100...20000)) buffers (\(rng.int(0...30)).\(rng.int(0...9))%); 0 WAL file(s) added, 0 removed, \(rng.int(0...5)) recycled; write=\(rng.int(1...269)).\(rng.int(100...999)) s, sync=0.0\(rng.int(10...99)) s, total=\(rng.int(1...270)).\(rng.int(100...999)) s; sync files=\(rng.int(5...200)), longest=0.00\(rng.int(1...9)) s, average=0.001 s; distance=\(rng.int(1000...90000)) kB, estimate=\(rng.int(1000...90000)) kB"
                l.context = "{\"pid\":\(rng.int(40...900))}"
            case 84..<88:
                let table = pick(["sessions", "audit_log", "usage_counters"], &rng)
                l.message = "automatic vacuum of table \"pqcrypta.public.\(table)\": index scans: 1 pages: 0 removed, \(rng.int(100...90000)) remain, \(rng.int(0...900)) skipped due to pins, 0 skipped frozen tuples: \(rng.int(100...50000)) removed, \(rng.int(10000...900000)) remain"
            case 88..<93:
                l.level = "error"
                l.message = "duplicate key value violates unique constraint \"\(pick(["api_keys_tenant_id_name_key", "sessions_pkey", "usage_counters_pkey"], &rng))\""
                l.context = "{\"pid\":\(pid),\"user\":\"\(user)\",\"database\":\"\(db)\",\"client_ip\":\"\(internalIP)\",\"error_code\":\"23505\"}"
            case 93..<96:
                l.level = "error"
                l.message = "canceling statement due to statement timeout; statement: UPDATE usage_counters SET count = count + 1 WHERE tenant_id = $1 AND day = $2"
                l.context = "{\"pid\":\(pid),\"user\":\"\(user)\",\"database\":\"\(db)\",\"error_code\":\"57014\"}"
            case 96..<98:
                l.level = "warn"
                l.message = "there is no transaction in progress; statement: COMMIT (application pqcrypta-api, session \(rng.hex(8)).\(rng.hex(4)))"
            case 98:
                l.level = "fatal"
                l.message = "password authentication failed for user \"\(pick(users, &rng))\"; Connection matched pg_hba.conf line 99: \"host all all 0.0.0.0/0 scram-sha-256\""
                l.context = "{\"pid\":\(pid),\"client_ip\":\"\(attacker)\",\"error_code\":\"28P01\"}"
            default:
                l.level = "warn"
                l.message = "could not receive data from client: Connection reset by peer (host=\(internalIP), user=\(user), database=\(db))"
            }
        case "auth":
            let host = "{\"host\":\"api-01\",\"pid\":\(pid)}"
            l.context = host
            l.component = "sshd"
            let port = rng.int(1024...65535)
            switch rng.below(100) {
            case 0..<34:
                l.level = "warn"
                if rng.chance(0.6) {
                    l.message = "Failed password for invalid user \(pick(users, &rng)) from \(attacker) port \(port) ssh2"
                } else {
                    l.message = "Failed password for \(pick(["root", "ubuntu", "deploy"], &rng)) from \(attacker) port \(port) ssh2"
                }
            case 34..<50:
                l.message = "Invalid user \(pick(users, &rng)) from \(attacker) port \(port) (client SSH-2.0-\(pick(["Go", "libssh_0.9.6", "PUTTY", "OpenSSH_8.9p1"], &rng)))"
            case 50..<66:
                l.message = "Connection closed by authenticating user \(pick(users, &rng)) \(attacker) port \(port) [preauth]"
            case 66..<76:
                l.message = "Received disconnect from \(attacker) port \(port):11: Bye Bye [preauth] (session \(rng.hex(6)))"
            case 76..<80:
                l.message = "Accepted publickey for deploy from \(internalIP) port \(port) ssh2: ED25519 SHA256:\(rng.hex(43))"
                l.level = "notice"
            case 80..<92:
                l.component = "CRON"
                l.message = "pam_unix(cron:session): session \(rng.chance(0.5) ? "opened" : "closed") for user root(uid=0) by (uid=0) [job \(rng.int(1...40))]"
            case 92..<97:
                l.component = "sudo"
                l.message = "deploy : TTY=pts/\(rng.int(0...3)) ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart pqcrypta-\(pick(["api", "proxy"], &rng))"
                l.level = "notice"
            default:
                l.component = "systemd-logind"
                l.message = "New session \(rng.int(100...99999)) of user deploy. (seat none, class user, remote host \(internalIP))"
            }
        case "api", "proxy", "collector":
            let unit = source == "api" ? "pqcrypta-api" : source == "proxy" ? "pqcrypta-proxy" : "pqcrypta-collector"
            l.component = unit
            l.context = "{\"pid\":\(rng.int(800...900)),\"unit\":\"\(unit).service\",\"syslog_identifier\":\"\(unit)\"}"
            let path = pick(paths, &rng)
            let status = rng.chance(0.9) ? 200 : pick([201, 204, 301, 400, 401, 403, 404, 429, 500, 502, 503], &rng)
            switch rng.below(100) {
            case 0..<70:
                l.level = status >= 500 ? "error" : status >= 400 ? "warn" : "info"
                l.message = "\(source == "proxy" ? "proxied" : "request completed") method=\(pick(["GET", "POST", "POST", "PUT", "DELETE"], &rng)) path=\(path) status=\(status) latency_ms=\(rng.int(0...900)).\(rng.int(0...9)) bytes=\(rng.int(90...65000)) tenant=\(rng.hex(8)) request_id=\(rng.hex(8))-\(rng.hex(4))-\(rng.hex(4))-\(rng.hex(4))-\(rng.hex(12)) client=\(rng.chance(0.7) ? internalIP : attacker)"
            case 70..<80:
                l.level = "debug"
                l.message = "cache \(rng.chance(0.8) ? "hit" : "miss") key=kem:\(pick(["ml-kem-768", "ml-kem-1024", "x25519-ml-kem-768"], &rng)):\(rng.hex(16)) ttl_s=\(rng.int(1...3600)) entries=\(rng.int(1000...90000))"
            case 80..<88:
                l.level = "warn"
                l.message = "slow upstream response from \(pick(["kms", "postgres", "redis", "hsm"], &rng)) after \(rng.int(500...5000))ms on \(path); retrying (attempt \(rng.int(1...3)) of 3)"
            case 88..<94:
                l.level = "error"
                l.message = "upstream request failed: \(pick(["connection refused", "timed out after 5000ms", "TLS handshake failed: certificate verify failed", "pool exhausted (max 32 connections)"], &rng)) while calling \(pick(["kms", "postgres", "hsm"], &rng)) for \(path) request_id=\(rng.hex(8))-\(rng.hex(4))"
                if rng.chance(0.5) {
                    l.message += "; caused by: error sending request for url (http://127.0.0.1:8200/v1/transit/encrypt/tenant-\(rng.hex(8))): operation timed out; caused by: tcp connect error: Connection timed out (os error 110)"
                }
            default:
                l.message = "rate limit \(rng.chance(0.5) ? "applied" : "reset") for client \(attacker): \(rng.int(100...1000)) requests in 60s window (limit \(pick([100, 300, 600], &rng)))"
                l.level = "notice"
            }
        case "apache_error":
            l.component = pick(["proxy", "ssl", "core", "php"], &rng)
            l.level = pick(["error", "error", "warn", "notice"], &rng)
            let code = "AH0\(rng.int(1000...2999))"
            l.context = "{\"module\":\"\(l.component!)\",\"pid\":\(pid),\"tid\":\(rng.int(100000000...999999999)),\"client_ip\":\"\(attacker)\",\"client_port\":\(rng.int(1024...65535)),\"error_code\":\"\(code)\"}"
            l.message = pick([
                "(111)Connection refused: \(code): http: attempt to connect to 127.0.0.1:3003 (127.0.0.1:3003) failed",
                "\(code): failed to make connection to backend: 127.0.0.1:3003, referer: https://api.pqcrypta.com/docs",
                "\(code): SSL library error 1 in handshake (server api.pqcrypta.com:443)",
                "\(code): script '/var/www/html/wp-login.php' not found or unable to stat",
                "\(code): Timeout while reading response header from upstream (client \(attacker))",
            ], &rng)
        case "health_check":
            let ok = rng.chance(0.97)
            l.level = ok ? "info" : "error"
            l.message = ok
                ? "Health check OK: api=200 (\(rng.int(2...80))ms) proxy=200 (\(rng.int(1...20))ms) db=ok (\(rng.int(1...15))ms) disk=\(rng.int(30...70))% load=\(rng.int(0...3)).\(rng.int(0...99))"
                : "Health check FAILED: api=\(pick(["503", "timeout", "000"], &rng)) proxy=200 (\(rng.int(1...20))ms) db=ok; restarting pqcrypta-api (attempt \(rng.int(1...3)))"
        case "bot_detection":
            l.level = rng.chance(0.8) ? "info" : "warn"
            l.message = "bot score=\(rng.int(0...100)) ip=\(attacker) ua=\"\(pick(["Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "python-requests/2.31.0", "curl/8.4.0", "Go-http-client/1.1", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Safari/537.36"], &rng))\" path=\(pick(paths, &rng)) action=\(pick(["allow", "allow", "challenge", "block"], &rng))"
        case "blocklist":
            l.level = rng.chance(0.95) ? "info" : "error"
            l.message = l.level == "info"
                ? "blocklist sync complete: \(rng.int(10000...90000)) entries (\(rng.int(0...500)) added, \(rng.int(0...500)) removed) from \(pick(["spamhaus-drop", "firehol-level1", "abuseipdb"], &rng)) in \(rng.int(100...5000))ms"
                : "blocklist sync failed: HTTP \(pick([403, 429, 500, 503], &rng)) from \(pick(["spamhaus-drop", "abuseipdb"], &rng)); keeping previous list (\(rng.int(10000...90000)) entries)"
        case "kernel":
            l.component = "kernel"
            l.context = "{\"host\":\"api-01\"}"
            if rng.chance(0.85) {
                l.message = "[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:\(rng.hex(2)):\(rng.hex(2)):\(rng.hex(2)):fe:ff:ff:ff:ff:ff:08:00 SRC=\(attacker) DST=10.0.0.2 LEN=\(rng.int(40...60)) TOS=0x00 PREC=0x00 TTL=\(rng.int(40...250)) ID=\(rng.int(1...65535)) PROTO=TCP SPT=\(rng.int(1024...65535)) DPT=\(pick([22, 23, 3389, 5432, 6379, 8080, 445], &rng)) WINDOW=\(rng.int(1024...65535)) RES=0x00 SYN URGP=0"
            } else {
                l.level = pick(["warn", "error", "info"], &rng)
                l.message = pick([
                    "TCP: request_sock_TCP: Possible SYN flooding on port 443. Sending cookies.  Check SNMP counters.",
                    "Out of memory: Killed process \(pid) (php-fpm) total-vm:\(rng.int(100000...900000))kB, anon-rss:\(rng.int(10000...90000))kB",
                    "EXT4-fs (sda1): warning: mounting fs with errors, running e2fsck is recommended",
                    "nf_conntrack: nf_conntrack: table full, dropping packet (\(rng.int(1...500)) dropped)",
                ], &rng)
            }
        case "fail2ban":
            l.component = pick(["fail2ban.filter", "fail2ban.actions"], &rng)
            let action = l.component == "fail2ban.actions" ? pick(["Ban", "Unban", "Ban"], &rng) : "Found"
            l.level = action == "Ban" ? "notice" : "info"
            l.context = "{\"pid\":\(rng.int(500...900)),\"jail\":\"\(pick(["sshd", "sshd", "apache-auth", "recidive"], &rng))\",\"action\":\"\(action)\",\"client_ip\":\"\(attacker)\"}"
            l.message = action == "Found"
                ? "[sshd] Found \(attacker) - 2025-11-\(rng.int(10...28)) \(rng.int(10...23)):\(rng.int(10...59)):\(rng.int(10...59)) (failures \(rng.int(1...5))/5 within 600s)"
                : "[sshd] \(action) \(attacker) (bantime 3600s, total bans for this address: \(rng.int(1...40)))"
        default:  // certbot
            l.component = "certbot.renewal"
            l.level = rng.chance(0.9) ? "info" : "warn"
            l.message = "Cert not yet due for renewal: /etc/letsencrypt/renewal/api.pqcrypta.com.conf expires in \(rng.int(30...89)) days (2026-0\(rng.int(1...9))-1\(rng.int(0...9)))"
        }
        return l
    }
}

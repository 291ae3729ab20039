import ByteKit
import PluginKit

/// Settings of the security rules (`[plugin.intelligence]`).
public struct SecurityRules: Sendable, Equatable {
    /// More failed SSH logins than this from one address in `windowSeconds` is brute force.
    public var sshFailures = 5
    /// More firewall blocks than this from one address in `windowSeconds`.
    public var firewallBlocks = 10
    public var windowSeconds = 300
    public init() {}
}

/// What one security run found.
public struct SecurityRunSummary: Sendable, Equatable {
    public var bruteForce: [String] = []
    public var compromises = 0
    public var bans = 0
    public var firewall = 0
}

/// SSH brute force, a successful login from a brute-forcing address, fail2ban
/// bans and firewall blocks, from the fields the LogSources parsers extract.
///
/// - ALERT `ssh_brute_force` per address (key `ssh_brute_force:<ip>`): more than
///   `sshFailures` failed logins in the window, with the users tried; reported
///   while it goes on, so the host resolves it once the address is quiet.
/// - ALERT `ssh_login_after_brute_force`, critical: a successful login from an
///   address that brute-forced this host in the last 24 hours; reported for 24
///   hours (from the alerts table, so a restart does not drop it).
/// - RECOMMENDATION `ssh_hardening` while any brute force is on, with numbered
///   steps and exact commands.
/// - INSIGHT `fail2ban_ban` per jail and address banned (linked to the
///   address's SSH alert), `firewall_block` per address with more than
///   `firewallBlocks` blocks.
public final class SecurityAnalyzer: @unchecked Sendable {
    public static let name = "security"
    public let hostname: String
    public let rules: SecurityRules
    private let sql: IntelSQL

    public init(hostname: String, sql: IntelSQL, rules: SecurityRules = SecurityRules()) {
        self.hostname = hostname
        self.sql = sql
        self.rules = rules
    }

    @discardableResult
    public func run(now: Double, report: (Finding) throws -> Void) throws -> SecurityRunSummary {
        var summary = SecurityRunSummary()
        let window = String(rules.windowSeconds)
        var attackers: [String: Int] = [:]
        for row in try sql.query(SecurityQueries.recentBruteForce, [hostname, String(now)]) {
            if let ip = row[0] { attackers[ip] = row[1].flatMap { Double($0) }.map { Int($0) } ?? 0 }
        }

        // One pass over the window (and the one before it, for logins and bans,
        // so no run boundary hides one).
        let events = try sql.query(SecurityQueries.events, [hostname, String(now), window])
        var ssh: [(ip: String, row: [String?])] = [], bans: [[String?]] = [], blocks: [[String?]] = []
        for row in events where row.count >= 16 {
            guard let kind = row[0], let ip = row[1] else { continue }
            switch kind {
            case "ssh": ssh.append((ip, row))
            case "ban": bans.append(row)
            default: blocks.append(row)
            }
        }

        for (ip, row) in ssh.sorted(by: { $0.ip < $1.ip }) {
            let accepted = row[12].flatMap { Int($0) } ?? 0
            guard accepted > 0, attackers[ip] != nil || Self.attempts(row) > rules.sshFailures else { continue }
            let users = Self.names(row[13])
            for user in users.isEmpty ? [""] : users {
                try report(Self.compromise(ip: ip, user: user, failures: max(attackers[ip] ?? 0, Self.attempts(row)),
                                           at: row[15].flatMap { Double($0) } ?? now))
                summary.compromises += 1
            }
        }
        var reportedCompromise = Set<String>()
        for row in try sql.query(SecurityQueries.openCompromises, [hostname, String(now)]) {
            // Still within 24 hours: reported again so it stays open (updated, not duplicated).
            guard let key = row[0], let title = row[2], !reportedCompromise.contains(key) else { continue }
            reportedCompromise.insert(key)
            let f = Finding(kind: .alert, severity: .critical, key: key, domain: "security", metric: "ssh_login_after_brute_force",
                            target: row[1], title: title, description: row[3], action: Self.compromiseAction(ip: row[1] ?? ""),
                            value: row[4].flatMap { Double($0) } ?? .nan)
            try report(f)
        }

        for (ip, row) in ssh.sorted(by: { $0.ip < $1.ip }) {
            let attempts = Self.attempts(row)
            guard attempts > rules.sshFailures else { continue }
            try report(Self.bruteForce(ip: ip, attempts: attempts, users: Self.names(row[6]),
                                       first: row[7].flatMap { Double($0) } ?? now, last: row[8].flatMap { Double($0) } ?? now,
                                       window: rules.windowSeconds))
            summary.bruteForce.append(ip)
        }
        if !summary.bruteForce.isEmpty {
            try report(Self.hardening(addresses: summary.bruteForce.sorted()))
        }

        for row in bans {
            guard let ip = row[1], let jail = row[2] else { continue }
            var ctx = JSONWriter(capacity: 128)
            ctx.beginObject()
            ctx.key("jail"); ctx.value(jail)
            ctx.key("ip"); ctx.value(ip)
            if attackers[ip] != nil || summary.bruteForce.contains(ip) { ctx.key("ssh_alert_key"); ctx.value("ssh_brute_force:\(ip)") }
            ctx.endObject()
            var f = Finding(kind: .insight, severity: .info, key: "fail2ban_ban:\(jail):\(ip)", domain: "security", metric: "fail2ban_ban",
                            target: ip, title: "fail2ban banned \(ip) in jail \(jail)", value: row[14].flatMap { Double($0) } ?? 1,
                            dedupWindowSecs: 3_600)
            f.type = "fail2ban_ban"
            f.metricKey = jail
            f.contextJSON = ctx.text
            try report(f)
            summary.bans += 1
        }

        for row in blocks {
            guard let ip = row[1], let n = row[9].flatMap({ Int($0) }), n > rules.firewallBlocks else { continue }
            var ctx = JSONWriter(capacity: 128)
            ctx.beginObject()
            ctx.key("src_ip"); ctx.value(ip)
            ctx.key("blocks"); ctx.value(n)
            ctx.key("dst_ports"); ctx.beginArray(); for port in Self.names(row[10]) { ctx.value(port) }; ctx.endArray()
            ctx.key("protocols"); ctx.beginArray(); for proto in Self.names(row[11]) { ctx.value(proto) }; ctx.endArray()
            ctx.endObject()
            var f = Finding(kind: .insight, severity: n > 10 * rules.firewallBlocks ? .warn : .info, key: "firewall_block:\(ip)",
                            domain: "security", metric: "firewall_block", target: ip,
                            title: "Firewall blocked \(ip) \(n) times in \(rules.windowSeconds / 60) minutes",
                            value: Double(n), threshold: Double(rules.firewallBlocks), dedupWindowSecs: 3_600)
            f.type = "firewall_block"
            f.contextJSON = ctx.text
            try report(f)
            summary.firewall += 1
        }
        return summary
    }

    /// One attempt often writes several lines (sshd's `Failed password`, PAM's
    /// `authentication failure`, `Invalid user`): the largest family counts.
    /// Columns 3-5 of `SecurityQueries.events`.
    static func attempts(_ row: [String?]) -> Int {
        max(row[3].flatMap { Int($0) } ?? 0, row[4].flatMap { Int($0) } ?? 0, row[5].flatMap { Int($0) } ?? 0)
    }

    static func names(_ json: String?) -> [String] {
        guard let json, case .success(.array(let items)) = JSONParser.parse(Array(json.utf8)) else { return [] }
        return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
    }

    static func bruteForce(ip: String, attempts: Int, users: [String], first: Double, last: Double, window: Int) -> Finding {
        let shown = users.prefix(5).joined(separator: ", ") + (users.count > 5 ? ", …" : "")
        var ctx = JSONWriter(capacity: 256)
        ctx.beginObject()
        ctx.key("ip"); ctx.value(ip)
        ctx.key("failed_logins"); ctx.value(attempts)
        ctx.key("users"); ctx.beginArray(); for u in users { ctx.value(u) }; ctx.endArray()
        ctx.key("first_seen"); ctx.value(exactly: first)
        ctx.key("last_seen"); ctx.value(exactly: last)
        ctx.key("window_secs"); ctx.value(window)
        ctx.endObject()
        var f = Finding(kind: .alert, severity: attempts > 100 ? .critical : .warn, key: "ssh_brute_force:\(ip)", domain: "security",
                        metric: "ssh_brute_force", target: ip,
                        title: "SSH brute force from \(ip): \(attempts) failed logins in \(window / 60) minutes" + (shown.isEmpty ? "" : " (users: \(shown))"),
                        description: "Failed SSH logins from \(ip) for \(users.count) user name\(users.count == 1 ? "" : "s"); the alert resolves once the address is quiet for \(window / 60) minutes.",
                        action: "Block the address: ufw deny from \(ip) (or: fail2ban-client set sshd banip \(ip)).",
                        value: Double(attempts), threshold: 5)
        f.contextJSON = ctx.text
        return f
    }

    static func compromise(ip: String, user: String, failures: Int, at: Double) -> Finding {
        var f = Finding(kind: .alert, severity: .critical, key: "ssh_login_after_brute_force:\(ip):\(user)", domain: "security",
                        metric: "ssh_login_after_brute_force", target: ip,
                        title: "Successful SSH login\(user.isEmpty ? "" : " as \(user)") from \(ip), which was brute-forcing this host (\(failures) failed logins)",
                        description: "A login from an address that failed to log in many times in the last 24 hours may be a compromised account.",
                        action: compromiseAction(ip: ip), value: Double(failures))
        var ctx = JSONWriter(capacity: 128)
        ctx.beginObject()
        ctx.key("ip"); ctx.value(ip)
        ctx.key("user"); ctx.value(user)
        ctx.key("failed_logins"); ctx.value(failures)
        ctx.key("login_at"); ctx.value(exactly: at)
        ctx.endObject()
        f.contextJSON = ctx.text
        return f
    }

    static func compromiseAction(ip: String) -> String {
        """
        1. See who is logged in from the address: who; last -i | grep \(ip)
        2. Block it now: ufw deny from \(ip)
        3. Lock the account and end its sessions if the login was not expected: usermod -L USER; pkill -KILL -u USER
        4. Check what it did: journalctl _COMM=sshd --since -24h | grep \(ip); ls -la ~USER/.ssh/authorized_keys
        """
    }

    static func hardening(addresses: [String]) -> Finding {
        let list = addresses.prefix(10).joined(separator: " ")
        return Finding(
            kind: .recommendation, severity: .warn, key: "ssh_hardening", domain: "security", metric: "ssh_brute_force",
            title: "SSH is being brute-forced from \(addresses.count) address\(addresses.count == 1 ? "" : "es"): harden sshd",
            description: "Failed-login bursts from \(list). Password logins invite them; keys and fail2ban stop them.",
            action: """
                1. List the attacking addresses: psql -c "SELECT target, value, last_seen FROM collector.alerts WHERE type = 'ssh_brute_force' AND status = 'open' ORDER BY value DESC"
                2. Block them: for ip in \(list); do ufw deny from "$ip"; done
                3. Check fail2ban's sshd jail is on and banning: fail2ban-client status sshd
                4. Turn password logins off (keys only): set PasswordAuthentication no and PermitRootLogin prohibit-password in /etc/ssh/sshd_config, then sshd -t && systemctl reload ssh
                """,
            value: Double(addresses.count))
    }
}

import ByteKit
/// What to do about a recurring error: numbered steps with exact commands, by
/// what the template says (PostgreSQL connections, deadlocks, permissions, disk
/// and I/O) and by source. One table, so a new remedy is one entry.
public struct ErrorRemedy: Sendable, Equatable {
    public var category: String
    public var title: String
    public var steps: [String]

    /// Numbered, one per line (the recommendations' `action`).
    public var action: String {
        ActionSteps.numbered(steps)
    }

    struct Rule: Sendable {
        var category: String
        var title: String
        /// Lowercased fragments; any one matches the template or the source.
        var any: [String]
        var steps: @Sendable (_ source: String) -> [String]
    }

    static let rules: [Rule] = [
        Rule(category: "disk_io", title: "disk or I/O errors",
             any: ["i/o error", "no space left", "ext4-fs error", "xfs", "blk_update_request", "buffer i/o", "read-only file system",
                   "medium error", "smart"],
             steps: { _ in [
                 "Read the kernel's view: dmesg -T | grep -iE 'error|fail|I/O' | tail -50",
                 "Check space and inodes: df -h; df -i",
                 "Check the disk's health: smartctl -a /dev/sdX (apt-get install smartmontools), and the RAID if any: cat /proc/mdstat",
                 "If a file system went read-only: mount | grep ' ro,'; plan a fsck at the next maintenance window",
             ] }),
        Rule(category: "db_connection", title: "PostgreSQL connection errors",
             any: ["no pg_hba.conf entry", "password authentication failed", "too many connections", "connection refused",
                   "could not connect", "remaining connection slots", "terminating connection", "connection to server"],
             steps: { _ in [
                 "Who is refused and why: grep -E 'pg_hba|authentication failed|too many' /var/log/postgresql/*.log | tail -20",
                 "Check the rule for that user, database and address in pg_hba.conf (SHOW hba_file;), then SELECT pg_reload_conf();",
                 "Check the server is listening where clients connect: pg_isready -h HOST -p 5432; ss -ltnp | grep 5432",
                 "If slots run out: SELECT count(*), state FROM pg_stat_activity GROUP BY state; compare with SHOW max_connections; put a pooler (PgBouncer) in front",
             ] }),
        Rule(category: "db_deadlock", title: "deadlocks",
             any: ["deadlock detected", "deadlock"],
             steps: { _ in [
                 "Find the statements: grep -A 5 'deadlock detected' /var/log/postgresql/*.log | tail -40",
                 "Make transactions take their row locks in the same order (e.g. sort the keys they update), and keep them short",
                 "Look for long transactions holding locks: SELECT pid, now() - xact_start, state, query FROM pg_stat_activity WHERE xact_start IS NOT NULL ORDER BY 2 DESC LIMIT 10",
                 "Log lock waits to see them coming: ALTER SYSTEM SET log_lock_waits = on; SELECT pg_reload_conf();",
             ] }),
        Rule(category: "permission", title: "permission denied",
             any: ["permission denied", "operation not permitted", "eacces", "access denied"],
             steps: { source in [
                 "Find the path or object: journalctl --since -1h | grep -i 'permission denied' | tail -20 (or the \(source) log)",
                 "Check ownership and modes along the path: namei -l PATH",
                 "Check which user the service runs as: systemctl show -p User,Group SERVICE; ps -o user= -p PID",
                 "Fix the owner or mode (chown USER:GROUP PATH; chmod ...), or for a database object: GRANT ... TO role",
             ] }),
    ]

    /// The remedy for a recurring error template of a source (the generic one
    /// when nothing specific matches).
    public static func forTemplate(_ template: String, source: String) -> ErrorRemedy {
        let text = (template + " " + source).lowercased()
        for rule in rules where rule.any.contains(where: { text.includes($0) }) {
            return ErrorRemedy(category: rule.category, title: rule.title, steps: rule.steps(source))
        }
        return ErrorRemedy(category: "logs", title: "a recurring error", steps: generic(source: source))
    }

    static func generic(source: String) -> [String] {
        var steps = ["See the latest lines: psql -c \"SELECT ts, message FROM collector.log_entries WHERE source = '\(source)' AND level IN ('error', 'fatal') ORDER BY ts DESC LIMIT 20\""]
        switch source {
        case "nginx", "proxy": steps.append("Check the configuration and the upstreams: nginx -t; curl -sS -o /dev/null -w '%{http_code}' http://127.0.0.1/")
        case "postgresql": steps.append("Check the server: pg_isready; psql -c 'SELECT * FROM pg_stat_activity WHERE wait_event IS NOT NULL'")
        case "apache_error": steps.append("Check the configuration: apachectl configtest")
        case "kernel": steps.append("Read the kernel ring buffer: dmesg -T | tail -50")
        default: steps.append("Read the service's journal: journalctl -u \(source) --since -1h | tail -50")
        }
        steps.append("Fix the cause or, if the line is expected, lower its level at the source so it stops counting as an error")
        return steps
    }
}

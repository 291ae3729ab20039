/// The security analyzer's SQL over the fields the LogSources parsers extract
/// (docs/log-fields.md): sshd's `ssh_event`, `user`, `client_ip`; fail2ban's
/// `jail`, `action`, `client_ip`; the kernel firewall's `action`, `src_ip`,
/// `dst_port`, `proto`. Every statement reads a few minutes of one host's rows
/// (the BRIN index on `ts`).
public enum SecurityQueries {
    /// Per client address, sshd events in (to_timestamp($2) - $3 seconds,
    /// to_timestamp($2)]: failed authentications (any method), invalid users,
    /// PAM failures, successful logins, up to 20 user names, first and last time.
    public static let sshByAddress = """
        SELECT context->>'client_ip' AS ip,
               count(*) FILTER (WHERE context->>'ssh_event' LIKE 'failed\\_%'),
               count(*) FILTER (WHERE context->>'ssh_event' IN ('invalid_user', 'unknown_user', 'user_not_allowed')),
               count(*) FILTER (WHERE context->>'ssh_event' IN ('auth_failure', 'too_many_failures')),
               count(*) FILTER (WHERE context->>'ssh_event' = 'accepted'),
               array_to_json((array_agg(DISTINCT context->>'user') FILTER (WHERE context->>'user' IS NOT NULL AND context->>'ssh_event' <> 'accepted'))[1:20])::text,
               array_to_json(array_agg(DISTINCT context->>'user') FILTER (WHERE context->>'ssh_event' = 'accepted'))::text,
               extract(epoch FROM min(ts))::float8, extract(epoch FROM max(ts))::float8
        FROM collector.log_entries
        WHERE host = $1 AND ts > to_timestamp($2::float8 - $3::float8) AND ts <= to_timestamp($2::float8)
          AND context ? 'ssh_event' AND context ? 'client_ip'
        GROUP BY 1
        """

    /// Addresses with a brute-force alert seen in the 24 hours before to_timestamp($2).
    public static let recentBruteForce = """
        SELECT target, max(value), extract(epoch FROM max(last_seen))::float8 FROM collector.alerts
        WHERE host = $1 AND type = 'ssh_brute_force' AND last_seen > to_timestamp($2::float8) - interval '24 hours'
        GROUP BY target
        """

    /// Open compromise alerts of the last 24 hours (reported again until then).
    public static let openCompromises = """
        SELECT key, target, title, description, value FROM collector.alerts
        WHERE host = $1 AND type = 'ssh_login_after_brute_force' AND status = 'open'
          AND first_seen > to_timestamp($2::float8) - interval '24 hours'
        """

    /// fail2ban bans in the window: jail, address, count, last time.
    public static let bans = """
        SELECT context->>'jail', context->>'client_ip', count(*), extract(epoch FROM max(ts))::float8
        FROM collector.log_entries
        WHERE host = $1 AND ts > to_timestamp($2::float8 - $3::float8) AND ts <= to_timestamp($2::float8)
          AND context->>'action' IN ('ban', 'restore_ban', 'reban') AND context ? 'jail' AND context ? 'client_ip'
        GROUP BY 1, 2
        """

    /// Firewall blocks per source address in the window, with the ports and protocols hit.
    public static let blocks = """
        SELECT context->>'src_ip', count(*),
               array_to_json((array_agg(DISTINCT context->>'dst_port') FILTER (WHERE context ? 'dst_port'))[1:20])::text,
               array_to_json(array_agg(DISTINCT context->>'proto') FILTER (WHERE context ? 'proto'))::text
        FROM collector.log_entries
        WHERE host = $1 AND ts > to_timestamp($2::float8 - $3::float8) AND ts <= to_timestamp($2::float8)
          AND context->>'action' = 'block' AND context ? 'src_ip'
        GROUP BY 1 HAVING count(*) > $4::int
        """
}

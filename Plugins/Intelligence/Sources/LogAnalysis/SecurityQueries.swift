/// The security analyzer's SQL over the fields the LogSources parsers extract
/// (docs/log-fields.md): sshd's `ssh_event`, `user`, `client_ip`; fail2ban's
/// `jail`, `action`, `client_ip`; the kernel firewall's `action`, `src_ip`,
/// `dst_port`, `proto`. Every statement reads a few minutes of one host's rows
/// (the BRIN index on `ts`).
public enum SecurityQueries {
    /// One pass over the rows of the last 2 × $3 seconds before to_timestamp($2)
    /// that carry security fields, grouped by kind (`ssh`, `ban`, `block`),
    /// address and jail: 0 kind, 1 address, 2 jail, then over the last $3
    /// seconds (the window) 3 failed authentications (any method), 4 invalid
    /// users, 5 PAM failures, 6 up to 20 user names tried, 7 first and 8 last
    /// time, 9 rows, 10 destination ports, 11 protocols; over both windows 12
    /// successful logins, 13 their users, 14 rows, 15 last time.
    public static let events = """
        SELECT kind, ip, jail,
               count(*) FILTER (WHERE recent AND event LIKE 'failed\\_%'),
               count(*) FILTER (WHERE recent AND event IN ('invalid_user', 'unknown_user', 'user_not_allowed')),
               count(*) FILTER (WHERE recent AND event IN ('auth_failure', 'too_many_failures')),
               array_to_json((array_agg(DISTINCT usr) FILTER (WHERE recent AND usr IS NOT NULL AND event <> 'accepted'))[1:20])::text,
               extract(epoch FROM min(ts) FILTER (WHERE recent))::float8, extract(epoch FROM max(ts) FILTER (WHERE recent))::float8,
               count(*) FILTER (WHERE recent),
               array_to_json((array_agg(DISTINCT port) FILTER (WHERE recent AND port IS NOT NULL))[1:20])::text,
               array_to_json(array_agg(DISTINCT proto) FILTER (WHERE recent AND proto IS NOT NULL))::text,
               count(*) FILTER (WHERE event = 'accepted'),
               array_to_json(array_agg(DISTINCT usr) FILTER (WHERE event = 'accepted'))::text,
               count(*), extract(epoch FROM max(ts))::float8
        FROM (
          SELECT CASE WHEN context ? 'ssh_event' THEN 'ssh' WHEN context ? 'jail' THEN 'ban' ELSE 'block' END AS kind,
                 coalesce(context->>'client_ip', context->>'src_ip') AS ip, context->>'jail' AS jail,
                 context->>'ssh_event' AS event, context->>'user' AS usr, context->>'dst_port' AS port, context->>'proto' AS proto,
                 ts, ts > to_timestamp($2::float8 - $3::float8) AS recent
          FROM collector.log_entries
          WHERE host = $1 AND ts > to_timestamp($2::float8 - 2 * $3::float8) AND ts <= to_timestamp($2::float8)
            AND ((context ? 'ssh_event' AND context ? 'client_ip')
                 OR (context ? 'jail' AND context->>'action' IN ('ban', 'restore_ban', 'reban') AND context ? 'client_ip')
                 OR (context->>'action' = 'block' AND context ? 'src_ip'))
        ) e
        GROUP BY kind, ip, jail
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
}

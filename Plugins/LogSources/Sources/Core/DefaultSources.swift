import PluginKit

/// The log sources of the system being rebuilt, proposed to the host as
/// defaults (`register_source`). The operator changes one with a
/// `[[logs.sources]]` entry of the same name (`enabled = false` turns it off),
/// or drops them all with `[logs] default_sources = false`;
/// `pqcrypta-collector check-config` lists the effective set.
public enum DefaultSources {
    public static let all: [LogSourceDefault] = [
        .file("postgresql", "/var/log/postgresql/postgresql-16-main.log", parser: "postgresql"),
        .journal("api", unit: "pqcrypta-api", parser: "journalctl"),
        .journal("proxy", unit: "pqcrypta-proxy", parser: "journalctl"),
        .journal("collector", unit: "pqcrypta-collector", parser: "journalctl"),
        .file("auth", "/var/log/auth.log", parser: "syslog"),
        .file("fail2ban", "/var/log/fail2ban.log", parser: "fail2ban"),
        .file("apache_error", "/var/log/apache2/api.pqcrypta.com-error.log", parser: "apache_error"),
        .file("apache_internal_error", "/var/log/apache2/pqcrypta-internal-error.log", parser: "apache_error"),
        .file("health_check", "/var/log/pqcrypta_health_check.log", parser: "simple_timestamp"),
        .file("blocklist", "/var/log/pqcrypta-proxy/blocklist_sync.log", parser: "simple_timestamp"),
        .file("bot_detection", "/var/log/pqcrypta-proxy/bot_detection.log", parser: "simple_timestamp"),
        .file("kernel", "/var/log/kern.log", parser: "syslog"),
        .file("certbot", "/var/log/letsencrypt/letsencrypt.log", parser: "certbot"),
    ]
}

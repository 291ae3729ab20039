/// Builds a libpq keyword/value connection string from the database config.
/// Keys left out fall back to libpq's own `PG*` variables and defaults.
package enum ConnectionString {
    package static func make(_ db: DatabaseConfig, applicationName: String = "pqcrypta-collector", statementTimeoutMs: Int? = nil) -> String {
        var parts: [(String, String)] = [
            ("host", db.host),
            ("port", String(db.port)),
            ("dbname", db.name),
            ("user", db.user),
            ("sslmode", db.sslmode),
            // Always explicit: libpq's default (`prefer`) would probe Kerberos on every
            // connect; `DatabaseConfig.gssencmode` says why `disable` is ours.
            ("gssencmode", db.gssencmode),
            ("connect_timeout", String(db.connectTimeoutSecs)),
            ("application_name", applicationName),
        ]
        if !db.password.isEmpty { parts.append(("password", db.password)) }
        // NOTICEs ("schema already exists, skipping") are noise in a daemon's log.
        var options = "-c client_min_messages=warning"
        if let statementTimeoutMs { options += " -c statement_timeout=\(statementTimeoutMs)" }
        parts.append(("options", options))
        return parts.map { "\($0.0)=\(quote($0.1))" }.joined(separator: " ")
    }

    /// libpq's quoting: single quotes, with \ and ' escaped by a backslash.
    package static func quote(_ value: String) -> String {
        var out = "'"
        for ch in value {
            if ch == "\\" || ch == "'" { out.append("\\") }
            out.append(ch)
        }
        return out + "'"
    }
}

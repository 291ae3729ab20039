/// The parsers this plugin registers, by the names sources refer to.
///
/// The glue registers one `pqc_parser_def` per case (`name` = raw value) and its
/// `create` calls `makeParser(time:)`; state is then one `any LogLineParser` per source.
public enum LogFormat: String, Sendable, CaseIterable {
    case postgresql
    case journalctl
    case syslog
    case apacheError = "apache_error"
    case simpleTimestamp = "simple_timestamp"
    case fail2ban
    case certbot

    /// A fresh parser with its own per-source state.
    public func makeParser(time: LogTimeContext) -> any LogLineParser {
        switch self {
        case .postgresql: return PostgreSQLParser(time: time)
        case .journalctl: return JournalctlParser()
        case .syslog: return SyslogParser(time: time)
        case .apacheError: return ApacheErrorParser(time: time)
        case .simpleTimestamp: return SimpleTimestampParser(time: time)
        case .fail2ban: return Fail2banParser(time: time)
        case .certbot: return CertbotParser(time: time)
        }
    }

    /// The parser for a source's configured parser name, or nil for a name this
    /// plugin does not provide (it may belong to another plugin).
    public static func makeParser(named name: String, time: LogTimeContext) -> (any LogLineParser)? {
        LogFormat(rawValue: name)?.makeParser(time: time)
    }
}

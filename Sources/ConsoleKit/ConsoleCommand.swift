import CollectorCore
import Hummingbird
import Logging

/// `pqcrypta-console [--config FILE] [--listen ADDR:PORT]`: reads the
/// collector's configuration for the database and `[console]`, then serves
/// until SIGTERM or SIGINT.
package enum ConsoleCommand {
    package static let spec = CommandSpec(
        name: "console", abstract: "pqcrypta-console: the collector's web console and /metrics, over its database.",
        options: [
            ConfigOption.spec,
            .value("listen", "addr:port", "Address to serve on (default: [console] listen, else 127.0.0.1:8470). Anything but loopback needs [console] token."),
        ])

    package struct Listen: Equatable, Sendable {
        package var host: String
        package var port: Int
    }

    /// `127.0.0.1:8470`, `[::1]:8470`, `0.0.0.0:80`.
    package static func parseListen(_ text: String) -> Listen? {
        var host: Substring
        var port: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return nil }
            port = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            host = text[..<colon]
            port = text[text.index(after: colon)...]
        }
        guard !host.isEmpty, let p = Int(port), (0...65535).contains(p) else { return nil }
        return Listen(host: String(host), port: p)
    }

    package static func run(_ words: [String]) async -> Int32 {
        let parsed: ParsedArguments
        do { parsed = try spec.parse(words) } catch {
            ProcessEnvironment.printError("error: \(error.description)\nusage: pqcrypta-console [--config FILE] [--listen ADDR:PORT]")
            return 64
        }
        if parsed.helpRequested {
            print(spec.help.replacing("pqcrypta-collector console", with: "pqcrypta-console"))
            return 0
        }
        let config: CollectorConfig
        do { config = try ConfigOption(parsed).load() } catch { return error.status }
        let listenText = parsed.string("listen") ?? config.console.listen
        guard let listen = parseListen(listenText) else {
            ProcessEnvironment.printError("error: --listen must be ADDR:PORT, not '\(listenText)'")
            return 64
        }
        var settings = ConsoleSettings()
        settings.host = listen.host
        settings.port = listen.port
        settings.token = config.console.token
        settings.statsPath = config.collector.stateDir + "/stats.json"
        settings.localHost = config.collector.hostname
        settings.heartbeatSecs = config.intervals.heartbeatSecs
        if !settings.isLoopback && settings.token.isEmpty {
            ProcessEnvironment.printError("""
                error: refusing to serve on \(listenText) without a token: anyone who can reach it could read the \
                collector's data and acknowledge findings. Set [console] token (or PQC_CONSOLE_TOKEN), or listen on 127.0.0.1.
                """)
            return 2
        }
        LoggingSetup.bootstrap(levelText: config.collector.logLevel)
        let logger = Logging.Logger(label: "console")
        let database = ConsoleDatabase(config: config.database)
        defer { database.shutdown() }
        let server = ConsoleServer(database: database, settings: settings)
        let access = settings.token.isEmpty ? "no token (loopback only)"
            : "token required (Authorization: Bearer, or sign in at /login)"
        let app = server.makeApplication(logger: logger) { port in
            logger.info("pqcrypta-console serving http://\(listen.host.contains(":") ? "[\(listen.host)]" : listen.host):\(port)/ — \(access); database \(config.database.user)@\(config.database.host):\(config.database.port)/\(config.database.name)")
        }
        do {
            try await app.runService()
            return 0
        } catch {
            ProcessEnvironment.printError("error: \(error)")
            return 1
        }
    }
}

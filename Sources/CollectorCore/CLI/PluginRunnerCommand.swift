#if canImport(Glibc)
import Glibc
#endif

/// `pqcrypta-collector plugin-runner FILE.so`: the child process of an
/// isolated plugin (see `PluginRunner`). Started by the daemon only, with its
/// socket on fd 3 and the progress page on fd 4; hidden from the overview.
package struct PluginRunnerCommand: CollectorSubcommand {
    package static let spec = CommandSpec(
        name: "plugin-runner", abstract: "Serve one isolated plugin to the daemon (started by the daemon, not by hand).",
        options: [ConfigOption.spec], arguments: [.init(name: "file", help: "The plugin's shared library.")], hidden: true)

    package let options: ConfigOption
    package let file: String

    package init(_ arguments: ParsedArguments) {
        options = ConfigOption(arguments)
        file = arguments.arguments[0]
    }

    package func run() throws {
        // A runner stuck in plugin code must not outlive the daemon that started
        // it. (Not PR_SET_PDEATHSIG: that fires when the daemon *thread* that
        // spawned the runner exits, and tick threads exit at shutdown.)
        let daemon = getppid()
        let watchdog = WorkerThread(name: "parent-watch") {
            while getppid() == daemon { usleep(500_000) }
            _exit(1)
        }
        watchdog.start()
        guard fcntl(PluginRunner.socketFD, F_GETFD) >= 0 else {
            ProcessEnvironment.printError("error: plugin-runner is started by the daemon for isolated plugins ([plugin.<name>] isolate = true)")
            throw CommandExit(64)
        }
        signal(SIGPIPE, SIG_IGN)
        RunCommand.limitMallocArenas()
        let config = try options.load(quiet: true)
        LoggingSetup.bootstrap(levelText: config.collector.logLevel)
        let status = PluginRunner.serve(path: file, config: config)
        if status != 0 { throw CommandExit(status) }
    }
}

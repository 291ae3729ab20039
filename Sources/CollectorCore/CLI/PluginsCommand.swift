import PluginABI

/// `plugins`: loads and initialises the configured plugins (no ticks run) and
/// lists what each registered and what was refused and why.
package struct PluginsCommand: CollectorSubcommand {
    package static let spec = CommandSpec(name: "plugins", abstract: "List loaded plugins, their registrations, and refused plugins with reasons.",
                                  options: [ConfigOption.spec])

    package let options: ConfigOption

    package init(_ arguments: ParsedArguments) { options = ConfigOption(arguments) }

    package func run() throws {
        let config = try options.load(quiet: true)
        LoggingSetup.bootstrap(levelText: "error")
        let services = HostServices.offline(config)
        let report = PluginLoader(services: services).loadAll()
        for plugin in report.loaded {
            print("\(plugin.name) \(plugin.version)  \(plugin.path)")
            if !plugin.summary.isEmpty { print("  \(plugin.summary)") }
            for t in plugin.ticks {
                let interval = TickPlanner.intervalSecs(t, plugin: plugin, config: config)
                print("  tick     \(t.name)  every \(interval)s  group \(t.group?.rawValue ?? "-")  lane \(t.lane.rawValue)")
            }
            for p in plugin.parsers { print("  parser   \(p.name)") }
            for a in plugin.analyzers { print("  analyzer \(a.name)  on \(a.group.rawValue)") }
            for t in plugin.tables {
                // Typed targets (table_open_typed) list each column's declared value type.
                let columns = t.columns.enumerated().map { i, c in t.declared.map { "\(c) \(ValueTypes.name($0[i].rawValue))" } ?? c }
                print("  table    \(t.target.table) (\(columns.joined(separator: ", "))\(t.declared == nil ? "; untyped" : ""))")
            }
            for m in plugin.migrations { print("  migration \(plugin.name)/\(m.name)") }
        }
        for s in report.skipped { print("disabled  \(s.name)  \(s.path)") }
        for r in report.refused { print("refused   \(r.path): \(r.reason)") }
        if report.loaded.isEmpty && report.refused.isEmpty { print("no plugins found") }
        report.shutDown()
        // A refused plugin is a failed check for scripts and CI, even though the
        // daemon would still start with the others.
        if !report.refused.isEmpty { throw CommandExit(1) }
    }
}

/// `plugin check FILE.so`: prints the descriptor and any mismatch, without init().
package struct PluginCheckCommand: CollectorSubcommand {
    package static let spec = CommandSpec(
        name: "plugin check", abstract: "Print a plugin's descriptor and whether this host would load it (init is not called).",
        arguments: [.init(name: "file", help: "The plugin's shared library.")])

    package let file: String

    package init(_ arguments: ParsedArguments) { file = arguments.arguments[0] }

    package func run() throws {
        let path = file.contains("/") ? file : "./" + file
        let opened: DescriptorCheck.Opened
        do {
            opened = try DescriptorCheck.open(path)
        } catch {
            ProcessEnvironment.printError("error: \(error.description)")
            throw CommandExit(1)
        }
        let d = opened.descriptor.pointee
        print("file:        \(path)")
        print("name:        \(opened.name)")
        print("version:     \(d.version.map { String(cString: $0) } ?? "")")
        if let description = d.description { print("description: \(String(cString: description))") }
        print("abi:         \(d.abi_major).\(d.abi_minor) (host \(CollectorVersion.abi))")
        print("struct_size: \(d.struct_size) (host \(MemoryLayout<pqc_plugin_descriptor>.size))")
        // The ABI is the plugin's; ownership and mode belong to where the file is
        // installed. Either refusal fails the check: the daemon would not load it.
        if let problem = PluginFileCheck.problem(path: path) {
            print("abi check:   ok")
            print("file check:  refused: the daemon would not load this file where it is: \(problem)")
            ProcessEnvironment.printError("error: \(path): \(problem)")
            throw CommandExit(1)
        } else {
            print("abi check:   ok (loadable from here)")
        }
    }
}

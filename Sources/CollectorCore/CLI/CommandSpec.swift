/// What one command accepts: parses its arguments and renders its help.
///
/// The host parses its own command line rather than using
/// swift-argument-parser, whose FoundationEssentials import costs the running
/// daemon ~2 MB of RSS (a tenth of its budget) for a few dozen options; see
/// docs/benchmarks.md, "Daemon footprint".
package struct CommandSpec: Sendable {
    package struct Option: Sendable {
        /// Long name without the dashes: `config` for `--config`.
        package let name: String
        /// Placeholder in the help, e.g. `FILE`; nil for a flag.
        package let value: String?
        package let help: String

        package static func value(_ name: String, _ placeholder: String, _ help: String) -> Option {
            Option(name: name, value: placeholder, help: help)
        }

        package static func flag(_ name: String, _ help: String) -> Option {
            Option(name: name, value: nil, help: help)
        }
    }

    package struct Argument: Sendable {
        package let name: String
        package let help: String
        /// May be left out; only trailing arguments may be optional.
        package var optional = false
    }

    /// As typed after the program name: `run`, `plugin check`.
    package let name: String
    package let abstract: String
    package var options: [Option] = []
    package var arguments: [Argument] = []
    /// Tools (benchmarks) that the top-level help does not list.
    package var hidden = false

    package init(name: String, abstract: String, options: [Option] = [], arguments: [Argument] = [], hidden: Bool = false) {
        self.name = name
        self.abstract = abstract
        self.options = options
        self.arguments = arguments
        self.hidden = hidden
    }

    package var usage: String {
        var parts = ["pqcrypta-collector", name]
        if !options.isEmpty { parts.append("[options]") }
        parts += arguments.map { $0.optional ? "[<\($0.name)>]" : "<\($0.name)>" }
        return parts.joined(separator: " ")
    }

    package var help: String {
        var lines = [abstract, "", "usage: \(usage)"]
        if !arguments.isEmpty {
            lines += ["", "arguments:"]
            for a in arguments { lines.append("  " + Self.column("<\(a.name)>") + a.help) }
        }
        lines += ["", "options:"]
        for o in options {
            lines.append("  " + Self.column("--\(o.name)" + (o.value.map { " <\($0)>" } ?? "")) + o.help)
        }
        lines.append("  " + Self.column("-h, --help") + "Show this help.")
        return lines.joined(separator: "\n")
    }

    /// Parses `words` (what follows the command's name). `--name value`,
    /// `--name=value`, flags, and positional arguments in order; `--` ends options.
    package func parse(_ words: [String]) throws(UsageError) -> ParsedArguments {
        var parsed = ParsedArguments()
        var i = 0
        var optionsEnded = false
        while i < words.count {
            let word = words[i]
            i += 1
            if !optionsEnded && (word == "-h" || word == "--help") {
                parsed.helpRequested = true
                continue
            }
            if !optionsEnded && word == "--" {
                optionsEnded = true
                continue
            }
            guard !optionsEnded, word.hasPrefix("-"), word != "-" else {
                parsed.arguments.append(word)
                continue
            }
            var name = word.hasPrefix("--") ? String(word.dropFirst(2)) : String(word.dropFirst())
            var inlineValue: String?
            if let eq = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let option = options.first(where: { $0.name == name }) else {
                throw UsageError("unknown option '\(word)' for '\(self.name)'", command: self)
            }
            if option.value == nil {
                if inlineValue != nil { throw UsageError("--\(name) takes no value", command: self) }
                parsed.flags.insert(name)
            } else if let inlineValue {
                parsed.values[name] = inlineValue
            } else {
                guard i < words.count else { throw UsageError("--\(name) needs a value <\(option.value ?? "")>", command: self) }
                parsed.values[name] = words[i]
                i += 1
            }
        }
        if !parsed.helpRequested {
            if parsed.arguments.count > arguments.count {
                throw UsageError("unexpected argument '\(parsed.arguments[arguments.count])' for '\(name)'", command: self)
            }
            if parsed.arguments.count < arguments.filter({ !$0.optional }).count {
                throw UsageError("missing <\(arguments[parsed.arguments.count].name)>", command: self)
            }
        }
        return parsed
    }

    private static func column(_ s: String) -> String {
        s.count >= 28 ? s + "  " : s + String(repeating: " ", count: 28 - s.count)
    }
}

/// One command's parsed arguments, read with typed accessors.
package struct ParsedArguments: Sendable {
    package var values: [String: String] = [:]
    package var flags: Set<String> = []
    package var arguments: [String] = []
    package var helpRequested = false

    package func string(_ name: String) -> String? { values[name] }

    package func flag(_ name: String) -> Bool { flags.contains(name) }

    /// An integer option, `fallback` when absent; a non-number is a usage error.
    package func int(_ name: String, default fallback: Int) throws(UsageError) -> Int {
        guard let text = values[name] else { return fallback }
        guard let n = Int(text) else { throw UsageError("--\(name) must be an integer, not '\(text)'") }
        return n
    }

    package func uint64(_ name: String, default fallback: UInt64) throws(UsageError) -> UInt64 {
        guard let text = values[name] else { return fallback }
        guard let n = UInt64(text) else { throw UsageError("--\(name) must be a non-negative integer, not '\(text)'") }
        return n
    }

    /// An option whose value must be one of `choices`.
    package func choice(_ name: String, _ choices: [String], default fallback: String) throws(UsageError) -> String {
        guard let text = values[name] else { return fallback }
        guard choices.contains(text) else {
            throw UsageError("--\(name) must be one of \(choices.joined(separator: ", ")), not '\(text)'")
        }
        return text
    }
}

/// A command line the host cannot run: printed with the command's usage, exit status 64.
package struct UsageError: Error, CustomStringConvertible {
    package let description: String
    package var usage: String?

    package init(_ message: String, command: CommandSpec? = nil) {
        description = message
        usage = command?.usage
    }
}

/// Ends a command with `status` (its message, if any, is already printed).
package struct CommandExit: Error {
    package let status: Int32
    package init(_ status: Int32) { self.status = status }
}

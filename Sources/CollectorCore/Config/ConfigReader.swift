import ByteKit
/// Reads typed values out of a `ConfigNode` tree, applying environment overrides,
/// remembering which keys it consumed (the rest are reported as unknown) and
/// writing the resolved values back so plugins see what the host uses.
package struct ConfigReader {
    package private(set) var resolved: ConfigNode
    private let file: ConfigNode
    private let environment: [String: String]
    private var consumed: Set<String> = []

    package init(file: ConfigNode, environment: [String: String]) {
        self.file = file
        self.resolved = file
        self.environment = environment
    }

    /// Where a value came from, for keys whose fallback order matters (`PG*` variables).
    package enum Source { case override, file, fallback, none }

    private mutating func lookup(_ key: String, env: [String], fallbackEnv: [String]) -> (ConfigNode?, String?, Source) {
        consumed.insert(key)
        for variable in env {
            if let value = environment[variable], !value.isEmpty { return (nil, variable, .override) }
        }
        if let node = file.node(at: key) { return (node, nil, .file) }
        for variable in fallbackEnv {
            if let value = environment[variable], !value.isEmpty { return (nil, variable, .fallback) }
        }
        return (nil, nil, .none)
    }

    package mutating func int(
        _ key: String, default defaultValue: Int, env: [String] = [], fallbackEnv: [String] = [],
        range: ClosedRange<Int>? = nil
    ) throws(ConfigError) -> Int {
        let (node, variable, _) = lookup(key, env: env, fallbackEnv: fallbackEnv)
        // A bad value in the file is an error even when the environment overrides it.
        if let fileNode = file.node(at: key), case .int = fileNode {} else if let fileNode = file.node(at: key) {
            throw .wrongType(key, expected: "an integer", found: fileNode)
        }
        var value = defaultValue
        if let variable, let text = environment[variable] {
            guard let parsed = Int(text.trimmingSpaces) else {
                throw .badEnvironment(variable, key: key, expected: "an integer", value: text)
            }
            value = parsed
        } else if let node {
            guard case .int(let i) = node else { throw .wrongType(key, expected: "an integer", found: node) }
            value = Int(i)
        }
        if let range, !range.contains(value) {
            throw .outOfRange(variable ?? key, "\(value)", allowed: "\(range.lowerBound)...\(range.upperBound)")
        }
        resolved.set(.int(Int64(value)), at: key)
        return value
    }

    package mutating func double(_ key: String, default defaultValue: Double, range: ClosedRange<Double>? = nil) throws(ConfigError) -> Double {
        let (node, _, _) = lookup(key, env: [], fallbackEnv: [])
        var value = defaultValue
        if let node {
            switch node {
            case .double(let d): value = d
            case .int(let i): value = Double(i)
            default: throw .wrongType(key, expected: "a number", found: node)
            }
        }
        if let range, !range.contains(value) {
            throw .outOfRange(key, "\(value)", allowed: "\(range.lowerBound)...\(range.upperBound)")
        }
        resolved.set(.double(value), at: key)
        return value
    }

    package mutating func bool(_ key: String, default defaultValue: Bool, env: [String] = []) throws(ConfigError) -> Bool {
        let (node, variable, _) = lookup(key, env: env, fallbackEnv: [])
        if let fileNode = file.node(at: key), case .bool = fileNode {} else if let fileNode = file.node(at: key) {
            throw .wrongType(key, expected: "a boolean", found: fileNode)
        }
        var value = defaultValue
        if let variable, let text = environment[variable] {
            switch text.trimmingSpaces.lowercased() {
            case "1", "true", "yes", "on": value = true
            case "0", "false", "no", "off": value = false
            default: throw .badEnvironment(variable, key: key, expected: "a boolean", value: text)
            }
        } else if let node {
            guard case .bool(let b) = node else { throw .wrongType(key, expected: "a boolean", found: node) }
            value = b
        }
        resolved.set(.bool(value), at: key)
        return value
    }

    package mutating func string(
        _ key: String, default defaultValue: String, env: [String] = [], fallbackEnv: [String] = [],
        allowed: [String]? = nil, check: ((String) -> String?)? = nil
    ) throws(ConfigError) -> String {
        let (node, variable, _) = lookup(key, env: env, fallbackEnv: fallbackEnv)
        if let fileNode = file.node(at: key), case .string = fileNode {} else if let fileNode = file.node(at: key) {
            throw .wrongType(key, expected: "a string", found: fileNode)
        }
        var value = defaultValue
        if let variable, let text = environment[variable] {
            value = text
        } else if let node {
            guard case .string(let s) = node else { throw .wrongType(key, expected: "a string", found: node) }
            value = s
        }
        if let allowed, !allowed.contains(value) {
            throw ConfigError(key: variable ?? key, message: "\"\(value)\" is not one of \(allowed.joined(separator: ", "))")
        }
        // The value's own rules (a hostname's length, a zone the database has), named
        // after where the value came from.
        if let problem = check?(value) { throw ConfigError(key: variable ?? key, message: problem) }
        resolved.set(.string(value), at: key)
        return value
    }

    package mutating func stringArray(_ key: String, default defaultValue: [String], env: [String] = []) throws(ConfigError) -> [String] {
        let (node, variable, _) = lookup(key, env: env, fallbackEnv: [])
        if let fileNode = file.node(at: key), case .array = fileNode {} else if let fileNode = file.node(at: key) {
            throw .wrongType(key, expected: "an array of strings", found: fileNode)
        }
        var value = defaultValue
        if let variable, let text = environment[variable] {
            // A comma-separated list in the environment.
            value = text.split(separator: ",").map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        } else if let node {
            guard case .array(let items) = node else { throw .wrongType(key, expected: "an array of strings", found: node) }
            value = []
            for (index, item) in items.enumerated() {
                guard case .string(let s) = item else {
                    throw .wrongType("\(key)[\(index)]", expected: "a string", found: item)
                }
                value.append(s)
            }
        }
        resolved.set(.array(value.map { .string($0) }), at: key)
        return value
    }

    /// The raw subtree at `key`, consumed as a whole (plugin sections, source lists).
    package mutating func subtree(_ key: String) -> ConfigNode? {
        consumed.insert(key)
        return file.node(at: key)
    }

    /// Keys present in the file that no reader consumed.
    package func unknownKeys() -> [String] {
        file.leafPaths().filter { path in
            !consumed.contains { path == $0 || path.hasPrefix($0 + ".") }
        }
    }
}

extension String {
    /// Without leading and trailing blanks and line ends (ByteKit's one trimming rule).
    package var trimmingSpaces: String { trimmingBlanks(newlines: true) }
}

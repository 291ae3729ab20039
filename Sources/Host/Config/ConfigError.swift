/// A configuration problem. Every message names the key (or variable) at fault.
struct ConfigError: Error, CustomStringConvertible, Equatable {
    let key: String
    let message: String

    var description: String { "config: \(key): \(message)" }

    static func wrongType(_ key: String, expected: String, found: ConfigNode) -> ConfigError {
        ConfigError(key: key, message: "expected \(expected), found \(found.typeName) (\(found.snippet))")
    }

    static func outOfRange(_ key: String, _ value: String, allowed: String) -> ConfigError {
        ConfigError(key: key, message: "\(value) is out of range (\(allowed))")
    }

    static func badEnvironment(_ variable: String, key: String, expected: String, value: String) -> ConfigError {
        ConfigError(key: variable, message: "(overrides \(key)) expected \(expected), found \"\(value)\"")
    }
}

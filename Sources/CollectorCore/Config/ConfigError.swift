/// A configuration problem. Every message names the key (or variable) at fault.
package struct ConfigError: Error, CustomStringConvertible, Equatable {
    package let key: String
    package let message: String

    package var description: String { "config: \(key): \(message)" }

    package static func wrongType(_ key: String, expected: String, found: ConfigNode) -> ConfigError {
        ConfigError(key: key, message: "expected \(expected), found \(found.typeName) (\(found.snippet))")
    }

    package static func outOfRange(_ key: String, _ value: String, allowed: String) -> ConfigError {
        ConfigError(key: key, message: "\(value) is out of range (\(allowed))")
    }

    package static func badEnvironment(_ variable: String, key: String, expected: String, value: String) -> ConfigError {
        ConfigError(key: variable, message: "(overrides \(key)) expected \(expected), found \"\(value)\"")
    }
}

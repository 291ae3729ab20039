#if canImport(Glibc)
import Glibc
#endif
import PluginABI
import Synchronization

/// A loaded plugin as the host knows it. Its address is the `pqc_plugin *`
/// handle the plugin passes back on every host call.
package final class PluginRuntime: @unchecked Sendable {
    package let path: String
    package let name: String
    package let version: String
    package let summary: String
    package let abiMinor: UInt16
    package let descriptor: UnsafePointer<pqc_plugin_descriptor>
    package let configSection: ConfigNode
    package let services: HostServices
    package let logger: Logger

    /// Registrations are accepted only while init() runs on the main thread.
    package var initializing = false
    /// False for an isolated plugin: its init() ran in its runner, and its
    /// registrations were copied from the runner's manifest.
    package var initializedHere = true
    /// First problem found with a registration; refuses the plugin after init.
    package var registrationError: String?
    package private(set) var ticks: [TickRegistration] = []
    package private(set) var parsers: [ParserRegistration] = []
    package private(set) var analyzers: [AnalyzerRegistration] = []
    package private(set) var tables: [PluginTable] = []
    /// Migrations the plugin ships, applied after the core ones.
    package private(set) var migrations: [(name: String, sql: String)] = []
    /// Paths of the collector's configuration it read (`config_get_global`):
    /// keys a plugin reads are its own, not unknown.
    package var globalReads: Set<String> { readPaths.withLock { $0 } }
    private let readPaths = Mutex<Set<String>>([])
    package func recordGlobalRead(_ path: String) { _ = readPaths.withLock { $0.insert(path) } }
    /// The last error it logged during init(): the reason an init() that
    /// returned PQC_EINVAL (a bad configuration value) gives.
    package var initError: String?
    /// Default log sources it proposed (`register_source`, ABI 1.1).
    package private(set) var sources: [LogSourceConfig] = []

    /// Config strings handed out, kept for the plugin's lifetime (bounded by the config).
    private let configStrings = Mutex<[String: UnsafeMutablePointer<CChar>]>([:])

    package init(path: String, descriptor: UnsafePointer<pqc_plugin_descriptor>, name: String, services: HostServices) {
        self.path = path
        self.descriptor = descriptor
        self.name = name
        self.version = descriptor.pointee.version.map { String(cString: $0) } ?? ""
        self.summary = descriptor.pointee.description.map { String(cString: $0) } ?? ""
        self.abiMinor = descriptor.pointee.abi_minor
        self.configSection = services.config.pluginSections[name] ?? .table([:])
        self.services = services
        self.logger = Logger(label: "plugin:\(name)")
    }

    /// The name as a C string that lives as long as the process (crash attribution).
    package private(set) lazy var cName: UnsafePointer<CChar> = UnsafePointer(strdup(name)!)

    package var handle: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

    package static func from(_ handle: OpaquePointer?) -> PluginRuntime? {
        guard let handle else { return nil }
        return Unmanaged<PluginRuntime>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    package func refuseRegistration(_ message: String) {
        if registrationError == nil { registrationError = message }
    }

    package func add(_ tick: TickRegistration) throws(RegistrationError) {
        guard !ticks.contains(where: { $0.name == tick.name }) else { throw .duplicate("tick", tick.name) }
        ticks.append(tick)
    }

    package func add(_ parser: ParserRegistration) throws(RegistrationError) {
        guard !parsers.contains(where: { $0.name == parser.name }) else { throw .duplicate("parser", parser.name) }
        parsers.append(parser)
    }

    package func add(_ analyzer: AnalyzerRegistration) throws(RegistrationError) {
        guard !analyzers.contains(where: { $0.name == analyzer.name }) else { throw .duplicate("analyzer", analyzer.name) }
        analyzers.append(analyzer)
    }

    package func add(_ table: PluginTable) { tables.append(table) }

    package func addSource(_ source: LogSourceConfig) throws(RegistrationError) {
        guard !sources.contains(where: { $0.name == source.name }) else { throw .duplicate("source", source.name) }
        sources.append(source)
    }

    package func addMigration(name: String, sql: String) throws(RegistrationError) {
        guard !migrations.contains(where: { $0.name == name }) else { throw .duplicate("migration", name) }
        migrations.append((name, sql))
    }

    /// A stable C copy of a config string.
    package func retainedCString(_ key: String, _ value: String) -> UnsafePointer<CChar> {
        configStrings.withLock { cache in
            if let p = cache[key], String(cString: p) == value { return UnsafePointer(p) }
            let p = strdup(value)!
            cache[key] = p
            return UnsafePointer(p)
        }
    }
}

package enum RegistrationError: Error, CustomStringConvertible {
    case duplicate(String, String)
    case invalid(String)

    package var description: String {
        switch self {
        case .duplicate(let kind, let name): "duplicate \(kind) name '\(name)'"
        case .invalid(let message): message
        }
    }
}

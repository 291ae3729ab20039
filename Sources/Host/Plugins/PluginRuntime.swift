#if canImport(Glibc)
import Glibc
#endif
import Logging
import PluginABI
import Synchronization

/// A loaded plugin as the host knows it. Its address is the `pqc_plugin *`
/// handle the plugin passes back on every host call.
final class PluginRuntime: @unchecked Sendable {
    let path: String
    let name: String
    let version: String
    let summary: String
    let abiMinor: UInt16
    let descriptor: UnsafePointer<pqc_plugin_descriptor>
    let configSection: ConfigNode
    let services: HostServices
    let logger: Logger

    /// Registrations are accepted only while init() runs on the main thread.
    var initializing = false
    /// First problem found with a registration; refuses the plugin after init.
    var registrationError: String?
    private(set) var ticks: [TickRegistration] = []
    private(set) var parsers: [ParserRegistration] = []
    private(set) var analyzers: [AnalyzerRegistration] = []
    private(set) var tables: [PluginTable] = []
    /// Migrations the plugin ships, applied after the core ones.
    private(set) var migrations: [(name: String, sql: String)] = []

    /// Config strings handed out, kept for the plugin's lifetime (bounded by the config).
    private let configStrings = Mutex<[String: UnsafeMutablePointer<CChar>]>([:])

    init(path: String, descriptor: UnsafePointer<pqc_plugin_descriptor>, name: String, services: HostServices) {
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

    var handle: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

    static func from(_ handle: OpaquePointer?) -> PluginRuntime? {
        guard let handle else { return nil }
        return Unmanaged<PluginRuntime>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    func refuseRegistration(_ message: String) {
        if registrationError == nil { registrationError = message }
    }

    func add(_ tick: TickRegistration) throws(RegistrationError) {
        guard !ticks.contains(where: { $0.name == tick.name }) else { throw .duplicate("tick", tick.name) }
        ticks.append(tick)
    }

    func add(_ parser: ParserRegistration) throws(RegistrationError) {
        guard !parsers.contains(where: { $0.name == parser.name }) else { throw .duplicate("parser", parser.name) }
        parsers.append(parser)
    }

    func add(_ analyzer: AnalyzerRegistration) throws(RegistrationError) {
        guard !analyzers.contains(where: { $0.name == analyzer.name }) else { throw .duplicate("analyzer", analyzer.name) }
        analyzers.append(analyzer)
    }

    func add(_ table: PluginTable) { tables.append(table) }

    func addMigration(name: String, sql: String) throws(RegistrationError) {
        guard !migrations.contains(where: { $0.name == name }) else { throw .duplicate("migration", name) }
        migrations.append((name, sql))
    }

    /// A stable C copy of a config string.
    func retainedCString(_ key: String, _ value: String) -> UnsafePointer<CChar> {
        configStrings.withLock { cache in
            if let p = cache[key], String(cString: p) == value { return UnsafePointer(p) }
            let p = strdup(value)!
            cache[key] = p
            return UnsafePointer(p)
        }
    }
}

enum RegistrationError: Error, CustomStringConvertible {
    case duplicate(String, String)
    case invalid(String)

    var description: String {
        switch self {
        case .duplicate(let kind, let name): "duplicate \(kind) name '\(name)'"
        case .invalid(let message): message
        }
    }
}

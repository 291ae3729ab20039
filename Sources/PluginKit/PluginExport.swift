import PluginABI

/// Builds the C descriptor a Swift plugin returns from its exported entry point.
///
/// A Swift plugin's whole entry glue is:
///
///     @_cdecl("pqc_plugin_entry")
///     public func pqcPluginEntry() -> UnsafePointer<pqc_plugin_descriptor>? {
///         PluginExport.descriptor(name: "my_plugin", version: "1.0") { host in
///             try host.registerTick(name: "sample", group: .sys) { .ok }
///         }
///     }
///
/// Each plugin library links its own copy of PluginKit, so the state kept here is
/// per plugin, never shared between plugins.
public enum PluginExport {
    public typealias Setup = (PluginHost) throws -> Void

    private struct Definition {
        let setup: Setup
        let shutdown: (() -> Void)?
    }

    private final class State: @unchecked Sendable {
        let lock = PThreadMutex()
        var descriptor: UnsafeMutablePointer<pqc_plugin_descriptor>?
        var definition: Definition?
    }

    private static let state = State()

    /// Returns the plugin's descriptor, built once; later calls return the same pointer.
    public static func descriptor(
        name: StaticString,
        version: StaticString,
        description: StaticString = "",
        shutdown: (() -> Void)? = nil,
        setup: @escaping Setup
    ) -> UnsafePointer<pqc_plugin_descriptor> {
        state.lock.withLock {
            if let existing = state.descriptor { return UnsafePointer(existing) }
            state.definition = Definition(setup: setup, shutdown: shutdown)
            let d = UnsafeMutablePointer<pqc_plugin_descriptor>.allocate(capacity: 1)
            d.initialize(to: pqc_plugin_descriptor())
            d.pointee.struct_size = UInt32(MemoryLayout<pqc_plugin_descriptor>.size)
            d.pointee.abi_major = UInt16(PQC_ABI_MAJOR)
            d.pointee.abi_minor = UInt16(PQC_ABI_MINOR)
            // StaticStrings live in the library's read-only data: valid while it is loaded.
            d.pointee.name = UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
            d.pointee.version = UnsafeRawPointer(version.utf8Start).assumingMemoryBound(to: CChar.self)
            d.pointee.description = UnsafeRawPointer(description.utf8Start).assumingMemoryBound(to: CChar.self)
            d.pointee.`init` = { api, handle in
                guard let api, let handle else { return PQC_EINVAL }
                return PluginExport.runSetup(api: api, handle: handle)
            }
            d.pointee.shutdown = { PluginExport.runShutdown() }
            state.descriptor = d
            return UnsafePointer(d)
        }
    }

    private static func runSetup(api: UnsafePointer<pqc_host_api>, handle: OpaquePointer) -> pqc_status {
        guard let definition = state.lock.withLock({ state.definition }) else { return PQC_FAIL }
        let host = PluginHost(api: api, handle: handle)
        PluginHost.install(host)
        do {
            try definition.setup(host)
            return PQC_OK
        } catch let error as PluginConfigError {
            host.log(.error, error.description)
            return PQC_EINVAL
        } catch {
            host.log(.error, "init failed: \(error)")
            return PQC_FAIL
        }
    }

    private static func runShutdown() {
        state.lock.withLock { state.definition }?.shutdown?()
    }
}

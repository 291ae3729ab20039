#if canImport(Glibc)
import Glibc
#endif
import PluginABI

/// Opens a plugin library and validates its descriptor, without calling init().
package enum DescriptorCheck {
    package struct Opened {
        package let descriptor: UnsafePointer<pqc_plugin_descriptor>
        package let name: String
    }

    /// The smallest descriptor of ABI 1.0: everything up to and including shutdown
    /// (1.3 appended shutdown_v2; older plugins' descriptors end before it).
    package static let minimumDescriptorSize = offset(\.shutdown) + MemoryLayout<UnsafeRawPointer>.size

    /// A member's offset in the descriptor, as the header lays it out.
    package static func offset(_ member: PartialKeyPath<pqc_plugin_descriptor>) -> Int {
        MemoryLayout<pqc_plugin_descriptor>.offset(of: member) ?? MemoryLayout<pqc_plugin_descriptor>.size
    }

    package static func open(_ path: String) throws(PluginRefusal) -> Opened {
        guard let handle = dlopen(path, RTLD_NOW | RTLD_LOCAL) else {
            throw PluginRefusal(path: path, reason: "dlopen failed: \(dlerror().map { String(cString: $0) } ?? "unknown error")")
        }
        // Never dlclose(): a plugin's code may still be referenced (threads, atexit, Swift metadata).
        guard let symbol = dlsym(handle, PQC_PLUGIN_ENTRY_SYMBOL) else {
            throw PluginRefusal(path: path, reason: "no \(PQC_PLUGIN_ENTRY_SYMBOL)() symbol: not a pqcrypta-collector plugin")
        }
        let entry = unsafeBitCast(symbol, to: pqc_plugin_entry_fn.self)
        guard let d = entry() else { throw PluginRefusal(path: path, reason: "\(PQC_PLUGIN_ENTRY_SYMBOL)() returned NULL") }
        let name = try validate(d, path: path)
        return Opened(descriptor: d, name: name)
    }

    /// Checks size, ABI version, name and init of a descriptor; returns the name.
    package static func validate(_ d: UnsafePointer<pqc_plugin_descriptor>, path: String) throws(PluginRefusal) -> String {
        let size = Int(d.pointee.struct_size)
        let known = MemoryLayout<pqc_plugin_descriptor>.size
        // Check the version first: it explains a size difference better than the size does.
        let major = Int(d.pointee.abi_major), minor = Int(d.pointee.abi_minor)
        if major != Int(PQC_ABI_MAJOR) {
            throw PluginRefusal(path: path, reason: "ABI major \(major) does not match the host's \(PQC_ABI_MAJOR) (rebuild the plugin against this host's header)")
        }
        if minor > Int(PQC_ABI_MINOR) {
            throw PluginRefusal(path: path, reason: "ABI \(major).\(minor) is newer than the host's \(PQC_ABI_MAJOR).\(PQC_ABI_MINOR) (upgrade the collector)")
        }
        if size > known {
            throw PluginRefusal(path: path, reason: "descriptor struct_size \(size) is larger than the host's \(known)")
        }
        if size < minimumDescriptorSize {
            throw PluginRefusal(path: path, reason: "descriptor struct_size \(size) is smaller than ABI 1.0's \(minimumDescriptorSize)")
        }
        guard let namePtr = d.pointee.name else { throw PluginRefusal(path: path, reason: "descriptor has no name") }
        let name = String(cString: namePtr)
        guard PluginName.isValid(name) else {
            throw PluginRefusal(path: path, reason: "plugin name '\(name)' must match [a-z0-9_]{1,48}")
        }
        guard d.pointee.`init` != nil else { throw PluginRefusal(path: path, reason: "descriptor has no init()") }
        return name
    }
}

/// Why a plugin file was not loaded; one log line.
package struct PluginRefusal: Error, CustomStringConvertible, Sendable {
    package let path: String
    package let reason: String
    /// init() returned PQC_EINVAL: a value of the plugin's configuration is bad
    /// (the reason names the key); the operator must fix the file.
    package var isConfiguration = false

    package init(path: String, reason: String, isConfiguration: Bool = false) {
        self.path = path
        self.reason = reason
        self.isConfiguration = isConfiguration
    }

    package var description: String { "refused plugin \(path): \(reason)" }
}

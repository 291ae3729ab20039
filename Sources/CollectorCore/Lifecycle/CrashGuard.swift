import CHostSupport
#if canImport(Glibc)
import Glibc
#endif

/// Crash-loop protection for in-process plugins. A fatal signal on a thread
/// running a plugin's callback is attributed to that plugin (crash_guard.c
/// appends its name to `<state_dir>/crash-guard.last`). At the next start,
/// consecutive crashing starts are counted per plugin in
/// `<state_dir>/crash-guard.state`; a plugin that crashed the daemon on its
/// last two starts is started isolated, with an error line and an ALERT
/// `plugin_crash_loop`. It stays isolated until the operator deletes the
/// state file: once in a runner it cannot crash the daemon, so nothing would
/// tell the daemon it is fixed.
package struct CrashGuard {
    package let directory: String
    /// Consecutive starts each plugin crashed, after the previous run is counted.
    package private(set) var counts: [String: Int] = [:]
    /// The plugin that crashed the previous run, if one did.
    package private(set) var lastCrash: String?
    private let logger = Logger(label: "crash-guard")

    package static let threshold = 2

    package var lastPath: String { directory + "/crash-guard.last" }
    package var statePath: String { directory + "/crash-guard.state" }

    /// Reads what the previous run left and updates the counts: the plugin that
    /// crashed it gains one; after a run that no plugin crashed, only plugins
    /// already isolated by the guard keep their count.
    package init(stateDir: String) {
        directory = stateDir
        mkdir(stateDir, 0o755)
        for line in Self.read(statePath).split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2, let n = Int(parts[1]) { counts[String(parts[0])] = n }
        }
        lastCrash = Self.read(lastPath).split(separator: "\n").last.map(String.init)
        if let crashed = lastCrash {
            counts[crashed, default: 0] += 1
        } else {
            counts = counts.filter { $0.value >= Self.threshold }
        }
        let text = counts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)\n" }.joined()
        if !Self.write(text, to: statePath) {
            logger.warning("cannot write \(statePath): \(String(cString: strerror(errno))); crash-loop protection forgets this start")
        }
    }

    /// Plugins to start isolated, whatever their configuration says.
    package var crashLooping: Set<String> { Set(counts.filter { $0.value >= Self.threshold }.keys) }

    /// Truncates the crash record and installs the signal handlers. From now
    /// on a crash in a marked thread names its plugin.
    package func arm() {
        let fd = open(lastPath, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            logger.warning("cannot open \(lastPath): \(String(cString: strerror(errno))); crash-loop protection is off")
            return
        }
        if pqc_crash_guard_install(fd) != 0 {
            logger.warning("cannot install crash handlers: \(String(cString: strerror(errno))); crash-loop protection is off")
        }
    }

    /// The ALERT for each crash-looping plugin.
    package func findings(hostname: String) -> [FindingRecord] {
        crashLooping.sorted().map { name in
            FindingRecord(
                kind: .alert, severity: "critical", key: "plugin_crash_loop:\(name)", domain: "collector", metric: "plugin_crash_loop",
                target: name, title: "Plugin \(name) crashed the collector on \(counts[name] ?? 0) starts in a row",
                description: "The collector on \(hostname) died of a fatal signal inside plugin \(name) on its last \(counts[name] ?? 0) starts; "
                    + "the plugin now runs isolated in a plugin runner.",
                action: "Update or remove the plugin, then delete \(statePath) to run it in process again.",
                value: Double(counts[name] ?? 0), threshold: Double(Self.threshold), zScore: nil, dedupWindowSecs: 3600)
        }
    }

    private static func read(_ path: String) -> String {
        guard let f = fopen(path, "r") else { return "" }
        defer { fclose(f) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while out.count < 1 << 20 {
            let n = fread(&buf, 1, buf.count, f)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func write(_ text: String, to path: String) -> Bool {
        let tmp = path + ".tmp"
        guard let f = fopen(tmp, "w") else { return false }
        let ok = fputs(text, f) >= 0
        fclose(f)
        return ok && rename(tmp, path) == 0
    }
}

/// Marks the calling thread as inside `plugin`'s code for crash attribution.
package enum CrashAttribution {
    @inline(__always)
    package static func enter(_ plugin: UnsafePointer<CChar>) { pqc_crash_guard_enter(plugin) }
    @inline(__always)
    package static func leave() { pqc_crash_guard_leave() }
}

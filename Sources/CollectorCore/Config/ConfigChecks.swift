#if canImport(Glibc)
import Glibc
#endif

/// Rules for values whose type alone does not make them usable: each is
/// refused at load (or, for the state directory, before `run` and by
/// `check-config`) with its key named, rather than failing later at run time.
package enum ConfigChecks {
    /// The longest `collector.hostname`: a DNS name's limit. Every row carries
    /// the name and several indexes hold it; a 1 MB name made each heartbeat and
    /// log commit fail (SQLSTATE 54000) for the whole run.
    package static let maxHostnameBytes = 255

    /// Why `name` cannot be the `host` column, or nil.
    package static func hostnameProblem(_ name: String) -> String? {
        if name.isEmpty { return "must not be empty" }
        let length = name.utf8.count
        if length > maxHostnameBytes { return "\(length) bytes long; at most \(maxHostnameBytes)" }
        for scalar in name.unicodeScalars {
            // A U+FFFD here came from invalid UTF-8 in the environment: refuse it
            // rather than store a name nobody typed.
            if scalar == "\u{FFFD}" { return "contains invalid UTF-8 (or U+FFFD)" }
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                return "contains the control character \(unicodeName(scalar.value))"
            }
        }
        return nil
    }

    /// The largest plugin tick interval, as for the host's own (`intervals.*`).
    package static let maxIntervalSecs = 86_400

    /// A plugin tick interval in seconds: an integer of 1 to 86400, or a float of
    /// 0.1 to 86400 (sub-second ticks for plugins that poll).
    package static func intervalSecs(_ node: ConfigNode, key: String) throws(ConfigError) -> Double {
        let value: Double
        switch node {
        case .int(let i): value = Double(i)
        case .double(let d): value = d
        default: throw .wrongType(key, expected: "a number of seconds", found: node)
        }
        guard value >= 0.1, value <= Double(maxIntervalSecs) else {
            throw .outOfRange(key, node.snippet, allowed: "0.1...\(maxIntervalSecs)")
        }
        return value
    }

    /// `[plugin.<name>] interval_secs` and `[plugin.<name>.intervals] <tick>`, which
    /// the host reads for every plugin (`TickPlanner.intervalSecs`).
    package static func checkPluginIntervals(_ section: ConfigNode, plugin: String) throws(ConfigError) {
        let at = "plugin.\(plugin)"
        if let node = section.node(at: "interval_secs") { _ = try intervalSecs(node, key: "\(at).interval_secs") }
        guard let intervals = section.node(at: "intervals") else { return }
        guard case .table(let ticks) = intervals else {
            throw .wrongType("\(at).intervals", expected: "a table of tick = seconds", found: intervals)
        }
        for (tick, node) in ticks.sorted(by: { $0.key < $1.key }) {
            _ = try intervalSecs(node, key: "\(at).intervals.\(tick)")
        }
    }

    /// Makes sure the collector can keep its state in `path` (`collector.state_dir`):
    /// creates it and its missing parents, then writes and removes a file in it,
    /// the only test that holds for read-only mounts, ACLs and root squash alike.
    package static func prepareStateDirectory(_ path: String, key: String = "collector.state_dir") throws(ConfigError) {
        if path.isEmpty { throw ConfigError(key: key, message: "must not be empty") }
        var made = ""
        for part in path.split(separator: "/") {
            made += made.isEmpty && !path.hasPrefix("/") ? String(part) : "/" + part
            var info = stat()
            if stat(made, &info) == 0 {
                guard info.st_mode & S_IFMT == S_IFDIR else {
                    throw ConfigError(key: key, message: "\(path): \(made) exists and is not a directory")
                }
                continue
            }
            guard mkdir(made, 0o755) == 0 || errno == EEXIST else {
                throw ConfigError(key: key, message: "\(path): cannot create \(made): \(String(cString: strerror(errno)))")
            }
        }
        let probe = (path.hasSuffix("/") ? path : path + "/") + ".write-test.\(getpid())"
        let fd = open(probe, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ConfigError(key: key, message: "\(path) cannot be written: \(String(cString: strerror(errno)))")
        }
        let byte: [UInt8] = [0x0A]
        let written = write(fd, byte, 1)
        let writeErrno = errno
        close(fd)
        unlink(probe)
        guard written == 1 else {
            throw ConfigError(key: key, message: "\(path) cannot be written: \(String(cString: strerror(writeErrno)))")
        }
    }

    /// "U+0007": how messages name a character (here and in `TOMLParser`).
    package static func unicodeName(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}

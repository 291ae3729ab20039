#if canImport(Glibc)
import Glibc
#endif

/// Names the calling thread (visible in `top -H` and /proc/<pid>/task/*/comm).
package enum ThreadName {
    package static func set(_ name: String) {
        // The kernel keeps 15 bytes; /proc/thread-self/comm avoids prctl's variadic C signature.
        let fd = open("/proc/thread-self/comm", O_WRONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}

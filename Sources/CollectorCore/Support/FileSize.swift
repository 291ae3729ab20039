#if canImport(Glibc)
import Glibc
#endif

/// A file's size in bytes from stat(2); 0 when it cannot be stat'ed.
package enum FileSize {
    package static func of(_ path: String) -> Int {
        var st = stat()
        return stat(path, &st) == 0 ? Int(st.st_size) : 0
    }
}

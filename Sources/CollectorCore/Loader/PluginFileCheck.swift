#if canImport(Glibc)
import Glibc
#endif

/// A root daemon must not run code anyone can drop in: plugin files and their
/// directory must be owned by root or the service user and not writable by
/// group or others. A writable directory with the sticky bit (`/tmp`, 1777) is
/// accepted: there nobody but the file's owner (root or the service user) may
/// remove, rename or replace the file, and the file itself is not writable.
package enum PluginFileCheck {
    package static func problem(path: String, serviceUID: uid_t = geteuid()) -> String? {
        var st = stat()
        guard stat(path, &st) == 0 else { return "cannot stat: \(String(cString: strerror(errno)))" }
        guard st.st_mode & S_IFMT == S_IFREG else { return "not a regular file" }
        if let p = ownershipProblem(st, what: "file", serviceUID: serviceUID) { return p }
        let directory = parentDirectory(of: realPath(path) ?? path)
        var dst = stat()
        guard stat(directory, &dst) == 0 else { return "cannot stat directory \(directory)" }
        let sticky = dst.st_mode & S_ISVTX != 0
        if let p = ownershipProblem(dst, what: "directory \(directory)", serviceUID: serviceUID, writableOK: sticky) { return p }
        return nil
    }

    private static func ownershipProblem(_ st: stat, what: String, serviceUID: uid_t, writableOK: Bool = false) -> String? {
        if st.st_uid != 0 && st.st_uid != serviceUID {
            return "\(what) is owned by uid \(st.st_uid), not root or the service user (uid \(serviceUID))"
        }
        if !writableOK, st.st_mode & (S_IWGRP | S_IWOTH) != 0 {
            return "\(what) is group- or world-writable (mode \(String(st.st_mode & 0o7777, radix: 8)))"
        }
        return nil
    }

    package static func realPath(_ path: String) -> String? {
        guard let p = realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }

    package static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }
}

import Glibc

/// Lists the numeric entries of the proc root: one per thread-group leader.
enum ProcessIDLister {
    /// Replaces the contents of `entries` (sorted by pid), keeping its capacity between ticks.
    static func list(root: String, into entries: inout [ProcessEntry]) {
        entries.removeAll(keepingCapacity: true)
        guard let directory = opendir(root) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            // DT_UNKNOWN is allowed: some file systems do not fill d_type.
            let type = entry.pointee.d_type
            guard type == UInt8(DT_DIR) || type == UInt8(DT_UNKNOWN) else { continue }
            let pid = withUnsafeBytes(of: &entry.pointee.d_name) { name -> Int32? in
                var value: Int32 = 0
                var index = 0
                while index < name.count, name[index] != 0 {
                    let digit = name[index] &- UInt8(ascii: "0")
                    guard digit < 10 else { return nil }
                    let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
                    guard !overflow else { return nil }
                    value = shifted &+ Int32(digit)
                    index += 1
                }
                return index > 0 ? value : nil
            }
            if let pid { entries.append(ProcessEntry(pid: pid, inode: UInt64(entry.pointee.d_ino))) }
        }
        // procfs lists pids in order already (so this is linear); other trees may not.
        entries.sort { $0.pid < $1.pid }
    }
}

/// A numeric entry of the proc root. The inode number comes free with
/// readdir; procfs gives a new one to each process incarnation (a reused
/// pid gets a fresh inode), so (pid, inode) unchanged means the same process.
struct ProcessEntry: Sendable, Hashable {
    var pid: Int32
    var inode: UInt64
}

import XCTest

@testable import SystemMetricsCore

/// The scan remembers kernel threads and user processes by (pid, inode).
/// These tests pin down when that knowledge is reused and when it is not.
final class ProcessWatcherCacheTests: XCTestCase {
    private func sampleGroup(_ watcher: inout ProcessWatcher, _ tree: TemporaryProcTree, at seconds: Double) -> [Int32]
    {
        var reader = ProcReader(root: tree.root)
        let groups = watcher.sample(reader: &reader, at: SampleInstant(secondsSinceBoot: seconds))
        return groups.first?.processes.map(\.pid) ?? []
    }

    func testExecIntoAWatchedNameIsSeenOnTheNextTick() {
        let tree = TemporaryProcTree()
        tree.writeProcess(pid: 10, comm: "bash")
        var watcher = ProcessWatcher(names: ["postgres"], ticksPerSecond: 100, pageSize: 4096)
        XCTAssertTrue(sampleGroup(&watcher, tree, at: 10).isEmpty)
        // exec(): same pid, same /proc inode, new comm.
        let inode = tree.inode("10")
        tree.writeProcess(pid: 10, comm: "postgres")
        XCTAssertEqual(tree.inode("10"), inode)
        XCTAssertEqual(sampleGroup(&watcher, tree, at: 20), [10])
        // And exec away again.
        tree.writeProcess(pid: 10, comm: "sh")
        XCTAssertTrue(sampleGroup(&watcher, tree, at: 30).isEmpty)
    }

    func testKernelThreadsAreNeverMatchedAndNotReadAgain() {
        let tree = TemporaryProcTree()
        tree.writeProcess(pid: 2, comm: "postgres", kernelThread: true)
        tree.writeProcess(pid: 20, comm: "postgres")
        var watcher = ProcessWatcher(names: ["postgres"], ticksPerSecond: 100, pageSize: 4096)
        XCTAssertEqual(sampleGroup(&watcher, tree, at: 10), [20])
        // Rewriting a known kernel thread's files under the same inode has no
        // effect: the scan skips it without reading (a real one cannot change).
        tree.writeProcess(pid: 2, comm: "postgres", kernelThread: false)
        XCTAssertEqual(sampleGroup(&watcher, tree, at: 20), [20])
    }

    func testAReusedPidWithANewInodeIsClassifiedAgain() {
        let tree = TemporaryProcTree()
        tree.writeProcess(pid: 30, comm: "postgres", kernelThread: true)
        var watcher = ProcessWatcher(names: ["postgres"], ticksPerSecond: 100, pageSize: 4096)
        XCTAssertTrue(sampleGroup(&watcher, tree, at: 10).isEmpty)
        // The kernel thread exits and a user process gets its pid: new /proc inode.
        tree.rename("30", to: "old-30")
        tree.writeProcess(pid: 30, comm: "postgres", start: 900)
        XCTAssertNotEqual(tree.inode("30"), tree.inode("old-30"))
        XCTAssertEqual(sampleGroup(&watcher, tree, at: 20), [30])
    }
}

/// Finds the processes of each watched name and summarises them per name.
///
/// Scanning cost is dominated by the kernel's open/read/close of per-process
/// files (about 4.5 µs each on the reference VM), so the scan reads as little
/// as it can: a process seen for the first time has its stat read once;
/// afterwards a kernel thread is skipped outright (it never execs, and an
/// unchanged /proc inode proves it is the same thread) and a user process
/// only has its comm read, since exec can change it at any tick. stat, fd/
/// and (for long names) exe/cmdline are read only for name candidates.
struct ProcessWatcher: Sendable {
    private var matcher: ProcessMatcher
    private var cpuTracker: ProcessCPUTracker
    private let ticksPerSecond: Double
    private let pageSize: UInt64
    /// What the previous scan learnt about each pid, valid while its inode is unchanged.
    private var known: [Int32: KnownProcess] = [:]
    // Scratch storage reused across ticks.
    private var knownThisScan: [Int32: KnownProcess] = [:]
    private var entries: [ProcessEntry] = []
    private var matchedNames: [Int] = []

    private struct KnownProcess: Sendable {
        var inode: UInt64
        var isKernelThread: Bool
    }

    init(names: [String], ticksPerSecond: Int, pageSize: Int) {
        matcher = ProcessMatcher(names: names)
        cpuTracker = ProcessCPUTracker(ticksPerSecond: ticksPerSecond)
        self.ticksPerSecond = Double(max(ticksPerSecond, 1))
        self.pageSize = UInt64(max(pageSize, 1))
    }

    var names: [String] { matcher.names }

    /// One group per watched name, in configuration order; a name without
    /// processes yields an empty (missing) group.
    mutating func sample(reader: inout ProcReader, at instant: SampleInstant) -> [ProcessGroupSample] {
        guard !matcher.names.isEmpty else { return [] }
        ProcessIDLister.list(root: reader.root, into: &entries)
        var found: [(detail: ProcessDetail, cpuTicks: UInt64, names: [Int])] = []
        matcher.beginScan()
        knownThisScan.removeAll(keepingCapacity: true)
        for entry in entries {
            // Files of a process that exited since the listing are missing: it is skipped.
            guard let stat = candidateStat(entry, reader: &reader) else { continue }
            matcher.matchNames(of: stat, reader: &reader, into: &matchedNames)
            guard !matchedNames.isEmpty else { continue }
            found.append((detail(of: stat, reader: &reader, at: instant), stat.cpuTicks, matchedNames))
        }
        matcher.endScan()
        swap(&known, &knownThisScan)

        let percentages = cpuTracker.update(
            found.map {
                (
                    identity: ProcessIdentity(pid: $0.detail.pid, startTimeTicks: $0.detail.startTimeTicks),
                    cpuTicks: $0.cpuTicks
                )
            }, at: instant)
        var members = [[ProcessDetail]](repeating: [], count: matcher.names.count)
        for (process, percent) in zip(found, percentages) {
            var detail = process.detail
            detail.cpuPercent = percent
            for name in process.names { members[name].append(detail) }
        }
        return zip(matcher.names, members).map { ProcessGroupSample(name: $0, processes: $1) }
    }

    /// The stat of `entry` if it is a user process whose comm could match a
    /// watched name; records what was learnt for the next scan.
    private mutating func candidateStat(_ entry: ProcessEntry, reader: inout ProcReader) -> ProcessStat? {
        if let previous = known[entry.pid], previous.inode == entry.inode {
            knownThisScan[entry.pid] = previous
            guard !previous.isKernelThread,
                reader.readProcessFile(pid: entry.pid, "comm", limit: 64, matcher.isCandidate) == true
            else { return nil }
            return reader.readProcessFile(pid: entry.pid, "stat", ProcessStatParser.parse) ?? nil
        }
        guard let stat = reader.readProcessFile(pid: entry.pid, "stat", ProcessStatParser.parse) ?? nil else {
            return nil
        }
        knownThisScan[entry.pid] = KnownProcess(inode: entry.inode, isKernelThread: stat.isKernelThread)
        return stat.isKernelThread ? nil : stat
    }

    /// RSS and threads come from stat: the kernel fills stat's rss and
    /// num_threads from the same counters as status's VmRSS and Threads, and
    /// status costs more to produce than stat itself (see the benchmark).
    private func detail(of stat: ProcessStat, reader: inout ProcReader, at instant: SampleInstant) -> ProcessDetail {
        let started = Double(stat.startTimeTicks) / ticksPerSecond
        return ProcessDetail(
            pid: stat.pid,
            state: Character(Unicode.Scalar(stat.state)),
            residentBytes: stat.residentPages &* pageSize,
            fileDescriptors: reader.countFileDescriptors(pid: stat.pid),
            threads: stat.threads,
            cpuPercent: nil,
            startTimeTicks: stat.startTimeTicks,
            uptimeSeconds: max(0, instant.secondsSinceBoot - started))
    }
}

/// Decides which watched names a process answers to, the way operators
/// expect: a name of up to 15 bytes must equal comm; a longer name cannot
/// (the kernel truncates comm to 15 bytes), so a process whose comm equals
/// its first 15 bytes matches when the executable's basename or argv[0]'s
/// basename equals the full name.
struct ProcessMatcher: Sendable {
    static let commLength = 15

    let names: [String]
    /// What comm must equal for each name: the name, or its first 15 bytes.
    private let commKeys: [[UInt8]]
    /// Basenames of long-name candidates by process incarnation, so exe and
    /// cmdline are read once per process rather than every tick.
    private var basenames: [ProcessIdentity: Basenames] = [:]
    private var basenamesSeenThisScan: [ProcessIdentity: Basenames] = [:]

    private struct Basenames: Sendable {
        var executable: String?
        var argumentZero: String?
    }

    init(names: [String]) {
        var unique: [String] = []
        for name in names where !name.isEmpty && !unique.contains(name) { unique.append(name) }
        self.names = unique
        commKeys = unique.map { Array($0.utf8.prefix(Self.commLength)) }
    }

    /// Cheap pre-check on the raw bytes of `/proc/<pid>/comm` (trailing
    /// newline allowed): could this process match any name? Most processes
    /// fail here, before their stat file is read or any String is made.
    func isCandidate(comm bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var length = bytes.count
        if length > 0, bytes[length - 1] == 0x0A { length -= 1 }
        let comm = UnsafeBufferPointer(rebasing: bytes[0..<length])
        return commKeys.contains { $0.elementsEqual(comm) }
    }

    mutating func beginScan() {
        basenamesSeenThisScan.removeAll(keepingCapacity: true)
    }

    /// Forgets basenames of processes not seen in this scan.
    mutating func endScan() {
        swap(&basenames, &basenamesSeenThisScan)
    }

    /// Appends to `matches` the index of every name `process` matches.
    mutating func matchNames(of process: ProcessStat, reader: inout ProcReader, into matches: inout [Int]) {
        matches.removeAll(keepingCapacity: true)
        for (index, key) in commKeys.enumerated() where process.comm.utf8.elementsEqual(key) {
            let name = names[index]
            if name.utf8.count <= Self.commLength {
                matches.append(index)
            } else {
                let known = basenames(of: process, reader: &reader)
                if known.executable == name || known.argumentZero == name { matches.append(index) }
            }
        }
    }

    private mutating func basenames(of process: ProcessStat, reader: inout ProcReader) -> Basenames {
        let identity = ProcessIdentity(pid: process.pid, startTimeTicks: process.startTimeTicks)
        if let known = basenamesSeenThisScan[identity] { return known }
        let known =
            basenames[identity]
            ?? Basenames(
                executable: reader.readProcessLink(pid: process.pid, "exe").flatMap(
                    ExecutableName.fromExecutableLink),
                argumentZero: reader.readProcessFile(pid: process.pid, "cmdline", limit: 4096) {
                    ExecutableName.fromCommandLine($0)
                } ?? nil)
        basenamesSeenThisScan[identity] = known
        return known
    }
}

import ByteKit

/// Parses /proc/<pid>/stat. The comm field may contain spaces and ')' (a
/// process can name itself anything), so it spans from the first '(' to the
/// LAST ')' and the numeric fields are counted from there.
public enum ProcessStatParser {
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> ProcessStat? {
        guard let open = bytes.firstIndex(of: UInt8(ascii: "(")),
            let close = bytes.lastIndex(of: UInt8(ascii: ")")), close > open
        else { return nil }
        var scanner = ByteScanner(bytes)
        guard let pid = scanner.readInt64(), scanner.position <= open else { return nil }
        let comm = (open + 1)..<close
        scanner.position = close + 1
        scanner.skipBlanks()
        guard let state = scanner.peek() else { return nil }
        scanner.position += 1
        // Fields 4..24: ppid pgrp session tty_nr tpgid flags minflt cminflt majflt
        // cmajflt utime stime cutime cstime priority nice num_threads itrealvalue
        // starttime vsize rss.
        guard let parent = scanner.readInt64() else { return nil }
        for _ in 5...8 { guard scanner.readInt64() != nil else { return nil } }
        guard let flags = scanner.readUInt64() else { return nil }
        for _ in 10...13 { guard scanner.readInt64() != nil else { return nil } }
        guard let user = scanner.readUInt64(), let system = scanner.readUInt64() else { return nil }
        for _ in 16...19 { guard scanner.readInt64() != nil else { return nil } }
        guard let threads = scanner.readUInt64(), scanner.readInt64() != nil,
            let start = scanner.readUInt64(), scanner.readUInt64() != nil,
            let resident = scanner.readInt64()
        else { return nil }
        return ProcessStat(
            pid: Int32(clamping: pid), comm: scanner.string(comm), state: state,
            parentPID: Int32(clamping: parent), flags: flags, userTicks: user, systemTicks: system, threads: threads,
            startTimeTicks: start, residentPages: UInt64(clamping: max(resident, 0)))
    }

    public static func parse(_ bytes: [UInt8]) -> ProcessStat? {
        bytes.withUnsafeBufferPointer { parse($0) }
    }
}

/// Reads one unit's entries from the systemd journal with
/// `journalctl -u UNIT -o json --all --after-cursor=CURSOR`, as JSON lines.
/// `--all` matters: without it journalctl prints messages over 4096 bytes as null.
/// The first run without a cursor takes the last `initialEntries` entries.
package struct JournalReader {
    package let unit: String
    /// `--directory` (or `--file` when it ends in `.journal`); empty = the system journal.
    package let location: String
    package let timeoutMs: Int
    package let maxLineBytes: Int
    package var initialEntries = 100
    package var executable = "journalctl"

    package init(unit: String, location: String, timeoutMs: Int, maxLineBytes: Int, executable: String = "journalctl") {
        self.unit = unit
        self.location = location
        self.timeoutMs = timeoutMs
        self.maxLineBytes = maxLineBytes
        self.executable = executable
    }

    package func arguments(after cursor: String?) -> [String] {
        var args = [executable, "-u", unit, "-o", "json", "--all", "--no-pager", "-q"]
        if !location.isEmpty {
            args.append(location.hasSuffix(".journal") ? "--file=\(location)" : "--directory=\(location)")
        }
        if let cursor, !cursor.isEmpty {
            args.append("--after-cursor=\(cursor)")
        } else {
            args += ["-n", String(initialEntries)]
        }
        return args
    }

    /// Hands each entry's JSON line and its cursor to `body` until it returns false.
    package func read(after cursor: String?, _ body: (UnsafeRawBufferPointer, String) -> Bool) throws(Subprocess.Failure) {
        try Subprocess.lines(arguments(after: cursor), timeoutMs: timeoutMs, maxLineBytes: maxLineBytes) { line in
            guard let entryCursor = Self.cursor(in: line) else { return true }  // not an entry line
            return body(line, entryCursor)
        }
    }

    /// The `__CURSOR` value of a journal JSON line; the host tracks positions
    /// itself so any parser can be used for the content.
    package static func cursor(in line: UnsafeRawBufferPointer) -> String? {
        let key = Array("\"__CURSOR\"".utf8)
        guard line.count > key.count else { return nil }
        var i = 0
        outer: while i + key.count <= line.count {
            for k in 0..<key.count where line[i + k] != key[k] {
                i += 1
                continue outer
            }
            var j = i + key.count
            while j < line.count, line[j] == 0x20 || line[j] == 0x3A { j += 1 }
            guard j < line.count, line[j] == 0x22 else { return nil }
            j += 1
            let start = j
            // Cursors are plain ASCII (k=v;...); no escapes to decode.
            while j < line.count, line[j] != 0x22 { j += 1 }
            guard j < line.count else { return nil }
            return String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<j]), as: UTF8.self)
        }
        return nil
    }
}

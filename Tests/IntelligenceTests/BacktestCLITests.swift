import Glibc
import Testing

/// Runs the built `pqcrypta-backtest` (the test script exports PQC_TEST_BIN_DIR =
/// `swift build --show-bin-path`; by default .build/debug next to this package).
enum Backtest {
    static var binary: String {
        if let dir = getenv("PQC_TEST_BIN_DIR"), let s = Optional(String(cString: dir)), !s.isEmpty {
            return s + "/pqcrypta-backtest"
        }
        // Tests/IntelligenceTests/BacktestCLITests.swift -> the package root.
        var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/.build/debug/pqcrypta-backtest"
    }

    static var exists: Bool { access(binary, X_OK) == 0 }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var rows: [[String]] {
            stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        }
    }

    static func tempDir() -> String {
        var template = Array("/tmp/pqc-backtest-XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress, let p = mkdtemp(base) else { return "/tmp" }
            return String(cString: p)
        }
    }

    static func write(_ text: String, to path: String) {
        guard let f = fopen(path, "wb") else { return }
        _ = Array(text.utf8).withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }

    static func read(_ path: String) -> String {
        guard let f = fopen(path, "rb") else { return "" }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, f) }
            if n == 0 { break }
            bytes += buf[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Runs the binary on a CSV text (written to a file) or on explicit arguments.
    static func run(csv: String? = nil, _ arguments: [String] = []) -> Result {
        let dir = tempDir()
        var args = arguments
        if let csv {
            write(csv, to: dir + "/in.csv")
            args.append(dir + "/in.csv")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, dir + "/out", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, dir + "/err", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = ([binary] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        guard posix_spawn(&pid, binary, &actions, nil, argv, environ) == 0 else {
            return Result(status: -1, stdout: "", stderr: "spawn failed")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let result = Result(status: (status >> 8) & 0xff, stdout: read(dir + "/out"), stderr: read(dir + "/err"))
        unlink(dir + "/in.csv"); unlink(dir + "/out"); unlink(dir + "/err"); rmdir(dir)
        return result
    }
}

@Suite("pqcrypta-backtest CLI", .enabled(if: Backtest.exists, "build pqcrypta-backtest first"))
struct BacktestCLITests {
    @Test("one row per input row, same order and timestamp text, scores in [0, 1]")
    func contract() {
        var csv = "timestamp,value\r\n"
        for i in 0..<400 { csv += "2024-02-01T00:\(i / 60 < 10 ? "0" : "")\(i / 60):\(i % 60 < 10 ? "0" : "")\(i % 60)Z , \(i == 300 ? 50 : i % 7)\r\n" }
        let r = Backtest.run(csv: csv)
        #expect(r.status == 0, "\(r.stderr)")
        let rows = r.rows
        #expect(rows.first == ["timestamp", "anomaly_score", "anomaly"])
        #expect(rows.count == 401)
        let input = csv.split(separator: "\r\n").dropFirst().map { String($0.split(separator: ",")[0]) }
        for (i, row) in rows.dropFirst().enumerated() {
            #expect(row.count == 3)
            #expect(row[0] == input[i])
            let s = Double(row[1]) ?? -1
            #expect(s >= 0 && s <= 1)
            #expect(row[2] == (s >= 0.5 ? "1" : "0"))
        }
        #expect(rows[301][2] == "1")
    }

    @Test("timestamp formats: ISO 8601 with Z, offsets and fractions, PostgreSQL text, epoch seconds")
    func timestampFormats() {
        let csv = """
            timestamp,value
            2024-02-01T00:00:00Z,1
            2024-02-01T01:00:01+01:00,1
            2024-02-01 00:00:02,1
            2024-02-01 00:00:03.999,1
            2024-02-01T00:00:04.5-00:00,1
            2024-01-31T19:00:05-05:00,1
            2024-02-01 00:00:06+00,1
            2024-02-01 00:00:07.123456+0000,1
            1706745608,1
            1706745609.75,1
            "2024-02-01 00:00:10",1
            2024-02-01t00:00:11z,1

            """
        let r = Backtest.run(csv: csv, ["--epochs"])
        #expect(r.status == 0, "\(r.stderr)")
        let epochs = r.rows.dropFirst().map { $0.last ?? "" }
        #expect(epochs == (0...11).map { String(1_706_745_600 + $0) })
        #expect(Backtest.run(csv: csv).status == 0)
    }

    @Test("an empty value is a missing point: a row with score 0")
    func missingValue() {
        let r = Backtest.run(csv: "timestamp,value\n1,5\n2,\n3, \n4,NULL\n5,NaN\n6,5\n")
        #expect(r.status == 0)
        #expect(r.rows.count == 7)
        #expect(r.rows[2] == ["2", "0.0", "0"])
        #expect(r.rows[4] == ["4", "0.0", "0"])
    }

    @Test("malformed files exit 2 naming the line", arguments: [
        ("time,value\n1,2\n", 1),
        ("timestamp,value\n2024-01-01 00:00:00,1\nnot a time,2\n", 3),
        ("timestamp,value\n1,2\n2,abc\n", 3),
        ("timestamp,value\n1,2\n2,3,4\n", 3),
        ("timestamp,value\n1,2\n3\n", 3),
        ("timestamp,value\n2024-02-30 00:00:00,1\n", 2),
        ("timestamp,value\n2024-02-01T00:00:00+25:00,1\n", 2),
        ("timestamp,value\n\n1,2\n2024-13-01,3\n", 4),
        ("", 1),
    ])
    func malformed(csv: String, line: Int) {
        let r = Backtest.run(csv: csv)
        #expect(r.status == 2)
        #expect(r.stderr.contains(":\(line):"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("usage: --help exits 0, unknown options and no file exit 64, a missing file exits 2")
    func usage() {
        let help = Backtest.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("usage: pqcrypta-backtest"))
        let unknown = Backtest.run(["--frobnicate", "x.csv"])
        #expect(unknown.status == 64 && unknown.stderr.contains("usage:"))
        #expect(Backtest.run([]).status == 64)
        #expect(Backtest.run(["--direction", "sideways", "x.csv"]).status == 64)
        #expect(Backtest.run(["--threshold", "2", "x.csv"]).status == 64)
        #expect(Backtest.run(["/nonexistent/x.csv"]).status == 2)
    }

    @Test("--direction and --threshold reach the detector")
    func options() {
        var csv = "timestamp,value\n"
        for i in 0..<300 { csv += "\(1_700_000_000 + 60 * i),\(100 + (i % 5) - (i == 250 ? 40 : 0))\n" }
        let both = Backtest.run(csv: csv)
        let up = Backtest.run(csv: csv, ["--direction", "up"])
        let strict = Backtest.run(csv: csv, ["--threshold=0.9999999"])
        #expect(both.rows[251][2] == "1")
        #expect(up.rows[251][1] == "0.0")
        #expect(strict.rows[251][2] == "0" || (Double(strict.rows[251][1]) ?? 0) >= 0.9999999)
    }
}

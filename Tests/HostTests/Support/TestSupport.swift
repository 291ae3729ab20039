import Foundation
import CollectorTestSupport
import XCTest

/// Paths, compilers and subprocesses the host tests share.
enum TestSupport {
    static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var headerDir: String { repoRoot.appendingPathComponent("Sources/PluginABI/include").path }

    /// Where `swift build` put the daemon and the plugin libraries.
    static var binDir: String {
        if let dir = ProcessInfo.processInfo.environment["PQC_TEST_BIN_DIR"], !dir.isEmpty { return dir }
        return repoRoot.appendingPathComponent(".build/debug").path
    }

    static var collectorBinary: String { binDir + "/pqcrypta-collector" }

    /// A fresh directory owned by us with mode 0755 (plugins refuse writable dirs).
    static func makeTempDir(_ label: String = "pqc") throws -> String {
        var template = Array("/tmp/\(label)-XXXXXX".utf8CString)
        let path = try template.withUnsafeMutableBufferPointer { buf -> String in
            guard let p = mkdtemp(buf.baseAddress!) else { throw TestFailure("mkdtemp failed") }
            return String(cString: p)
        }
        chmod(path, 0o755)
        return path
    }

    /// Builds a C plugin with the one command third parties use.
    @discardableResult
    static func compilePlugin(_ source: String, to output: String, defines: [String] = []) throws -> String {
        let result = try run("/usr/bin/env", ["cc", "-shared", "-fPIC", "-I", headerDir] + defines.map { "-D\($0)" } + [source, "-o", output])
        guard result.status == 0 else { throw TestFailure("cc failed for \(source): \(result.stderr)") }
        chmod(output, 0o644)
        return output
    }

    static var examplePluginSource: String { repoRoot.appendingPathComponent("Examples/hello-parser/hello_parser.c").path }

    static func fixturePlugin(_ name: String) -> String {
        repoRoot.appendingPathComponent("Tests/HostTests/Fixtures/plugins/\(name)").path
    }

    struct ProcessResult {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs a program to completion, capturing its output in files, not pipes:
    /// a daemon the program starts (pg_ctl) may inherit the descriptors and keep a
    /// pipe open forever.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil,
                    timeout: TimeInterval = 120) throws -> ProcessResult {
        let dir = try makeTempDir("run")
        defer { _ = try? FileManager.default.removeItem(atPath: dir) }
        _ = FileManager.default.createFile(atPath: dir + "/out", contents: nil)
        _ = FileManager.default.createFile(atPath: dir + "/err", contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        if let environment { p.environment = environment }
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/out"))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/err"))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning { p.terminate() }
        p.waitUntilExit()
        let out = FileManager.default.contents(atPath: dir + "/out") ?? Data()
        let err = FileManager.default.contents(atPath: dir + "/err") ?? Data()
        return ProcessResult(status: p.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                             stderr: String(decoding: err, as: UTF8.self))
    }

    /// Runs the collector binary.
    static func collector(_ arguments: [String], environment extra: [String: String] = [:]) throws -> ProcessResult {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("DB_") || key == "COLLECTOR_CONFIG" { env[key] = nil }
        env.merge(extra) { $1 }
        return try run(collectorBinary, arguments, environment: env)
    }

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

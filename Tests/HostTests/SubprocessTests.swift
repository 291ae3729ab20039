import Foundation
import XCTest
@testable import CollectorCore

final class SubprocessTests: XCTestCase {
    private func openDescriptors() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
    }

    /// Lines arrive in order, the child is reaped, and the pipes are not left
    /// open here. In the child, each of its output pipes is open once (as its
    /// stdout or stderr): our ends are close-on-exec.
    func testLinesReapAndCloseTheirPipes() throws {
        let before = try openDescriptors()
        for _ in 0..<20 {
            var lines: [String] = []
            let script = "echo one; echo two; out=$(readlink /proc/$$/fd/1); ls -l /proc/$$/fd | grep -cF \"$out\""
            try Subprocess.lines(["sh", "-c", script], timeoutMs: 5000, maxLineBytes: 1024) { line in
                lines.append(String(decoding: line, as: UTF8.self))
                return true
            }
            XCTAssertEqual(Array(lines.prefix(2)), ["one", "two"])
            XCTAssertEqual(lines.last, "1", "descriptors on the stdout pipe in the child: \(lines)")
        }
        XCTAssertEqual(try openDescriptors(), before)
    }
}

import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

final class FileTailerTests: XCTestCase {
    var dir = ""
    var path: String { dir + "/app.log" }

    override func setUpWithError() throws { dir = try TestSupport.makeTempDir("tail") }
    override func tearDown() { _ = try? FileManager.default.removeItem(atPath: dir) }

    private func append(_ text: String, to file: String? = nil) throws {
        let target = file ?? path
        if !FileManager.default.fileExists(atPath: target) { _ = FileManager.default.createFile(atPath: target, contents: nil) }
        let h = try XCTUnwrap(FileHandle(forWritingAtPath: target))
        h.seekToEndOfFile()
        h.write(Data(text.utf8))
        h.closeFile()
    }

    private func lines(_ t: FileTailer) -> [String] {
        var out: [String] = []
        t.read { out.append(String(decoding: $0.bytes, as: UTF8.self)); return true }
        return out
    }

    func testCompleteLinesOnlyAndResumeFromPosition() throws {
        try append("one\ntwo\nthr")
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1024)
        XCTAssertEqual(lines(t), ["one", "two"])
        XCTAssertEqual(t.position?.offset, 8)
        try append("ee\n")
        XCTAssertEqual(lines(t), ["three"])
        // A new tailer from the saved position (a restart) reads only what is new.
        try append("four\n")
        let restarted = FileTailer(path: path, position: t.position, chunkSize: 4096, maxLineBytes: 1024)
        XCTAssertEqual(lines(restarted), ["four"])
    }

    func testRenameAndCreateFinishesTheOldFileFirst() throws {
        try append("a1\na2\n")
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1024)
        XCTAssertEqual(lines(t), ["a1", "a2"])
        try append("a3\n")                       // written just before rotation
        XCTAssertEqual(rename(path, path + ".1"), 0)
        try append("b1\n")                       // the new file
        XCTAssertEqual(lines(t), ["a3", "b1"])
        try append("b2\n")
        XCTAssertEqual(lines(t), ["b2"])
    }

    func testRotationWhileStoppedFindsTheOldFileAtDotOne() throws {
        try append("a1\n")
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1024)
        XCTAssertEqual(lines(t), ["a1"])
        let saved = t.position
        try append("a2\n")
        XCTAssertEqual(rename(path, path + ".1"), 0)
        try append("b1\n")
        let restarted = FileTailer(path: path, position: saved, chunkSize: 4096, maxLineBytes: 1024)
        XCTAssertEqual(lines(restarted), ["a2", "b1"])
    }

    func testCopytruncateRestartsAtZero() throws {
        try append("old line 1\nold line 2\n")
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1024)
        XCTAssertEqual(lines(t).count, 2)
        XCTAssertEqual(truncate(path, 0), 0)
        try append("new\n")
        XCTAssertEqual(lines(t), ["new"])
        XCTAssertEqual(t.position?.offset, 4)
    }

    /// logrotate's copytruncate: copy to `<path>.1`, then truncate in place.
    private func copytruncate(to copy: String? = nil) throws {
        let target = copy ?? path + ".1"
        _ = try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.copyItem(atPath: path, toPath: target)
        XCTAssertEqual(truncate(path, 0), 0)
    }

    func testCopytruncateReadsTheUnreadTailOfTheCopyFirst() throws {
        try append("a1\na2\n")
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1024)
        XCTAssertEqual(lines(t), ["a1", "a2"])
        try append("a3\na4\n")                  // written after the last read, before the rotation
        try copytruncate()
        try append("b1\n")
        XCTAssertEqual(lines(t), ["a3", "a4", "b1"])
        XCTAssertEqual([t.truncations, t.copiesRead], [1, 1])
        try append("b2\n")
        XCTAssertEqual(lines(t), ["b2"])
    }

    func testCopytruncateRegrownPastTheOffsetIsToldByItsFirstBytes() throws {
        try append("old 1\n")
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1024)
        XCTAssertEqual(lines(t), ["old 1"])
        try append("old 2\n")
        try copytruncate()
        // By the next read the new file is longer than the old offset: only its first bytes tell.
        try append("new 1 is a longer line\nnew 2\n")
        XCTAssertEqual(lines(t), ["old 2", "new 1 is a longer line", "new 2"])
    }

    func testCopytruncateWithoutACopyRestartsAtZero() throws {
        try append("x1\n")
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1024)
        XCTAssertEqual(lines(t), ["x1"])
        try append("x2\n")
        XCTAssertEqual(truncate(path, 0), 0)      // no copy anywhere: x2 is gone
        try append("y1 is longer than before\n")
        XCTAssertEqual(lines(t), ["y1 is longer than before"])
        XCTAssertEqual(t.copiesRead, 0)
    }

    func testCopytruncateToAConfiguredPatternAndWhileStopped() throws {
        try append("a1\n")
        let pattern = dir + "/app.log-*"
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1024, rotatedPaths: [pattern])
        XCTAssertEqual(lines(t), ["a1"])
        let saved = try XCTUnwrap(t.position)
        XCTAssertNotNil(saved.fingerprint, "a position names its file's first bytes")
        // A decoy with other first bytes is not taken for the copy.
        try append("zz decoy\nzz\n", to: dir + "/app.log-20261128")
        try append("a2\n")
        try copytruncate(to: dir + "/app.log-20261129")
        try append("b1\n")
        // A restart from the saved position (the daemon was down during the rotation).
        let restarted = FileTailer(path: path, position: saved, chunkSize: 4096, maxLineBytes: 1024, rotatedPaths: [pattern])
        XCTAssertEqual(lines(restarted), ["a2", "b1"])
    }

    func testLineLongerThanTheLimitIsTruncatedAndPassed() throws {
        let huge = String(repeating: "x", count: 300_000)
        try append("before\n\(huge)\nafter\n")
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1000)
        var got: [(String, Bool)] = []
        t.read { got.append((String(decoding: $0.bytes, as: UTF8.self), $0.truncated)); return true }
        XCTAssertEqual(got.map(\.0.utf8.count), [6, 1000 + FileTailer.truncationMarker.count, 5])
        XCTAssertEqual(got.map(\.1), [false, true, false])
        XCTAssertTrue(got[1].0.hasSuffix("[truncated]"))
        XCTAssertEqual(t.position?.offset, Int64(7 + 300_001 + 6))
    }

    func testHugeLineWithoutNewlineYetWaits() throws {
        try append("ok\n" + String(repeating: "y", count: 50_000))
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1000)
        XCTAssertEqual(lines(t), ["ok"])
        XCTAssertEqual(t.position?.offset, 3, "the unfinished line is not consumed")
        try append("\nnext\n")
        XCTAssertEqual(lines(t).map(\.utf8.count), [1000 + FileTailer.truncationMarker.count, 4])
    }

    func testMissingFileAppearsLaterAndDirectoryIsUnreadable() throws {
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1024)
        XCTAssertEqual(t.read { _ in true }, .missing)
        try append("late\n")
        XCTAssertEqual(lines(t), ["late"])
        XCTAssertEqual(t.state, .reading)

        let d = FileTailer(path: dir, position: nil, chunkSize: 4096, maxLineBytes: 1024)
        XCTAssertEqual(d.read { _ in true }, .unreadable("not a regular file"))
    }

    func testBinaryGarbageAndNULsPassThroughAsBytes() throws {
        var bytes: [UInt8] = Array("a\u{0}b\n".utf8) + [0xFF, 0xFE, 0x00, 0x0A] + Array("z\n".utf8)
        bytes += []
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1024)
        var got: [[UInt8]] = []
        t.read { got.append(Array($0.bytes)); return true }
        XCTAssertEqual(got, [[0x61, 0x00, 0x62], [0xFF, 0xFE, 0x00], [0x7A]])
    }

    func testFirstSightStartsWithinTheBackfillWindowAtALineStart() throws {
        try append((0..<100).map { "line \($0)" }.joined(separator: "\n") + "\n")
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1024, initialBackfillBytes: 30)
        XCTAssertEqual(lines(t), ["line 97", "line 98", "line 99"])
    }

    func testStopRequestKeepsPositionAtTheLastHandedLine() throws {
        try append("1\n2\n3\n")
        let t = FileTailer(path: path, position: nil, chunkSize: 4096, maxLineBytes: 1024)
        var n = 0
        t.read { _ in n += 1; return n < 2 }
        XCTAssertEqual(t.position?.offset, 4)
        XCTAssertEqual(lines(t), ["3"])
    }
}

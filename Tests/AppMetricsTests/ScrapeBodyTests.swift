import ByteKit
import XCTest
@testable import AppMetricsCore

/// Scrape bodies: whatever an endpoint sends, the reader gives a value or an error.
/// (The reader itself is tested in ByteKitTests.)
final class ScrapeBodyTests: XCTestCase {
    /// Every prefix of a real document, and random bytes, give a value or an error: never a trap.
    func testArbitraryBytesNeverCrash() throws {
        let fixture = try Fixture.bytes("proxy_metrics_1.json")
        var parsedPrefixes = 0
        for end in 0...fixture.count {
            if case .success = JSONParser.parse(Array(fixture[0..<end])) { parsedPrefixes += 1 }
        }
        // Only the whole document, with and without its trailing newline, is complete.
        XCTAssertEqual(fixture.last, UInt8(ascii: "\n"))
        XCTAssertEqual(parsedPrefixes, 2)

        var rng = SplitMix64(seed: 0x5eed)
        let alphabet = Array("{}[]\":,.-+eE0123456789tfnrul\\ \n\u{1}abc".utf8) + [0xFF, 0xC3, 0x00]
        var outcomes = (ok: 0, failed: 0)
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 40)
            let bytes = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            switch JSONParser.parse(bytes) {
            case .success: outcomes.ok += 1
            case .failure: outcomes.failed += 1
            }
        }
        XCTAssertEqual(outcomes.ok + outcomes.failed, 20_000)
        XCTAssertGreaterThan(outcomes.failed, 0)

        // Mutations of a valid document: flip one byte at a time.
        for i in stride(from: 0, to: fixture.count, by: 3) {
            var mutated = fixture
            mutated[i] = UInt8(truncatingIfNeeded: rng.next())
            _ = JSONParser.parse(mutated)
        }
    }
}

/// A tiny deterministic generator, so a failure reproduces.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

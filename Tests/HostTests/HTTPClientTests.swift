import Foundation
import XCTest
@testable import CollectorCore

/// The scrape client against a real socket: addresses and names, and a name
/// lookup that counts against the request's one deadline (issue 15).
final class HTTPClientTests: XCTestCase {
    /// A listener on 127.0.0.1 that answers `count` requests with `{}`.
    private func serve(_ count: Int) throws -> (port: Int, done: XCTestExpectation) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        let done = expectation(description: "served \(count)")
        let thread = Thread {
            for _ in 0..<count {
                let client = accept(fd, nil, nil)
                guard client >= 0 else { break }
                var request = [UInt8](repeating: 0, count: 4096)
                _ = read(client, &request, request.count)
                let reply = Array("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}".utf8)
                _ = write(client, reply, reply.count)
                close(client)
            }
            close(fd)
            done.fulfill()
        }
        thread.start()
        return (Int(UInt16(bigEndian: address.sin_port)), done)
    }

    func testAddressAndNameBothReachTheServer() throws {
        let (port, done) = try serve(2)
        // An address needs no lookup; a name goes through the resolver thread.
        for host in ["127.0.0.1", "localhost"] {
            let response = try HTTPClient.get("http://\(host):\(port)/metrics", timeoutMs: 2000)
            XCTAssertEqual(response.status, 200, host)
            XCTAssertEqual(response.body, Array("{}".utf8), host)
        }
        wait(for: [done], timeout: 5)
    }

    /// A name that cannot be resolved fails within the deadline, whether the
    /// resolver answers at once (NXDOMAIN) or not at all (no DNS server reachable).
    func testNameLookupStaysInsideTheDeadline() {
        let started = ContinuousClock.now
        XCTAssertThrowsError(try HTTPClient.get("http://collector-test.invalid:9/", timeoutMs: 300)) { error in
            let kind = (error as? HTTPError)?.kind
            XCTAssertTrue(kind == .connect || kind == .timeout, "\(error)")
        }
        XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(1300))
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A scripted HTTP server on 127.0.0.1 (port chosen by the OS), written with
/// plain sockets so the plugin's GETs go through the host's real client.
///
/// Each path has a list of replies used in order; the last one repeats. One
/// thread accepts and answers connections one at a time, which is all a tick
/// (sequential GETs) needs. A `.hang` reply reads the request and keeps the
/// connection open without answering until the server stops.
final class LoopbackHTTPServer: @unchecked Sendable {
    enum Reply: Sendable {
        case json(Int, [UInt8])
        /// Exactly these bytes, then close.
        case raw([UInt8])
        /// Read the request, never answer.
        case hang

        static func json(_ status: Int, _ text: String) -> Reply { .json(status, Array(text.utf8)) }
    }

    let port: UInt16
    private let listener: Int32
    private let lock = NSLock()
    private var script: [String: [Reply]] = [:]
    private var served: [String] = []
    private var hung: [Int32] = []
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: \(String(cString: strerror(errno)))") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw ServerError("bind/listen: \(String(cString: strerror(errno)))")
        }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        listener = fd
        port = UInt16(bigEndian: actual.sin_port)
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "loopback-http"
        thread.start()
    }

    func url(_ path: String) -> String { "http://127.0.0.1:\(port)\(path)" }

    /// Sets the replies for `path` (used in order; the last repeats).
    func script(_ path: String, _ replies: [Reply]) {
        lock.withLock { script[path] = replies }
    }

    /// Request paths in the order they arrived.
    var requests: [String] { lock.withLock { served } }

    func stop() {
        let already = lock.withLock { () -> Bool in
            defer { stopping = true }
            return stopping
        }
        guard !already else { return }
        finished.wait()
        close(listener)
        lock.withLock { hung.forEach { close($0) }; hung.removeAll() }
    }

    deinit { stop() }

    // MARK: serving

    private func acceptLoop() {
        defer { finished.signal() }
        while !lock.withLock({ stopping }) {
            var pfd = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 50) > 0 else { continue }
            let client = accept(listener, nil, nil)
            guard client >= 0 else { continue }
            serve(client)
        }
    }

    private func serve(_ client: Int32) {
        let path = readRequestPath(client)
        let reply = lock.withLock { () -> Reply in
            served.append(path)
            guard var replies = script[path], !replies.isEmpty else { return .json(404, "{\"error\":\"no such path\"}") }
            let next = replies.removeFirst()
            script[path] = replies.isEmpty ? [next] : replies
            return next
        }
        switch reply {
        case .hang:
            lock.withLock { hung.append(client) }
            return
        case .raw(let bytes):
            write(bytes, to: client)
        case .json(let status, let body):
            let head = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            write(Array(head.utf8) + body, to: client)
        }
        close(client)
    }

    /// The request target of the first line ("GET /api HTTP/1.1" → "/api").
    private func readRequestPath(_ client: Int32) -> String {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !data.containsHeaderEnd, data.count < 65536 {
            var pfd = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, 2000) > 0 else { break }
            let n = chunk.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { break }
            data.append(contentsOf: chunk[0..<n])
        }
        let firstLine = String(decoding: data.prefix { $0 != 13 && $0 != 10 }, as: UTF8.self)
        let parts = firstLine.split(separator: " ")
        return parts.count >= 2 ? String(parts[1]) : ""
    }

    private func write(_ bytes: [UInt8], to client: Int32) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(client, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { return }
            sent += n
        }
    }
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Array where Element == UInt8 {
    fileprivate var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 { return true }
        return false
    }
}

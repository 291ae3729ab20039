#if canImport(Glibc)
import Glibc
#endif

/// A failed GET: why, in words fit for a log line.
package struct HTTPError: Error, CustomStringConvertible, Sendable {
    package enum Kind: Sendable { case badURL, connect, timeout, protocolError }
    package let kind: Kind
    package let message: String
    package var description: String { message }
}

package struct HTTPResponse: Sendable {
    package let status: Int
    package let body: [UInt8]
}

/// A small blocking HTTP/1.1 client for scraping metrics endpoints on the host:
/// plain `http://`, GET only, one total deadline covering connect, send and
/// receive. It runs on the calling tick's own thread, so a hanging endpoint
/// delays only that tick, and never longer than the timeout.
package enum HTTPClient {
    package static let maxBodyBytes = 16 << 20

    package struct URL: Equatable {
        package let host: String
        package let port: Int
        package let path: String

        package init(parsing text: String) throws(HTTPError) {
            guard text.hasPrefix("http://") else {
                throw HTTPError(kind: .badURL, message: "only http:// URLs are supported: \(text)")
            }
            let rest = text.dropFirst(7)
            let authority = rest.prefix { $0 != "/" && $0 != "?" }
            let tail = rest.dropFirst(authority.count)
            path = tail.isEmpty ? "/" : (tail.hasPrefix("/") ? String(tail) : "/" + tail)
            if authority.hasPrefix("[") {
                guard let close = authority.firstIndex(of: "]") else { throw HTTPError(kind: .badURL, message: "bad IPv6 host in \(text)") }
                host = String(authority[authority.index(after: authority.startIndex)..<close])
                let after = authority[authority.index(after: close)...]
                port = after.hasPrefix(":") ? Int(after.dropFirst()) ?? -1 : 80
            } else if let colon = authority.lastIndex(of: ":") {
                host = String(authority[..<colon])
                port = Int(authority[authority.index(after: colon)...]) ?? -1
            } else {
                host = String(authority)
                port = 80
            }
            guard !host.isEmpty, (1...65535).contains(port) else {
                throw HTTPError(kind: .badURL, message: "bad host or port in \(text)")
            }
        }
    }

    package static func get(_ urlText: String, timeoutMs: Int) throws(HTTPError) -> HTTPResponse {
        let url = try URL(parsing: urlText)
        let deadline = MonotonicClock.nowNanos() + UInt64(max(1, timeoutMs)) * 1_000_000
        let fd = try connect(url, deadline: deadline)
        defer { close(fd) }
        let request = "GET \(url.path) HTTP/1.1\r\nHost: \(url.host):\(url.port)\r\nUser-Agent: pqcrypta-collector\r\nAccept: application/json\r\nConnection: close\r\n\r\n"
        try send(fd, Array(request.utf8), deadline: deadline, url: urlText)
        let raw = try receive(fd, deadline: deadline, url: urlText)
        return try parse(raw, url: urlText)
    }

    private static func remainingMs(_ deadline: UInt64) -> Int32 {
        let now = MonotonicClock.nowNanos()
        return now >= deadline ? 0 : Int32(min((deadline - now) / 1_000_000 + 1, UInt64(Int32.max)))
    }

    /// The addresses of `url`, owned until the last reference goes: the caller's,
    /// or a resolver thread's that outlived its deadline.
    private final class Resolution: @unchecked Sendable {
        var result: UnsafeMutablePointer<addrinfo>?
        var status: Int32 = EAI_AGAIN

        deinit { if let result { freeaddrinfo(result) } }

        func resolve(_ host: String, _ port: Int, numericOnly: Bool) {
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            if numericOnly { hints.ai_flags = AI_NUMERICHOST }
            status = getaddrinfo(host, String(port), &hints, &result)
        }
    }

    /// Resolves `url`'s host within the request's deadline. An address literal
    /// (the usual `127.0.0.1`) needs no lookup; a name is looked up on a thread of
    /// its own, because getaddrinfo() takes no timeout and a dead DNS server holds
    /// it for resolv.conf's timeout × attempts × servers, past the caller's
    /// deadline. At the deadline that thread is abandoned: it ends with the lookup,
    /// and the last reference to the `Resolution` frees its result.
    private static func resolve(_ url: URL, deadline: UInt64) throws(HTTPError) -> Resolution {
        let literal = Resolution()
        literal.resolve(url.host, url.port, numericOnly: true)
        if literal.status == 0 { return literal }
        let lookup = Resolution()
        let host = url.host, port = url.port
        let thread = WorkerThread(name: "resolve") { lookup.resolve(host, port, numericOnly: false) }
        thread.start()
        guard thread.join(untilNanos: deadline) else {
            throw HTTPError(kind: .timeout, message: "resolving \(url.host) timed out")
        }
        guard lookup.status == 0, lookup.result != nil else {
            throw HTTPError(kind: .connect, message: "cannot resolve \(url.host): \(String(cString: gai_strerror(lookup.status)))")
        }
        return lookup
    }

    private static func connect(_ url: URL, deadline: UInt64) throws(HTTPError) -> Int32 {
        let addresses = try resolve(url, deadline: deadline)
        // The list below points into its result.
        defer { withExtendedLifetime(addresses) {} }
        var lastError = "no address"
        var cursor: UnsafeMutablePointer<addrinfo>? = addresses.result
        while let ai = cursor {
            cursor = ai.pointee.ai_next
            let fd = socket(ai.pointee.ai_family, ai.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), ai.pointee.ai_protocol)
            if fd < 0 { continue }
            if Glibc.connect(fd, ai.pointee.ai_addr, ai.pointee.ai_addrlen) == 0 { return fd }
            if errno == EINPROGRESS {
                var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                let ready = poll(&pfd, 1, remainingMs(deadline))
                if ready == 0 {
                    close(fd)
                    throw HTTPError(kind: .timeout, message: "connect to \(url.host):\(url.port) timed out")
                }
                var soError: Int32 = 0
                var len = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &len)
                if ready > 0 && soError == 0 { return fd }
                lastError = String(cString: strerror(soError == 0 ? errno : soError))
            } else {
                lastError = String(cString: strerror(errno))
            }
            close(fd)
        }
        throw HTTPError(kind: .connect, message: "connect to \(url.host):\(url.port) failed: \(lastError)")
    }

    private static func send(_ fd: Int32, _ bytes: [UInt8], deadline: UInt64, url: String) throws(HTTPError) {
        var sent = 0
        while sent < bytes.count {
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            guard poll(&pfd, 1, remainingMs(deadline)) > 0 else { throw HTTPError(kind: .timeout, message: "GET \(url): timed out sending") }
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw HTTPError(kind: .connect, message: "GET \(url): send failed: \(String(cString: strerror(errno)))")
            }
            sent += n
        }
    }

    private static func receive(_ fd: Int32, deadline: UInt64, url: String) throws(HTTPError) -> [UInt8] {
        var data: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, remainingMs(deadline))
            if ready == 0 { throw HTTPError(kind: .timeout, message: "GET \(url): no complete response within the timeout") }
            if ready < 0 {
                if errno == EINTR { continue }
                throw HTTPError(kind: .connect, message: "GET \(url): poll failed")
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { return data }
            if n < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw HTTPError(kind: .connect, message: "GET \(url): \(String(cString: strerror(errno)))")
            }
            data.append(contentsOf: chunk[0..<n])
            if data.count > maxBodyBytes { throw HTTPError(kind: .protocolError, message: "GET \(url): response over \(maxBodyBytes) bytes") }
            // Connection: close ends most responses; Content-Length lets us stop early.
            if let complete = completeLength(data), data.count >= complete { return Array(data[0..<complete]) }
        }
    }

    /// Total length of the response if its headers give a Content-Length.
    private static func completeLength(_ data: [UInt8]) -> Int? {
        guard let end = headerEnd(data) else { return nil }
        let head = String(decoding: data[0..<end], as: UTF8.self).lowercased()
        for line in head.split(separator: "\r\n") where line.hasPrefix("content-length:") {
            if let n = Int(line.dropFirst(15).trimmingCharacters()) { return end + 4 + n }
        }
        return nil
    }

    private static func headerEnd(_ data: [UInt8]) -> Int? {
        guard data.count >= 4 else { return nil }
        for i in 0...(data.count - 4) where data[i] == 13 && data[i + 1] == 10 && data[i + 2] == 13 && data[i + 3] == 10 {
            return i
        }
        return nil
    }

    package static func parse(_ data: [UInt8], url: String) throws(HTTPError) -> HTTPResponse {
        guard let end = headerEnd(data) else {
            throw HTTPError(kind: .protocolError, message: "GET \(url): response without complete headers")
        }
        let head = String(decoding: data[0..<end], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/1."), let status = Int(statusParts[1]) else {
            throw HTTPError(kind: .protocolError, message: "GET \(url): bad status line")
        }
        var body = Array(data[(end + 4)...])
        // "chunked" is the last transfer coding when present (RFC 9112 6.1). No
        // substring search: String.contains(String) lives in _StringProcessing,
        // a library the daemon would otherwise load for this one call.
        let chunked = lines.dropFirst().contains { line in
            let header = line.lowercased()
            return header.hasPrefix("transfer-encoding:")
                && header.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ":" || $0 == "\t" }).last == "chunked"
        }
        if chunked { body = try dechunk(body, url: url) }
        return HTTPResponse(status: status, body: body)
    }

    private static func dechunk(_ data: [UInt8], url: String) throws(HTTPError) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < data.count {
            var j = i
            while j + 1 < data.count, !(data[j] == 13 && data[j + 1] == 10) { j += 1 }
            guard j + 1 < data.count else { break }
            let sizeText = String(decoding: data[i..<j], as: UTF8.self).split(separator: ";").first.map(String.init) ?? ""
            guard let size = Int(sizeText.trimmingCharacters(), radix: 16) else {
                throw HTTPError(kind: .protocolError, message: "GET \(url): bad chunk size")
            }
            if size == 0 { return out }
            let start = j + 2
            guard start + size <= data.count else { throw HTTPError(kind: .protocolError, message: "GET \(url): truncated chunk") }
            out.append(contentsOf: data[start..<(start + size)])
            i = start + size + 2
        }
        throw HTTPError(kind: .protocolError, message: "GET \(url): truncated chunked body")
    }
}

extension StringProtocol {
    package func trimmingCharacters() -> String { String(self).trimmingSpaces }
}

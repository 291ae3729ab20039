#if canImport(Glibc)
import Glibc
#endif

/// The daemon ↔ plugin-runner wire format: frames of `u32 length` (little
/// endian, of what follows) + `u8 kind` + payload, over a stream socketpair.
/// Payloads are built with `FrameWriter` and read with `FrameReader`; both
/// sides are the same binary, so there is no version negotiation.
package enum FrameKind: UInt8, Sendable {
    /// daemon → runner: source name, then lines. runner → daemon: one result per line.
    case parse = 1, parsed
    /// daemon → runner: tick or analyzer index. runner → daemon: status, rows, findings.
    case run, ran
    /// runner → daemon during a run: one SQL statement. daemon → runner: its rows or error.
    case query, queryResult
    /// runner → daemon once loaded: ready (or why not).
    case ready
}

/// Appends little-endian fields to a frame under construction.
package struct FrameWriter {
    package private(set) var bytes: [UInt8] = []

    package init(_ kind: FrameKind, reservingCapacity capacity: Int = 256) {
        bytes.reserveCapacity(capacity + 5)
        bytes += [0, 0, 0, 0, kind.rawValue]
    }

    package mutating func u8(_ v: UInt8) { bytes.append(v) }
    package mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    package mutating func i64(_ v: Int64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    package mutating func f64(_ v: Double) { i64(Int64(bitPattern: v.bitPattern)) }
    package mutating func raw(_ b: UnsafeRawBufferPointer) {
        u32(UInt32(b.count))
        bytes.append(contentsOf: b)
    }
    /// Bytes followed by a NUL (counted in the length), so the reader can hand
    /// out a C string pointing into the frame.
    package mutating func cString(_ p: UnsafePointer<CChar>) {
        let n = strlen(p)
        u32(UInt32(n + 1))
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: p, count: n + 1))
    }
    package mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            u32(UInt32(u.count + 1))
            bytes.append(contentsOf: u)
            bytes.append(0)
        }
    }
    package mutating func optionalString(_ s: String?) {
        if let s { u8(1); string(s) } else { u8(0) }
    }

    /// Fills in the length; the bytes are ready to send.
    package mutating func finish() -> [UInt8] {
        let n = UInt32(bytes.count - 4).littleEndian
        withUnsafeBytes(of: n) { for i in 0..<4 { bytes[i] = $0[i] } }
        return bytes
    }
}

/// A malformed frame: the peer is not speaking this protocol (or is corrupt).
package struct FrameError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// Reads the fields of one received frame payload (after its kind byte).
/// Borrowed: pointers it hands out live as long as the buffer.
package struct FrameReader {
    package let base: UnsafeRawBufferPointer
    package private(set) var offset = 0

    package init(_ base: UnsafeRawBufferPointer) { self.base = base }

    private mutating func take(_ n: Int) throws(FrameError) -> Int {
        guard n >= 0, offset + n <= base.count else { throw FrameError("frame too short (\(base.count) bytes)") }
        defer { offset += n }
        return offset
    }
    package mutating func u8() throws(FrameError) -> UInt8 { base[try take(1)] }
    package mutating func u32() throws(FrameError) -> UInt32 {
        UInt32(littleEndian: base.loadUnaligned(fromByteOffset: try take(4), as: UInt32.self))
    }
    package mutating func i64() throws(FrameError) -> Int64 {
        Int64(littleEndian: base.loadUnaligned(fromByteOffset: try take(8), as: Int64.self))
    }
    package mutating func f64() throws(FrameError) -> Double { Double(bitPattern: UInt64(bitPattern: try i64())) }
    package mutating func raw() throws(FrameError) -> UnsafeRawBufferPointer {
        let n = Int(try u32())
        let at = try take(n)
        return UnsafeRawBufferPointer(rebasing: base[at..<(at + n)])
    }
    /// A NUL-terminated string written by `cString`/`string`: pointer into the frame.
    package mutating func cString() throws(FrameError) -> UnsafePointer<CChar> {
        let b = try raw()
        guard let p = b.baseAddress, b.count > 0, b[b.count - 1] == 0 else { throw FrameError("string without its NUL") }
        return p.assumingMemoryBound(to: CChar.self)
    }
    package mutating func string() throws(FrameError) -> String { String(cString: try cString()) }
    package mutating func optionalString() throws(FrameError) -> String? { try u8() == 0 ? nil : try string() }
}

extension [UInt8] {
    /// Reads the payload of the frame held in `self[0..<count]` (after its kind byte).
    package func readFrame<T>(count: Int, from start: Int = 5, _ body: (inout FrameReader) throws(FrameError) -> T) throws(FrameError) -> T {
        let result = withUnsafeBytes { raw -> Result<T, FrameError> in
            var reader = FrameReader(UnsafeRawBufferPointer(rebasing: raw[start..<count]))
            do throws(FrameError) { return .success(try body(&reader)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

/// Blocking frame I/O on one end of the socketpair, with deadlines.
package struct FrameChannel: Sendable {
    package let fd: Int32

    package init(fd: Int32) { self.fd = fd }

    package enum Failure: Error, Equatable {
        /// The peer closed its end (exited or crashed).
        case closed
        /// Nothing within the deadline.
        case timeout
        case io(String)
    }

    /// Sends one finished frame.
    package func send(_ frame: [UInt8]) throws(Failure) {
        var sent = 0
        while sent < frame.count {
            let n = frame.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EPIPE || errno == ECONNRESET { throw .closed }
                throw .io(String(cString: strerror(errno)))
            }
            sent += n
        }
    }

    /// Receives one frame into `buffer` (reused; grows as needed) and returns
    /// its kind; the payload is `buffer[5..<count]`. `deadlineNanos` 0 = none.
    package func receive(into buffer: inout [UInt8], count: inout Int, deadlineNanos: UInt64) throws(Failure) -> UInt8 {
        if buffer.count < 5 { buffer = [UInt8](repeating: 0, count: 64 << 10) }
        try fill(&buffer, from: 0, to: 5, deadlineNanos: deadlineNanos)
        let length = Int(UInt32(littleEndian: buffer.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
        guard length >= 1, length < 1 << 30 else { throw .io("bad frame length \(length)") }
        let total = 4 + length
        if buffer.count < total { buffer += [UInt8](repeating: 0, count: total - buffer.count) }
        try fill(&buffer, from: 5, to: total, deadlineNanos: deadlineNanos)
        count = total
        return buffer[4]
    }

    private func fill(_ buffer: inout [UInt8], from start: Int, to end: Int, deadlineNanos: UInt64) throws(Failure) {
        var at = start
        while at < end {
            if deadlineNanos > 0 {
                let now = MonotonicClock.nowNanos()
                guard now < deadlineNanos else { throw .timeout }
                var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ms = Int32(min((deadlineNanos - now) / 1_000_000 + 1, 60_000))
                let ready = poll(&p, 1, ms)
                if ready < 0 && errno != EINTR { throw .io(String(cString: strerror(errno))) }
                if ready <= 0 { continue }
            }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + at, end - at, 0) }
            if n == 0 { throw .closed }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == ECONNRESET { throw .closed }
                throw .io(String(cString: strerror(errno)))
            }
            at += n
        }
    }
}

import ByteKit

/// Parses /proc/net/dev: two header lines, then "name: 8 receive and 8
/// transmit columns". Old kernels print no space after the colon.
public enum NetDevParser {
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [InterfaceCounters] {
        var scanner = ByteScanner(bytes)
        var interfaces: [InterfaceCounters] = []
        while !scanner.isAtEnd {
            defer { scanner.skipLine() }
            scanner.skipBlanks()
            let nameStart = scanner.position
            // Header lines have '|' and no colon.
            guard scanner.advanceOnLine(to: UInt8(ascii: ":")), scanner.position > nameStart else { continue }
            let name = nameStart..<scanner.position
            scanner.position += 1
            guard let rxBytes = scanner.readUInt64(), let rxPackets = scanner.readUInt64(),
                let rxErrors = scanner.readUInt64(), let rxDrops = scanner.readUInt64(),
                scanner.readUInt64() != nil, scanner.readUInt64() != nil,  // fifo, frame
                scanner.readUInt64() != nil, scanner.readUInt64() != nil,  // compressed, multicast
                let txBytes = scanner.readUInt64(), let txPackets = scanner.readUInt64(),
                let txErrors = scanner.readUInt64(), let txDrops = scanner.readUInt64()
            else { continue }
            interfaces.append(
                InterfaceCounters(
                    name: scanner.string(name), receivedBytes: rxBytes, receivedPackets: rxPackets,
                    receiveErrors: rxErrors, receiveDrops: rxDrops, transmittedBytes: txBytes,
                    transmittedPackets: txPackets, transmitErrors: txErrors, transmitDrops: txDrops))
        }
        return interfaces
    }

    public static func parse(_ bytes: [UInt8]) -> [InterfaceCounters] {
        bytes.withUnsafeBufferPointer { parse($0) }
    }
}

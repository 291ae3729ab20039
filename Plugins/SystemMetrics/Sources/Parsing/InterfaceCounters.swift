/// Cumulative counters of one /proc/net/dev line.
public struct InterfaceCounters: Sendable, Hashable {
    public var name: String
    public var receivedBytes: UInt64
    public var receivedPackets: UInt64
    public var receiveErrors: UInt64
    public var receiveDrops: UInt64
    public var transmittedBytes: UInt64
    public var transmittedPackets: UInt64
    public var transmitErrors: UInt64
    public var transmitDrops: UInt64

    public init(
        name: String, receivedBytes: UInt64, receivedPackets: UInt64, receiveErrors: UInt64,
        receiveDrops: UInt64, transmittedBytes: UInt64, transmittedPackets: UInt64,
        transmitErrors: UInt64, transmitDrops: UInt64
    ) {
        self.name = name
        self.receivedBytes = receivedBytes
        self.receivedPackets = receivedPackets
        self.receiveErrors = receiveErrors
        self.receiveDrops = receiveDrops
        self.transmittedBytes = transmittedBytes
        self.transmittedPackets = transmittedPackets
        self.transmitErrors = transmitErrors
        self.transmitDrops = transmitDrops
    }
}

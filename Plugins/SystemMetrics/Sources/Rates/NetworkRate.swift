/// Traffic of one network interface over the last interval.
public struct NetworkRate: Sendable, Hashable {
    public var interface: String
    public var receivedBytesPerSecond: Double
    public var transmittedBytesPerSecond: Double
    public var receivedPacketsPerSecond: Double
    public var transmittedPacketsPerSecond: Double
    public var receiveErrorsPerSecond: Double
    public var transmitErrorsPerSecond: Double
    public var receiveDropsPerSecond: Double
    public var transmitDropsPerSecond: Double

    public init(
        interface: String, receivedBytesPerSecond: Double, transmittedBytesPerSecond: Double,
        receivedPacketsPerSecond: Double, transmittedPacketsPerSecond: Double,
        receiveErrorsPerSecond: Double, transmitErrorsPerSecond: Double,
        receiveDropsPerSecond: Double, transmitDropsPerSecond: Double
    ) {
        self.interface = interface
        self.receivedBytesPerSecond = receivedBytesPerSecond
        self.transmittedBytesPerSecond = transmittedBytesPerSecond
        self.receivedPacketsPerSecond = receivedPacketsPerSecond
        self.transmittedPacketsPerSecond = transmittedPacketsPerSecond
        self.receiveErrorsPerSecond = receiveErrorsPerSecond
        self.transmitErrorsPerSecond = transmitErrorsPerSecond
        self.receiveDropsPerSecond = receiveDropsPerSecond
        self.transmitDropsPerSecond = transmitDropsPerSecond
    }
}

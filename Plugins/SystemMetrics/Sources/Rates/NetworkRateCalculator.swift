/// Turns successive /proc/net/dev reads into per-interface rates.
public struct NetworkRateCalculator: Sendable {
    private var history = CounterHistory<InterfaceCounters>()

    public init() {}

    /// Rates for interfaces present in both reads with no counter gone
    /// backwards; an interface that vanished and came back primes again.
    public mutating func update(with interfaces: [InterfaceCounters], at instant: SampleInstant) -> [NetworkRate] {
        var rates: [NetworkRate] = []
        rates.reserveCapacity(interfaces.count)
        history.advance(to: interfaces, at: instant) { before, after, seconds in
            func rate(_ counter: KeyPath<InterfaceCounters, UInt64>) -> Double {
                Double(after[keyPath: counter] - before[keyPath: counter]) / seconds
            }
            rates.append(
                NetworkRate(
                    interface: after.name,
                    receivedBytesPerSecond: rate(\.receivedBytes),
                    transmittedBytesPerSecond: rate(\.transmittedBytes),
                    receivedPacketsPerSecond: rate(\.receivedPackets),
                    transmittedPacketsPerSecond: rate(\.transmittedPackets),
                    receiveErrorsPerSecond: rate(\.receiveErrors),
                    transmitErrorsPerSecond: rate(\.transmitErrors),
                    receiveDropsPerSecond: rate(\.receiveDrops),
                    transmitDropsPerSecond: rate(\.transmitDrops)))
        }
        return rates
    }
}

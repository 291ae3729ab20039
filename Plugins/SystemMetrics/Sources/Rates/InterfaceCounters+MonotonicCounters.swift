extension InterfaceCounters: MonotonicCounters {
    func hasDecreased(since earlier: InterfaceCounters) -> Bool {
        receivedBytes < earlier.receivedBytes || receivedPackets < earlier.receivedPackets
            || receiveErrors < earlier.receiveErrors || receiveDrops < earlier.receiveDrops
            || transmittedBytes < earlier.transmittedBytes || transmittedPackets < earlier.transmittedPackets
            || transmitErrors < earlier.transmitErrors || transmitDrops < earlier.transmitDrops
    }
}

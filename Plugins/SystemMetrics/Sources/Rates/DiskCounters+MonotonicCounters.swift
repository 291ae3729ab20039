extension DiskCounters: MonotonicCounters {
    func hasDecreased(since earlier: DiskCounters) -> Bool {
        readsCompleted < earlier.readsCompleted || sectorsRead < earlier.sectorsRead
            || writesCompleted < earlier.writesCompleted || sectorsWritten < earlier.sectorsWritten
            || ioTicksMilliseconds < earlier.ioTicksMilliseconds
    }
}

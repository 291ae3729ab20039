/// Host memory from /proc/meminfo, in bytes.
public struct MemoryInfo: Sendable, Hashable {
    public var totalBytes: UInt64
    public var freeBytes: UInt64
    /// MemAvailable; on kernels before 3.14, which lack it, free + buffers + cached.
    public var availableBytes: UInt64
    public var buffersBytes: UInt64
    /// Page cache plus reclaimable slab, the "cache" of free(1).
    public var cachedBytes: UInt64
    public var swapTotalBytes: UInt64
    public var swapFreeBytes: UInt64

    public init(
        totalBytes: UInt64, freeBytes: UInt64, availableBytes: UInt64, buffersBytes: UInt64,
        cachedBytes: UInt64, swapTotalBytes: UInt64, swapFreeBytes: UInt64
    ) {
        self.totalBytes = totalBytes
        self.freeBytes = freeBytes
        self.availableBytes = availableBytes
        self.buffersBytes = buffersBytes
        self.cachedBytes = cachedBytes
        self.swapTotalBytes = swapTotalBytes
        self.swapFreeBytes = swapFreeBytes
    }

    /// Memory not available to new work: total minus available, as free(1)
    /// and the sysinfo crate report it.
    public var usedBytes: UInt64 { totalBytes > availableBytes ? totalBytes - availableBytes : 0 }

    public var swapUsedBytes: UInt64 { swapTotalBytes > swapFreeBytes ? swapTotalBytes - swapFreeBytes : 0 }

    public var usedPercent: Double {
        totalBytes > 0 ? Double(usedBytes) / Double(totalBytes) * 100 : 0
    }
}

import ByteKit

// JSONB shapes of the list-valued columns. Keys are snake_case to match the
// SQL side; percentages keep 2 decimals, rates 1.

extension CoreUsage: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("core")
        writer.value(core)
        writer.key("user")
        writer.value(percentages.user)
        writer.key("system")
        writer.value(percentages.system)
        writer.key("iowait")
        writer.value(percentages.iowait)
        writer.key("steal")
        writer.value(percentages.steal)
        writer.key("idle")
        writer.value(percentages.idle)
        writer.key("busy")
        writer.value(percentages.busy)
        writer.endObject()
    }
}

extension MountUsage: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("mount")
        writer.value(mountPoint)
        writer.key("device")
        writer.value(device)
        writer.key("fs_type")
        writer.value(fileSystemType)
        writer.key("total_bytes")
        writer.value(totalBytes)
        writer.key("used_bytes")
        writer.value(usedBytes)
        writer.key("available_bytes")
        writer.value(availableBytes)
        writer.key("used_pct")
        writer.value(usedPercent)
        writer.key("inodes_total")
        writer.value(totalInodes)
        writer.key("inodes_used")
        writer.value(usedInodes)
        writer.endObject()
    }
}

extension DiskIORate: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("device")
        writer.value(device)
        writer.key("read_bytes_per_sec")
        writer.value(readBytesPerSecond, fractionDigits: 1)
        writer.key("write_bytes_per_sec")
        writer.value(writeBytesPerSecond, fractionDigits: 1)
        writer.key("read_ops_per_sec")
        writer.value(readOpsPerSecond)
        writer.key("write_ops_per_sec")
        writer.value(writeOpsPerSecond)
        writer.key("busy_pct")
        writer.value(busyPercent)
        writer.endObject()
    }
}

extension NetworkRate: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("interface")
        writer.value(interface)
        writer.key("rx_bytes_per_sec")
        writer.value(receivedBytesPerSecond, fractionDigits: 1)
        writer.key("tx_bytes_per_sec")
        writer.value(transmittedBytesPerSecond, fractionDigits: 1)
        writer.key("rx_packets_per_sec")
        writer.value(receivedPacketsPerSecond)
        writer.key("tx_packets_per_sec")
        writer.value(transmittedPacketsPerSecond)
        writer.key("rx_errors_per_sec")
        writer.value(receiveErrorsPerSecond)
        writer.key("tx_errors_per_sec")
        writer.value(transmitErrorsPerSecond)
        writer.key("rx_drops_per_sec")
        writer.value(receiveDropsPerSecond)
        writer.key("tx_drops_per_sec")
        writer.value(transmitDropsPerSecond)
        writer.endObject()
    }
}

extension ProcessDetail: JSONWritable {
    public func write(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("pid")
        writer.value(pid)
        writer.key("state")
        writer.value(String(state))
        writer.key("rss_bytes")
        writer.value(residentBytes)
        writer.key("fds")
        writer.value(fileDescriptors)
        writer.key("threads")
        writer.value(threads)
        writer.key("cpu_pct")
        writer.value(cpuPercent)
        writer.key("uptime_secs")
        writer.value(uptimeSeconds, fractionDigits: 0)
        writer.endObject()
    }
}

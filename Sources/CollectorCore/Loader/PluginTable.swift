import ByteKit
import PluginABI

/// A row target a plugin declared with `table_open`; its address is the `pqc_table *`.
package final class PluginTable: @unchecked Sendable {
    package let owner: String
    package let target: RowTarget
    package let writerID: Int
    /// Columns the plugin fills, in emit order.
    package let pluginColumns: Int
    /// True when the host fills `ts` with the emit time.
    package let hostFillsTimestamp: Bool
    package let hostname: String
    package unowned let writer: BatchWriter

    package init(owner: String, table: String, columns: [String], hostname: String, writer: BatchWriter) {
        self.owner = owner
        hostFillsTimestamp = !columns.contains("ts")
        var all = ["host"]
        if hostFillsTimestamp { all.append("ts") }
        all += columns
        target = RowTarget(table: table, columns: all, droppable: true)
        pluginColumns = columns.count
        self.hostname = hostname
        self.writer = writer
        writerID = writer.register(target)
    }

    package var handle: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

    package static func from(_ handle: OpaquePointer?) -> PluginTable? {
        guard let handle else { return nil }
        return Unmanaged<PluginTable>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    /// Encodes and queues one row; false if a cell cannot be encoded.
    package func emit(_ values: UnsafeBufferPointer<pqc_value>, now: Int64) -> Bool {
        var encoder = CopyEncoder(reservingCapacity: 256)
        encoder.appendText(hostname)
        if hostFillsTimestamp {
            encoder.appendSeparator()
            encoder.appendTimestamp(micros: now)
        }
        for value in values {
            encoder.appendSeparator()
            guard Self.encode(value, into: &encoder) else { return false }
        }
        encoder.endRow()
        writer.append(writerID, row: encoder.bytes)
        return true
    }

    package static func encode(_ value: pqc_value, into encoder: inout CopyEncoder) -> Bool {
        switch pqc_value_type(value.type) {
        case PQC_VALUE_NULL: encoder.appendNull()
        case PQC_VALUE_BOOL: encoder.appendBool(value.v.i != 0)
        case PQC_VALUE_INT: encoder.appendInt(value.v.i)
        case PQC_VALUE_DOUBLE: encoder.appendDouble(value.v.d)
        case PQC_VALUE_TIMESTAMP: encoder.appendTimestamp(micros: value.v.i)
        case PQC_VALUE_TEXT:
            encoder.appendText(UnsafeRawBufferPointer(start: value.v.s, count: value.v.s == nil ? 0 : value.len))
        case PQC_VALUE_JSON:
            let raw = UnsafeRawBufferPointer(start: value.v.s, count: value.v.s == nil ? 0 : value.len)
            encoder.appendJSON(raw)
        default:
            return false
        }
        return true
    }
}

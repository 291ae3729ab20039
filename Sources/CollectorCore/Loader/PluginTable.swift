import ByteKit
import PluginABI
import Synchronization

/// A row target a plugin declared with `table_open` or `table_open_typed`; its
/// address is the `pqc_table *`. Every emitted row is checked against the
/// target's rules (`TableRules`) before it is queued: the declarations from
/// the start, the table's own columns once `TableCheck` has read them.
package final class PluginTable: @unchecked Sendable {
    package let owner: String
    package let target: RowTarget
    package let writerID: Int
    /// Columns the plugin fills, in emit order.
    package let columns: [String]
    /// Their declared value types (`table_open_typed`); nil for `table_open`.
    package let declared: [pqc_value_type]?
    package var pluginColumns: Int { columns.count }
    /// True when the host fills `ts` with the emit time.
    package let hostFillsTimestamp: Bool
    package let hostname: String
    package unowned let writer: BatchWriter
    /// The rules and how many times they were set (a runner is sent them again when this moves).
    private let state: Mutex<(version: Int, rules: TableRules)>

    package init(owner: String, table: String, columns: [String], declared: [pqc_value_type]? = nil,
                 hostname: String, writer: BatchWriter) {
        self.owner = owner
        hostFillsTimestamp = !columns.contains("ts")
        var all = ["host"]
        if hostFillsTimestamp { all.append("ts") }
        all += columns
        target = RowTarget(table: table, columns: all, droppable: true)
        self.columns = columns
        self.declared = declared
        state = Mutex((0, .columns(TableCheck.initialRules(columns: columns, declared: declared))))
        self.hostname = hostname
        self.writer = writer
        writerID = writer.register(target)
    }

    /// Sets the rules checked at emit (after `TableCheck`, or from the daemon in a runner).
    package func setRules(_ rules: TableRules) {
        state.withLock { $0 = ($0.version + 1, rules) }
    }

    package var rules: (version: Int, rules: TableRules) { state.withLock { $0 } }

    /// Why `values` cannot be queued, or nil.
    package func problem(_ values: UnsafeBufferPointer<pqc_value>) -> String? {
        state.withLock { $0.rules.problem(values, table: target.table) }
    }

    package var handle: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

    package static func from(_ handle: OpaquePointer?) -> PluginTable? {
        guard let handle else { return nil }
        return Unmanaged<PluginTable>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    /// Encodes and queues one row (checked with `problem` first); false if a
    /// cell cannot be encoded.
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

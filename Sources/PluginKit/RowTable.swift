import PluginABI

/// One cell of an emitted row.
public enum RowValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case text(String)
    /// Microseconds since the Unix epoch, UTC.
    case timestamp(micros: Int64)
    /// A JSON document for a JSONB column.
    case json(String)
}

extension RowValue {
    public static func int(_ value: Int) -> RowValue { .int(Int64(value)) }
    public static func optionalDouble(_ value: Double?) -> RowValue { value.map { .double($0) } ?? .null }
    public static func optionalInt(_ value: Int64?) -> RowValue { value.map { .int($0) } ?? .null }
}

/// A declared row target (`table_open`); `emit` queues one row in the host's writer.
public struct RowTable: @unchecked Sendable {
    let api: UnsafePointer<pqc_host_api>
    let handle: OpaquePointer
    public let layout: TableLayout
    let host: PluginHost

    /// Queues `row`, its cells laid out by `layout`. A cell naming a column the
    /// layout lacks is refused (`PQC_EINVAL`) rather than silently dropped.
    /// Throws `.retry` when the host's buffer is full (database down) and the
    /// row was not queued.
    public func emit(_ row: Row) throws(HostError) {
        let unknown = row.unknownColumns(in: layout)
        guard unknown.isEmpty else {
            throw HostError(status: PQC_EINVAL, message: "\(layout.table) has no column \(unknown.joined(separator: ", ")) in its layout")
        }
        try emit(values: row.values(for: layout))
    }

    /// Queues cells already in `layout` order.
    func emit(values: [RowValue]) throws(HostError) {
        // All text goes into one buffer so every pqc_value points at live bytes for the call.
        var text: [UInt8] = []
        var spans: [(offset: Int, count: Int)] = []
        spans.reserveCapacity(values.count)
        for value in values {
            switch value {
            case .text(let s), .json(let s):
                spans.append((text.count, s.utf8.count))
                text.append(contentsOf: s.utf8)
            default:
                spans.append((0, 0))
            }
        }
        let status: pqc_status = text.withUnsafeBufferPointer { bytes in
            var cells = [pqc_value](repeating: pqc_value(), count: values.count)
            for (index, value) in values.enumerated() {
                var cell = pqc_value()
                switch value {
                case .null: cell.type = PQC_VALUE_NULL.rawValue
                case .bool(let b): cell.type = PQC_VALUE_BOOL.rawValue; cell.v.i = b ? 1 : 0
                case .int(let i): cell.type = PQC_VALUE_INT.rawValue; cell.v.i = i
                case .double(let d): cell.type = PQC_VALUE_DOUBLE.rawValue; cell.v.d = d
                case .timestamp(let us): cell.type = PQC_VALUE_TIMESTAMP.rawValue; cell.v.i = us
                case .text, .json:
                    cell.type = (value.isJSON ? PQC_VALUE_JSON : PQC_VALUE_TEXT).rawValue
                    cell.len = spans[index].count
                    cell.v.s = bytes.baseAddress.map {
                        UnsafeRawPointer($0 + spans[index].offset).assumingMemoryBound(to: CChar.self)
                    }
                }
                cells[index] = cell
            }
            return api.pointee.table_emit?(handle, cells, cells.count) ?? PQC_EINVAL
        }
        guard status == PQC_OK else { throw HostError(status: status, message: host.lastError()) }
    }
}

extension RowValue {
    fileprivate var isJSON: Bool { if case .json = self { true } else { false } }
}

import PluginABI

/// The SQL type of a column a plugin fills, as its table's migration declares it.
public enum ColumnType: String, Sendable, Equatable {
    /// BIGINT / INTEGER.
    case int
    /// DOUBLE PRECISION.
    case double
    case text
    case bool
    /// TIMESTAMPTZ, emitted as microseconds since the epoch.
    case timestamp
    /// JSONB.
    case json
    /// PG_LSN, as its text form ("0/16B3748").
    case lsn
}

extension ColumnType {
    /// The value type declared to the host (`pqc_column_def.type`); an LSN is text.
    var valueType: pqc_value_type {
        switch self {
        case .int: PQC_VALUE_INT
        case .double: PQC_VALUE_DOUBLE
        case .text, .lsn: PQC_VALUE_TEXT
        case .bool: PQC_VALUE_BOOL
        case .timestamp: PQC_VALUE_TIMESTAMP
        case .json: PQC_VALUE_JSON
        }
    }
}

/// One column a plugin fills, named exactly as in its table.
public struct TableColumn: Sendable, Equatable {
    public let name: String
    public let type: ColumnType

    public init(_ name: String, _ type: ColumnType) {
        self.name = name
        self.type = type
    }
}

/// A table a plugin writes and the columns it fills, in the order declared to
/// the host with `table_open` (the host adds `host`, and `ts` unless listed).
/// Rows (`Row`) name their cells; the layout alone decides positions, so a
/// column added here cannot shift the others.
public struct TableLayout: Sendable, Equatable {
    /// Schema-qualified ("collector.system_metrics_raw").
    public let table: String
    public let columns: [TableColumn]
    private let positions: [String: Int]

    public init(table: String, columns: [TableColumn]) {
        self.table = table
        self.columns = columns
        var positions: [String: Int] = [:]
        for (index, column) in columns.enumerated() where positions[column.name] == nil { positions[column.name] = index }
        self.positions = positions
    }

    public var columnNames: [String] { columns.map(\.name) }

    public func position(of name: String) -> Int? { positions[name] }

    public func column(_ name: String) -> TableColumn? { positions[name].map { columns[$0] } }

    public static func == (a: TableLayout, b: TableLayout) -> Bool { a.table == b.table && a.columns == b.columns }
}

import PluginABI

/// The value types of `pqc_value` as a bit set (bit n = `pqc_value_type` n),
/// for what a column takes.
package struct ValueTypes: OptionSet, Sendable, Hashable {
    package let rawValue: UInt16
    package init(rawValue: UInt16) { self.rawValue = rawValue }

    package init(_ type: pqc_value_type) { rawValue = type.rawValue < 16 ? 1 << UInt16(type.rawValue) : 0 }

    package static let bool = ValueTypes(PQC_VALUE_BOOL)
    package static let int = ValueTypes(PQC_VALUE_INT)
    package static let double = ValueTypes(PQC_VALUE_DOUBLE)
    package static let text = ValueTypes(PQC_VALUE_TEXT)
    package static let timestamp = ValueTypes(PQC_VALUE_TIMESTAMP)
    package static let json = ValueTypes(PQC_VALUE_JSON)
    /// Every type a row cell may have (NULL aside, which `notNull` governs).
    package static let cells: ValueTypes = [.bool, .int, .double, .text, .timestamp, .json]

    /// What a cell of a column declared `type` may be: the type itself, and an
    /// INT where DOUBLE is declared (SQL widens it the same way).
    package static func cells(declared type: pqc_value_type) -> ValueTypes {
        type == PQC_VALUE_DOUBLE ? [.double, .int] : ValueTypes(type)
    }

    /// "BOOL", "INT", ... as the header spells them.
    package static func name(_ type: UInt32) -> String {
        switch pqc_value_type(type) {
        case PQC_VALUE_NULL: "NULL"
        case PQC_VALUE_BOOL: "BOOL"
        case PQC_VALUE_INT: "INT"
        case PQC_VALUE_DOUBLE: "DOUBLE"
        case PQC_VALUE_TEXT: "TEXT"
        case PQC_VALUE_TIMESTAMP: "TIMESTAMP"
        case PQC_VALUE_JSON: "JSON"
        case PQC_VALUE_ARRAY: "ARRAY"
        case PQC_VALUE_TABLE: "TABLE"
        default: "type \(type)"
        }
    }

    /// True for the types a column can be declared with (`pqc_column_def.type`).
    package static func isDeclarable(_ type: UInt32) -> Bool {
        type != PQC_VALUE_NULL.rawValue && cells.contains(ValueTypes(pqc_value_type(type)))
    }
}

/// What one column of a target takes, as `table_emit` checks it.
package struct ColumnRule: Sendable, Equatable {
    package var name: String
    /// The declared type (typed targets); nil for `table_open`.
    package let declared: pqc_value_type?
    /// Non-NULL cell types accepted: the declaration's, or any for an untyped target.
    package var accepts: ValueTypes { declared.map(ValueTypes.cells(declared:)) ?? .cells }
    /// NULL is refused (the column is NOT NULL); known once checked against the table.
    package var notNull = false
    /// An INT cell must fall in this range (smallint and integer columns).
    package var intRange: ClosedRange<Int64>?
    /// The column's SQL type once checked ("integer"), for messages.
    package var sqlType: String?

    package init(name: String, declared: pqc_value_type? = nil) {
        self.name = name
        self.declared = declared
    }
}

/// What a target takes: per-column rules, or nothing at all (with why).
package enum TableRules: Sendable, Equatable {
    case columns([ColumnRule])
    /// The table cannot take this target's rows (a missing column, a
    /// declaration it contradicts): every emit is refused with this reason.
    case refused(String)

    /// Why `values` cannot be queued, or nil when the row is fine. Cheap: one
    /// pass over the cells, no allocation unless there is a problem.
    package func problem(_ values: UnsafeBufferPointer<pqc_value>, table: String) -> String? {
        switch self {
        case .refused(let why): return why
        case .columns(let rules):
            // Fields are read in place (rules[i].x): binding the whole rule would
            // retain and release its strings for every cell.
            for i in 0..<min(values.count, rules.count) {
                let value = values[i]
                var type = value.type
                if type == PQC_VALUE_DOUBLE.rawValue, !value.v.d.isFinite { type = PQC_VALUE_NULL.rawValue }
                if type == PQC_VALUE_NULL.rawValue {
                    if rules[i].notNull {
                        let what = value.type == PQC_VALUE_NULL.rawValue ? "NULL" : "a non-finite DOUBLE (stored as NULL)"
                        return "\(table).\(rules[i].name) is NOT NULL: \(what) refused"
                    }
                    continue
                }
                guard type < 16, rules[i].accepts.contains(ValueTypes(pqc_value_type(type))) else {
                    let rule = rules[i]
                    let declared = rule.declared.map { "declared \(ValueTypes.name($0.rawValue))" } ?? "\(rule.sqlType ?? "?")"
                    return "\(table).\(rule.name) (\(declared)) cannot take cell type \(ValueTypes.name(value.type))"
                }
                if type == PQC_VALUE_INT.rawValue, let range = rules[i].intRange, !range.contains(value.v.i) {
                    return "\(table).\(rules[i].name) (\(rules[i].sqlType ?? "integer")) cannot take \(value.v.i): out of range"
                }
            }
            return nil
        }
    }
}

/// One column of a table as the catalog describes it.
package struct CatalogColumn: Sendable, Equatable {
    package var name: String
    /// `pg_type.typname`, of the base type for a domain ("int4", "timestamptz").
    package var typeName: String
    /// `pg_type.typcategory` ("N" numeric, "S" string, "A" array, ...).
    package var category: String
    /// The SQL spelling for messages ("integer", "character varying(20)").
    package var sqlType: String
    package var notNull: Bool
    /// A default, an identity or a generated value fills it when a row leaves it out.
    package var filledByServer: Bool
    /// A generated column: COPY refuses it in its column list.
    package var generated: Bool

    package init(name: String, typeName: String, category: String, sqlType: String,
                 notNull: Bool = false, filledByServer: Bool = false, generated: Bool = false) {
        self.name = name
        self.typeName = typeName
        self.category = category
        self.sqlType = sqlType
        self.notNull = notNull
        self.filledByServer = filledByServer
        self.generated = generated
    }

    /// The cell types a declaration may name for this column: what COPY's text
    /// form of such a cell always parses as this type (TEXT aside, which the
    /// server parses for types like inet and enums).
    package var takes: ValueTypes {
        switch typeName {
        case "bool": return .bool
        case "int2", "int4", "int8": return .int
        case "numeric", "float4", "float8": return [.int, .double]
        case "timestamptz", "timestamp": return .timestamp
        case "json", "jsonb": return .json
        default:
            if category == "N" { return .int }      // oid, money and the like
            if category == "B" { return .bool }
            if category == "S" { return [.text, .json] }
            return .text                              // enums, inet, uuid, pg_lsn, date, arrays, ...
        }
    }

    /// The range an INT cell must fall in, for the narrow integer columns.
    package var intRange: ClosedRange<Int64>? {
        switch typeName {
        case "int2": Int64(Int16.min)...Int64(Int16.max)
        case "int4": Int64(Int32.min)...Int64(Int32.max)
        default: nil
        }
    }
}

/// Checks a target (its columns and, for a typed one, their declared types)
/// against its table's catalog columns.
package enum TableCheck {
    /// The table's columns, a domain standing for its base type. Zero rows:
    /// the table does not exist. PostgreSQL 12+ (attgenerated).
    package static let catalogSQL = """
        SELECT a.attname, coalesce(b.typname, t.typname), coalesce(b.typcategory, t.typcategory),
               format_type(a.atttypid, a.atttypmod),
               (a.attnotnull OR t.typnotnull)::int,
               (a.atthasdef OR a.attidentity <> '' OR a.attgenerated <> '')::int,
               (a.attgenerated <> '')::int
        FROM pg_attribute a
        JOIN pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_type b ON t.typtype = 'd' AND b.oid = t.typbasetype
        WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
        ORDER BY a.attnum
        """

    /// The rules before any check against the table: the declarations, or
    /// anything for an untyped target.
    package static func initialRules(columns: [String], declared: [pqc_value_type]?) -> [ColumnRule] {
        columns.enumerated().map { i, name in
            ColumnRule(name: name, declared: declared.flatMap { i < $0.count ? $0[i] : nil })
        }
    }

    /// The rules for a target whose plugin fills `columns` (the host adds
    /// `host`, and `ts` when `hostFillsTimestamp`), against the table's
    /// `catalog` (empty: no such table).
    package static func rules(table: String, columns: [String], declared: [pqc_value_type]?, hostFillsTimestamp: Bool,
                              catalog: [CatalogColumn]) -> TableRules {
        guard !catalog.isEmpty else { return .refused("table \(table) does not exist") }
        var byName: [String: CatalogColumn] = [:]
        for c in catalog { byName[c.name] = c }
        let hostColumns = hostFillsTimestamp ? ["host", "ts"] : ["host"]
        for name in hostColumns where byName[name] == nil {
            return .refused("\(table) has no column \(name) (the host fills it in every row)")
        }
        var rules: [ColumnRule] = []
        for (i, rule) in initialRules(columns: columns, declared: declared).enumerated() {
            guard let column = byName[rule.name] else { return .refused("\(table) has no column \(rule.name)") }
            if column.generated { return .refused("\(table).\(rule.name) is a generated column: the server fills it") }
            var checked = rule
            if let declared, i < declared.count {
                // The declaration must fit what the column is.
                let wanted = ValueTypes(declared[i])
                guard column.takes.contains(wanted) else {
                    return .refused("\(table).\(rule.name) is \(column.sqlType), which cannot take the declared \(ValueTypes.name(declared[i].rawValue))")
                }
            }
            checked.notNull = column.notNull
            checked.intRange = column.intRange
            checked.sqlType = column.sqlType
            rules.append(checked)
        }
        let filled = Set(hostColumns + columns)
        if let missing = catalog.first(where: { $0.notNull && !$0.filledByServer && !filled.contains($0.name) }) {
            return .refused("\(table).\(missing.name) is NOT NULL without a default, and the target does not fill it")
        }
        return .columns(rules)
    }

    /// Reads `table`'s catalog columns.
    package static func catalog(of table: String, on c: PGConnection) throws(PGError) -> [CatalogColumn] {
        let result = try c.query(catalogSQL, [table])
        return (0..<result.rowCount).map { row in
            CatalogColumn(name: result.string(row, 0) ?? "", typeName: result.string(row, 1) ?? "",
                          category: result.string(row, 2) ?? "", sqlType: result.string(row, 3) ?? "",
                          notNull: result.int(row, 4) == 1, filledByServer: result.int(row, 5) == 1,
                          generated: result.int(row, 6) == 1)
        }
    }

    /// Checks every target of `plugins` against its table and sets its rules.
    /// Logs one error line per target the table cannot take; returns those
    /// lines. A target whose catalog cannot be read keeps its rules.
    @discardableResult
    package static func apply(to plugins: [PluginRuntime], on c: PGConnection, logger: Logger) -> [String] {
        var problems: [String] = []
        var catalogs: [String: [CatalogColumn]] = [:]
        for plugin in plugins {
            for table in plugin.tables {
                let name = table.target.table
                let catalog: [CatalogColumn]
                if let known = catalogs[name] {
                    catalog = known
                } else {
                    do throws(PGError) {
                        catalog = try Self.catalog(of: name, on: c)
                    } catch {
                        logger.warning("plugin \(plugin.name): cannot check \(name) against the catalog: \(error)")
                        continue
                    }
                    catalogs[name] = catalog
                }
                let rules = Self.rules(table: name, columns: table.columns, declared: table.declared,
                                       hostFillsTimestamp: table.hostFillsTimestamp, catalog: catalog)
                let before = table.rules.rules
                table.setRules(rules)
                if case .refused = before, case .columns = rules {
                    logger.notice("plugin \(plugin.name): \(name) takes its rows again")
                }
                if case .refused(let why) = rules {
                    let line = "plugin \(plugin.name): \(why); its rows for \(name) are refused at emit (PQC_EINVAL) until a reload finds the table fixed"
                    logger.error("\(line)")
                    problems.append(line)
                }
            }
        }
        return problems
    }
}

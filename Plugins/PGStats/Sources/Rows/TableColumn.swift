/// One column a tier fills, named exactly as in the migration.
struct TableColumn: Sendable, Equatable {
    let name: String
    let kind: ColumnKind

    init(_ name: String, _ kind: ColumnKind) {
        self.name = name
        self.kind = kind
    }
}

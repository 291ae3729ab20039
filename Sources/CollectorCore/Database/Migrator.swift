import CLibCrypto

/// A named SQL migration ("001_collector_schema", "pg_stats/001_extra").
package struct Migration: Sendable, Equatable {
    package let name: String
    package let sql: String

    package init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }

    package var checksum: String {
        // SHA256_Init/Update/Final, not the one-shot SHA256(): in OpenSSL 3 that goes
        // through EVP and initialises the provider machinery (~2 MB more RSS).
        var context = SHA256_CTX()
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        SHA256_Init(&context)
        let bytes = Array(sql.utf8)
        SHA256_Update(&context, bytes, bytes.count)
        SHA256_Final(&digest, &context)
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// Applies migrations in order, each once, each in its own transaction,
/// recording name and checksum in `collector.schema_migrations`. An applied
/// migration whose SQL changed is refused: the schema would no longer be what
/// the file says.
package struct Migrator {
    package let connection: PGConnection
    /// The server's release, as libpq reported it at connect (tests may pose as another).
    package let server: ServerCapabilities

    package init(connection: PGConnection, server: ServerCapabilities? = nil) {
        self.connection = connection
        self.server = server ?? .of(connection)
    }

    package static func allMigrations(plugins: [PluginRuntime]) -> [Migration] {
        EmbeddedMigrations.all + plugins.flatMap { plugin in
            plugin.migrations.map { Migration(name: "\(plugin.name)/\($0.name)", sql: $0.sql) }
        }
    }

    /// Core migrations of the layout before plugins owned their tables: a
    /// database that has them applied cannot be migrated in place.
    package static let earlierLayoutMigrations = ["002_extended_pg_metrics"]

    /// A database created before the plugins owned their tables (the metric
    /// tables were then in the core migrations) gets one clear error saying what
    /// to do, instead of a checksum complaint or a half-migrated schema.
    private func refuseEarlierLayout(_ migrations: [Migration]) throws(PGError) {
        let known = Set(migrations.map(\.name))
        let r = try connection.query("""
            SELECT name FROM collector.schema_migrations WHERE name = ANY($1::text[]) ORDER BY name
            """, ["{" + Self.earlierLayoutMigrations.joined(separator: ",") + "}"])
        let stale = (0..<r.rowCount).compactMap { r.string($0, 0) }.filter { !known.contains($0) }
        guard stale.isEmpty else {
            throw .client("""
                this database's schema was created by an earlier layout of the collector (migration \(stale.joined(separator: ", ")) is applied; \
                the metric tables now belong to the plugins' own migrations). It cannot be migrated in place: \
                run `DROP SCHEMA collector CASCADE` in it (its rows are lost) or point [database] name at a new database, \
                then run `pqcrypta-collector migrate`
                """)
        }
    }

    /// Returns the names applied now. A server older than the oldest supported
    /// release is refused before anything is created.
    package func apply(_ migrations: [Migration]) throws(PGError) -> [String] {
        try server.requireSupported()
        try connection.execute("""
            CREATE SCHEMA IF NOT EXISTS collector;
            CREATE TABLE IF NOT EXISTS collector.schema_migrations (
                name TEXT PRIMARY KEY,
                checksum TEXT NOT NULL,
                applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """)
        // Two collectors starting against one database must not race.
        try connection.execute("SELECT pg_advisory_lock(hashtext('pqcrypta-collector-migrate'))")
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(hashtext('pqcrypta-collector-migrate'))") }
        try refuseEarlierLayout(migrations)
        var applied: [String] = []
        for migration in migrations {
            let existing = try connection.query(
                "SELECT checksum FROM collector.schema_migrations WHERE name = $1", [migration.name])
            if let recorded = existing.string(0, 0) {
                guard recorded == migration.checksum else {
                    throw .client("migration \(migration.name) was applied with checksum \(recorded.prefix(12))…, but its SQL now has \(migration.checksum.prefix(12))…: an applied migration must not change; add a new one instead")
                }
                continue
            }
            try connection.transaction { () throws(PGError) in
                do throws(PGError) {
                    try connection.execute(migration.sql)
                } catch {
                    throw PGError(kind: error.kind, sqlstate: error.sqlstate, message: "\(migration.name): \(error.message)")
                }
                try connection.query(
                    "INSERT INTO collector.schema_migrations (name, checksum) VALUES ($1, $2)", [migration.name, migration.checksum])
            }
            applied.append(migration.name)
        }
        return applied
    }
}

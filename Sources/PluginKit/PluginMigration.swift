/// One schema migration a plugin ships for the tables it owns; see
/// `pqc_host_api.register_migration`. The host applies it once, after the core
/// migrations, in its own transaction, and records it as "<plugin>/<name>"
/// with a checksum: an applied migration must never change.
public struct PluginMigration: Sendable, Equatable {
    /// `[a-z0-9_]{1,48}`, ordered by the plugin: "001_tables", "002_add_x".
    public let name: String
    public let sql: String

    public init(name: String, sql: String) {
        self.name = name
        self.sql = sql
    }
}

/// The facts read at the start of every tick: cheap, and needed for the
/// connection identity and the db_metrics row.
struct InstanceSample: Sendable, Equatable {
    let identity: ConnectionIdentity
    let maxConnections: Int64?
    let databaseName: String
}

/// What the storage database's PostgreSQL release allows, decided in one place.
///
/// The host's own SQL (migrations, writer, rollups, retention, log ingestion)
/// is the same text on every supported release: it is tested on 14, 15, 16, 17
/// and 18 (scripts/test.sh, docs/postgresql-versions.md). What it needs that
/// 13 lacks or that is untested there: 14 is the oldest release in the test
/// matrix (13 is end-of-life). A server older than `minimumVersionNum` is refused
/// before anything is created, with one message naming both releases.
///
/// The PGStats plugin reads the *monitored* server's statistics views, whose
/// columns moved between releases; it decides its SQL from its own probe
/// (Plugins/PGStats/Sources/Server/ServerVersion.swift), and keeps working on
/// older monitored servers, leaving what they lack NULL.
package struct ServerCapabilities: Sendable, Equatable {
    /// `server_version_num` of the oldest supported storage server.
    package static let minimumVersionNum = 140000

    /// The server's `server_version_num` (150012 for 15.12; 180001 for 18.1).
    package let versionNum: Int

    package init(versionNum: Int) { self.versionNum = versionNum }

    /// "15.12" for 150012 (10 and later number releases major.minor).
    package static func releaseName(_ versionNum: Int) -> String {
        "\(versionNum / 10000).\(versionNum % 10000)"
    }

    package var releaseName: String { Self.releaseName(versionNum) }

    /// Throws a client error if the server is older than the oldest supported release.
    package func requireSupported() throws(PGError) {
        guard versionNum >= Self.minimumVersionNum else {
            let found = versionNum > 0 ? "PostgreSQL \(releaseName) (server_version_num \(versionNum))" : "an unknown PostgreSQL version"
            throw .client("""
                the database server is \(found); the collector needs PostgreSQL \(Self.minimumVersionNum / 10000) or newer \
                (server_version_num >= \(Self.minimumVersionNum)). Point [database] at a PostgreSQL \(Self.minimumVersionNum / 10000)+ server
                """)
        }
    }

    /// The connected server's capabilities, from the version libpq reported at connect.
    package static func of(_ connection: PGConnection) -> ServerCapabilities {
        ServerCapabilities(versionNum: connection.serverVersion)
    }
}

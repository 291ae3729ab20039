import Synchronization

/// Opens once the migrations are applied. The writer holds rows until then, so
/// a collector started before its database exists loses nothing to
/// "relation does not exist".
package final class SchemaGate: Sendable {
    private let open = Atomic<Bool>(false)

    package init(open: Bool = false) { self.open.store(open, ordering: .relaxed) }

    package var isOpen: Bool { open.load(ordering: .acquiring) }
    package func markOpen() { open.store(true, ordering: .releasing) }
}

import PluginKit

/// A row that could not be queued.
struct EmitFailure: Error, Sendable, Equatable {
    /// True when the host asked to try again later (its buffer is full).
    let retry: Bool
    let message: String
}

/// Where finished rows go: the host's batched writer in the daemon, an array in
/// unit tests.
protocol RowSink {
    func emit(_ layout: TableLayout, _ row: Row) throws(EmitFailure)
}

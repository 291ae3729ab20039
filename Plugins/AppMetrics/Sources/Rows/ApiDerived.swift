/// The API row's values computed across samples rather than read.
struct ApiDerived: Sendable, Equatable {
    var requestsPerSec: Double?
    var errorRatePct: Double?

    static let none = ApiDerived()
}

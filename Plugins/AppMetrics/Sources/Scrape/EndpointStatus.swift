/// The condition of an endpoint as far as logging goes. A message is logged
/// only when this changes between scrapes, so an endpoint that stays down for
/// a day logs once, not 8640 times.
enum EndpointStatus: Sendable, Equatable {
    case up
    case unreachable
    case httpError(Int)
    case malformed
    case refused
}

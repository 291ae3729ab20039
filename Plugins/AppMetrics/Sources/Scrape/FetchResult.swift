/// What one GET of a metrics endpoint produced, before any interpretation.
enum FetchResult: Sendable, Equatable {
    /// Any HTTP answer, whatever its status.
    case response(status: Int, body: [UInt8])
    /// Connection refused or reset, or the timeout passed: the endpoint is down.
    case unreachable(String)
    /// The host refused the request itself (a URL it cannot fetch): a configuration problem.
    case refused(String)
}

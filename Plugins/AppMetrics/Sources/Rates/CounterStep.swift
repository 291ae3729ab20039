/// How far a counter moved between two samples, and over how long.
struct CounterStep: Sendable, Equatable {
    let delta: Int64
    let seconds: Double

    var perSecond: Double { Double(delta) / seconds }
}

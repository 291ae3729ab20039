/// CPU shares of one core over the last interval.
public struct CoreUsage: Sendable, Hashable {
    public var core: Int
    public var percentages: CPUPercentages

    public init(core: Int, percentages: CPUPercentages) {
        self.core = core
        self.percentages = percentages
    }
}

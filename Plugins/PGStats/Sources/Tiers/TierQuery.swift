/// One tier's statement. Its result columns are named after the target table's
/// columns, so rows map onto the table by name; helper columns the table does
/// not have (reset times for the rate epochs) are ignored by the mapping.
protocol TierQuery: Sendable {
    var tier: StatsTier { get }
    /// Text parameters for $1..$n.
    var parameters: [String?] { get }
    func sql(for facts: ServerFacts) -> TierSQL
}

extension TierQuery {
    var parameters: [String?] { [] }
}

import PluginABI

enum CollectorVersion {
    static let version = "0.1.0"
    static var abi: String { "\(PQC_ABI_MAJOR).\(PQC_ABI_MINOR)" }
    static var line: String { "pqcrypta-collector \(version) (plugin ABI \(abi))" }
}

import PluginABI

package enum CollectorVersion {
    package static let version = "0.1.0"
    package static var abi: String { "\(PQC_ABI_MAJOR).\(PQC_ABI_MINOR)" }
    package static var line: String { "pqcrypta-collector \(version) (plugin ABI \(abi))" }
}

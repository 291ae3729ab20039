import PluginABI

extension pqc_status {
    /// The header's name for a status (`PQC_FAIL`), so a message says what the
    /// plugin returned in the words its author wrote; an unknown value keeps its number.
    package var name: String {
        switch self {
        case PQC_OK: "PQC_OK"
        case PQC_RETRY: "PQC_RETRY"
        case PQC_FAIL: "PQC_FAIL"
        case PQC_EINVAL: "PQC_EINVAL"
        default: "status \(rawValue)"
        }
    }
}

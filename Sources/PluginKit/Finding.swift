import PluginABI

/// A finding of an analyzer; the host deduplicates, resolves and stores it.
public struct Finding: Sendable {
    public enum Kind: Sendable { case insight, alert, recommendation }
    public enum Severity: Sendable { case info, warn, critical }

    public var kind: Kind
    public var severity: Severity
    /// Stable identity of the condition, e.g. "table_bloat:public.orders".
    public var key: String
    public var domain: String
    public var metric: String
    public var target: String?
    public var title: String
    public var description: String?
    public var action: String?
    public var value: Double
    public var threshold: Double
    public var zScore: Double
    public var dedupWindowSecs: UInt32
    // ABI 1.2: dropped (with a log line) by an older host.
    /// Insights: the `type` column ("anomaly", "drift", ...); nil = `metric`.
    public var type: String?
    /// The series within the metric (a table, a process name).
    public var metricKey: String?
    /// A JSON object for the row's `context` (invalid JSON is stored as NULL).
    public var contextJSON: String?
    /// Insights: "spike" or "drop"; nil = from the sign of `zScore`.
    public var direction: String?
    public var baselineStddev: Double = .nan
    public var driftPct: Double = .nan

    public init(
        kind: Kind, severity: Severity, key: String, domain: String, metric: String,
        target: String? = nil, title: String, description: String? = nil, action: String? = nil,
        value: Double = .nan, threshold: Double = .nan, zScore: Double = .nan, dedupWindowSecs: UInt32 = 0
    ) {
        self.kind = kind
        self.severity = severity
        self.key = key
        self.domain = domain
        self.metric = metric
        self.target = target
        self.title = title
        self.description = description
        self.action = action
        self.value = value
        self.threshold = threshold
        self.zScore = zScore
        self.dedupWindowSecs = dedupWindowSecs
    }

    /// `hostMinor` below 2: the struct as ABI 1.1 knew it, without the 1.2 members.
    func withC<T>(hostMinor: Int = Int(PQC_ABI_MINOR), _ body: (UnsafePointer<pqc_finding>) -> T) -> T {
        withOptionalCStringArray([key, domain, metric, target, title, description, action, type, metricKey, contextJSON, direction]) { s in
            var f = pqc_finding()
            f.struct_size = hostMinor >= 2
                ? UInt32(MemoryLayout<pqc_finding>.size) : UInt32(MemoryLayout<pqc_finding>.offset(of: \.type)!)
            f.kind = switch kind {
            case .insight: PQC_FINDING_INSIGHT.rawValue
            case .alert: PQC_FINDING_ALERT.rawValue
            case .recommendation: PQC_FINDING_RECOMMENDATION.rawValue
            }
            f.severity = switch severity {
            case .info: PQC_SEVERITY_INFO.rawValue
            case .warn: PQC_SEVERITY_WARN.rawValue
            case .critical: PQC_SEVERITY_CRITICAL.rawValue
            }
            f.key = s[0]; f.domain = s[1]; f.metric = s[2]; f.target = s[3]
            f.title = s[4]; f.description = s[5]; f.action = s[6]
            f.value = value
            f.threshold = threshold
            f.z_score = zScore
            f.dedup_window_secs = dedupWindowSecs
            f.type = s[7]; f.metric_key = s[8]; f.context_json = s[9]; f.direction = s[10]
            f.baseline_stddev = baselineStddev
            f.drift_pct = driftPct
            return withUnsafePointer(to: &f, body)
        }
    }
}

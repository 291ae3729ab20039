import ByteKit
import PluginKit

/// What one patterns run did.
public struct PatternRunSummary: Sendable, Equatable {
    public var lines = 0
    public var templates = 0
    public var newTemplates = 0
    public var patterns = 0
    /// Recurring error templates reported as recommendations.
    public var recurring = 0
    /// More rows were waiting than `maxLines`: the next run goes on.
    public var backlog = false
}

/// Log patterns by template (the original grouped by fingerprint): each run
/// reads the log rows written since the last one (by `ingested_at`, so a
/// backlog of old lines counts too) as groups of one fingerprint (the server
/// counts; one message per group crosses the wire), files each group's message
/// with the host's `TemplateMiner`, and upserts `collector.log_patterns` per template, source
/// and level (occurrences, first and last seen, a sample), reopening a resolved
/// pattern that recurs and resolving those unseen for an hour. Templates are
/// persisted in `collector.log_templates`: their ids survive restarts.
public final class PatternAnalyzer: @unchecked Sendable {
    public static let name = "log_patterns"
    public let hostname: String
    /// At most this many rows a run (the rest wait for the next run).
    public let maxLines: Int
    /// Rows younger than this are left for the next run: a transaction that
    /// started earlier may still commit rows stamped before them.
    public let settleSeconds: Double
    private let sql: IntelSQL
    private var miner: TemplateMiner
    /// The last position read (timestamptz text).
    private var cursor: String?
    private var restored = false
    /// Error and fatal lines per template and source, per run of the last hour
    /// (by log time), for the recurring-error recommendations.
    private var recentErrors: [(time: Double, counts: [ErrorKey: Int])] = []
    /// More error lines of one template and source than this in an hour is a
    /// recurring error: a recommendation with steps for it.
    public var recurringPerHour = 10

    struct ErrorKey: Hashable {
        var template: Int64
        var source: String
    }

    public init(hostname: String, sql: IntelSQL, maxLines: Int = 2_000_000, settleSeconds: Double = 60,
                miner: TemplateMiner = TemplateMiner()) {
        self.hostname = hostname
        self.sql = sql
        self.maxLines = maxLines
        self.settleSeconds = settleSeconds
        self.miner = miner
    }

    public var templates: [LogTemplate] { miner.templates }

    struct PatternKey: Hashable {
        var template: Int64
        var source: String
        var level: String
    }

    struct PatternTally {
        var component: String?
        var sample: String
        var count: Int64 = 0
        var first: Double
        var last: Double
    }

    @discardableResult
    public func run(now: Double, report: (Finding) throws -> Void = { _ in }) throws -> PatternRunSummary {
        var summary = PatternRunSummary()
        if !restored {
            for row in try sql.query(LogQueries.templates, [hostname, String(miner.maxTemplates)]).reversed() {
                guard let id = row[0].flatMap({ Int64($0) }), let text = row[1] else { continue }
                miner.restore(id: id, text: text)
            }
            restored = true
        }
        if cursor == nil {
            cursor = try sql.query(LogQueries.cursor, [hostname, Self.name]).first?.first ?? nil
        }
        // The first run ever starts an hour back; nothing is read closer to now
        // than settleSeconds.
        guard let until = try sql.query(LogQueries.position, [String(now - settleSeconds)]).first?.first ?? nil else { return summary }
        if cursor == nil { cursor = try sql.query(LogQueries.position, [String(now - 3_600)]).first?.first ?? nil }
        guard let from = cursor else { return summary }

        // At most maxLines rows, whole writes only (the rows of one transaction
        // share `ingested_at`), without sorting the rows themselves.
        var groups: [[String?]]
        var position = until
        let hourAgo = String(now - 3_600)
        let window = [hostname, from, until, String(maxLines)]
        let over = try sql.query(LogQueries.exceeds, window).first?.first == "t"
        if over, let cut = try sql.query(LogQueries.batchEnd, window).first?.first ?? nil {
            summary.backlog = true
            groups = try sql.query(LogQueries.newGroups, [hostname, from, cut, "true", hourAgo])
            if groups.isEmpty {
                // One write larger than a batch: read it whole.
                groups = try sql.query(LogQueries.oneWriteGroups, [hostname, cut, hourAgo])
                position = cut
            } else {
                position = try sql.query(LogQueries.lastWriteBefore, [hostname, from, cut]).first?.first.flatMap { $0 } ?? cut
            }
        } else {
            groups = try sql.query(LogQueries.newGroups, [hostname, from, until, "false", hourAgo])
            position = try sql.query(LogQueries.later, [from, until]).first?.first.flatMap { $0 } ?? from
        }
        var patterns: [PatternKey: PatternTally] = [:]
        var errors: [ErrorKey: Int] = [:]
        var touched: [Int64: (n: Int64, first: Double, last: Double)] = [:]
        var changed = Set<Int64>()
        for group in groups {
            guard group.count >= 8, let first = group[0].flatMap({ Double($0) }), let last = group[1].flatMap({ Double($0) }),
                  let n = group[5].flatMap({ Int64($0) }) else { continue }
            let message = group[7] ?? ""
            summary.lines += Int(n)
            let match = miner.add(message)
            if match.changed { changed.insert(match.id) }
            let key = PatternKey(template: match.id, source: group[2] ?? "", level: group[3] ?? "info")
            if key.level == "error" || key.level == "fatal", let recent = group[6].flatMap({ Int($0) }), recent > 0 {
                errors[ErrorKey(template: match.id, source: key.source), default: 0] += recent
            }
            var tally = patterns[key] ?? PatternTally(component: group[4], sample: message, first: first, last: last)
            tally.count += n
            tally.first = min(tally.first, first)
            if last >= tally.last { tally.last = last; tally.sample = message }
            patterns[key] = tally
            var t = touched[match.id] ?? (0, first, last)
            t.n += n
            t.first = min(t.first, first)
            t.last = max(t.last, last)
            touched[match.id] = t
        }
        summary.templates = touched.count
        summary.newTemplates = changed.count
        summary.patterns = patterns.count

        if !touched.isEmpty {
            var w = JSONWriter(capacity: 128 * touched.count)
            w.beginArray()
            for (id, t) in touched.sorted(by: { $0.key < $1.key }) {
                guard let template = miner.template(id) else { continue }
                w.beginObject()
                w.key("id"); w.value(id)
                w.key("template"); w.value(template.text)
                w.key("n"); w.value(t.n)
                w.key("first"); w.value(exactly: t.first)
                w.key("last"); w.value(exactly: t.last)
                w.endObject()
            }
            w.endArray()
            _ = try sql.query(LogQueries.upsertTemplates, [hostname, w.text])

            var p = JSONWriter(capacity: 256 * patterns.count)
            p.beginArray()
            for (key, tally) in patterns.sorted(by: { ($0.key.template, $0.key.source, $0.key.level) < ($1.key.template, $1.key.source, $1.key.level) }) {
                p.beginObject()
                p.key("template_id"); p.value(key.template)
                p.key("template"); p.value(miner.template(key.template)?.text ?? "")
                p.key("source"); p.value(key.source)
                p.key("level"); p.value(key.level)
                p.key("component"); if let c = tally.component { p.value(c) } else { p.null() }
                p.key("sample"); p.value(String(tally.sample.prefix(1_000)))
                p.key("n"); p.value(tally.count)
                p.key("first"); p.value(exactly: tally.first)
                p.key("last"); p.value(exactly: tally.last)
                p.endObject()
            }
            p.endArray()
            _ = try sql.query(LogQueries.upsertPatterns, [hostname, p.text])
        }
        _ = try sql.query(LogQueries.resolvePatterns, [hostname, String(now)])

        // Recurring errors: reported while above the threshold, so the host
        // resolves the recommendation once the template calms down.
        recentErrors.removeAll { $0.time <= now - 3_600 }
        if !errors.isEmpty { recentErrors.append((now, errors)) }
        var hour: [ErrorKey: Int] = [:]
        for run in recentErrors { for (k, n) in run.counts { hour[k, default: 0] += n } }
        for (key, n) in hour.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key.template < $1.key.template })
        where n > recurringPerHour {
            guard let template = miner.template(key.template) else { continue }
            try report(Self.recurring(template: template, source: key.source, perHour: n, threshold: recurringPerHour))
            summary.recurring += 1
        }
        _ = try sql.query(LogQueries.saveCursor, [hostname, Self.name, position])
        cursor = position
        return summary
    }

    static func recurring(template: LogTemplate, source: String, perHour: Int, threshold: Int) -> Finding {
        let remedy = ErrorRemedy.forTemplate(template.text, source: source)
        var ctx = JSONWriter(capacity: 256)
        ctx.beginObject()
        ctx.key("template_id"); ctx.value(template.id)
        ctx.key("template"); ctx.value(template.text)
        ctx.key("source"); ctx.value(source)
        ctx.key("per_hour"); ctx.value(perHour)
        ctx.key("remedy"); ctx.value(remedy.category)
        ctx.endObject()
        var f = Finding(
            kind: .recommendation, severity: perHour > 10 * threshold ? .warn : .info,
            key: "recurring_error:\(source):\(template.id)", domain: "logs", metric: remedy.category, target: source,
            title: "\(source): \(remedy.title), \(perHour) an hour: \(String(template.text.prefix(120)))",
            description: "The error template \"\(String(template.text.prefix(300)))\" of \(source) recurred \(perHour) times in the last hour (more than \(threshold)).",
            action: remedy.action, value: Double(perHour), threshold: Double(threshold))
        f.contextJSON = ctx.text
        return f
    }
}

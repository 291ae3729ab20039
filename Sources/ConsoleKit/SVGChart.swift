#if canImport(Glibc)
import Glibc
#endif
import ByteKit
import CollectorCore

/// A line chart drawn as inline SVG on the server: no script, no external
/// asset, and nothing from the database reaches the markup but numbers (the
/// caption and labels are escaped like any text).
package struct SVGChart: Sendable {
    package struct Point: Sendable, Equatable {
        package var t: Double
        package var v: Double
        package init(t: Double, v: Double) { self.t = t; self.v = v }
    }

    package var title: String
    package var unit: String
    package var points: [Point]
    /// Times (epoch seconds) of anomaly markers.
    package var markers: [Double] = []
    /// The visible window (epoch seconds).
    package var from: Double
    package var to: Double
    /// A gap between samples longer than this breaks the line.
    package var maxGap: Double
    /// Further lines on the same axes (the burn rates of several windows), each
    /// named in a legend under the caption, where `name` names the first line.
    package var more: [Series] = []
    package var name = ""
    /// A dashed horizontal line at this value (a burn rate of 1: the budget's pace).
    package var reference: Double?

    package struct Series: Sendable {
        package var name: String
        package var points: [Point]
        package init(name: String, points: [Point]) { self.name = name; self.points = points.filter { $0.v.isFinite } }
    }

    /// Line classes in drawing order (the stylesheet gives each its colour).
    static let lineClasses = ["line", "line l2", "line l3", "line l4"]

    package static let width = 560.0
    package static let height = 170.0
    private static let left = 66.0, right = 8.0, top = 8.0, bottom = 20.0

    package init(title: String, unit: String, points: [Point], markers: [Double] = [], from: Double, to: Double, maxGap: Double) {
        self.title = title
        self.unit = unit
        self.points = points.filter { $0.v.isFinite }
        self.markers = markers
        self.from = from
        self.to = to
        self.maxGap = maxGap
    }

    package func render(into h: inout HTML) {
        h.raw("<figure><figcaption>"); h.text(title)
        if let last = points.last { h.raw(" <span class=\"mute\">"); h.text("last " + Self.label(last.v, unit)); h.raw("</span>") }
        if !more.isEmpty {
            h.raw("<br><span class=\"legend\">")
            for (i, n) in ([name] + more.map(\.name)).enumerated() where i < Self.lineClasses.count {
                h.raw("<span class=\"k\(i + 1)\">"); h.text(n); h.raw("</span> ")
            }
            h.raw("</span>")
        }
        h.raw("</figcaption>")
        let w = Self.width, ht = Self.height
        h.raw("<svg viewBox=\"0 0 \(Int(w)) \(Int(ht))\" width=\"100%\" role=\"img\" aria-label=\"")
        h.text(title); h.raw("\">")
        let all = ([points] + more.map(\.points)).prefix(Self.lineClasses.count)
        let values = all.joined().map(\.v) + (reference.map { [$0] } ?? [])
        guard all.contains(where: { !$0.isEmpty }), to > from else {
            h.raw("<text x=\"\(Int(w / 2))\" y=\"\(Int(ht / 2))\" text-anchor=\"middle\">no data in this range</text></svg></figure>")
            return
        }
        let (lo, hi, step) = Self.scale(min: values.min() ?? 0, max: values.max() ?? 1, percent: unit == "%")
        let plotW = w - Self.left - Self.right, plotH = ht - Self.top - Self.bottom
        func x(_ t: Double) -> Double { Self.left + (t - from) / (to - from) * plotW }
        func y(_ v: Double) -> Double { Self.top + (1 - (v - lo) / (hi - lo)) * plotH }
        var v = lo
        while v <= hi + step / 2 {
            let yy = Self.fmt(y(v))
            h.raw("<line class=\"grid\" x1=\"\(Self.fmt(Self.left))\" x2=\"\(Self.fmt(w - Self.right))\" y1=\"\(yy)\" y2=\"\(yy)\"/>")
            h.raw("<text x=\"\(Self.fmt(Self.left - 4))\" y=\"\(Self.fmt(y(v) + 3))\" text-anchor=\"end\">")
            h.text(Self.label(v, unit)); h.raw("</text>")
            v += step
        }
        h.raw("<text x=\"\(Self.fmt(Self.left))\" y=\"\(Int(ht - 5))\">"); h.text(Self.time(from)); h.raw("</text>")
        h.raw("<text x=\"\(Self.fmt(w - Self.right))\" y=\"\(Int(ht - 5))\" text-anchor=\"end\">"); h.text(Self.time(to)); h.raw("</text>")
        if let reference {
            let yy = Self.fmt(y(reference))
            h.raw("<line class=\"ref\" x1=\"\(Self.fmt(Self.left))\" x2=\"\(Self.fmt(w - Self.right))\" y1=\"\(yy)\" y2=\"\(yy)\"/>")
        }
        for (cls, line) in zip(Self.lineClasses, all) {
            var segment: [String] = []
            var previous: Double?
            func flush() {
                if segment.count == 1 { segment.append(segment[0]) }
                if !segment.isEmpty { h.raw("<polyline class=\"\(cls)\" points=\"" + segment.joined(separator: " ") + "\"/>") }
                segment.removeAll()
            }
            for p in line where p.t >= from && p.t <= to {
                if let previous, p.t - previous > maxGap { flush() }
                segment.append(Self.fmt(x(p.t)) + "," + Self.fmt(y(p.v)))
                previous = p.t
            }
            flush()
        }
        for m in markers where m >= from && m <= to {
            h.raw("<circle class=\"mark\" cx=\"\(Self.fmt(x(m)))\" cy=\"\(Self.fmt(Self.top + 4))\" r=\"3.5\"><title>anomaly</title></circle>")
        }
        h.raw("</svg></figure>")
    }

    /// The y axis: from 0 (or below, for negative values) to a round number
    /// above the maximum, in 2–5 round steps (1, 2 or 5 × 10^n); a percentage
    /// axis that reaches past 50 % shows the whole 0–100.
    package static func scale(min: Double, max: Double, percent: Bool) -> (lo: Double, hi: Double, step: Double) {
        let lo0 = Swift.min(0, min)
        var hi0 = Swift.max(max, lo0 + 1e-9)
        if percent && hi0 > 50 && hi0 <= 100 { hi0 = 100 }
        let raw = (hi0 - lo0) / 4
        let magnitude = pow(10, floor(log10(raw)))
        let f = raw / magnitude
        let step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude
        let lo = floor(lo0 / step) * step
        let hi = Swift.max(ceil(hi0 / step) * step, lo + step)
        return (lo, hi, step)
    }

    /// A sparkline (no axes) for a table cell.
    package static func sparkline(_ values: [Double], width: Double = 120, height: Double = 22) -> String {
        guard values.count > 1, let hi = values.max(), hi > 0 else { return "" }
        let step = width / Double(values.count - 1)
        let pts = values.enumerated().map { i, v in fmt(Double(i) * step) + "," + fmt(height - 1 - v / hi * (height - 2)) }
        return "<svg class=\"sparkline\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\"><polyline class=\"spark\" points=\"\(pts.joined(separator: " "))\"/></svg>"
    }

    static func fmt(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        return String(Double(Int((v * 10).rounded())) / 10)
    }

    package static func label(_ v: Double, _ unit: String) -> String {
        let a = abs(v)
        let text: String
        if unit == "B/s" || unit == "B" {
            let units = ["", "K", "M", "G", "T"]
            var x = v, u = 0
            while abs(x) >= 1024 && u < units.count - 1 { x /= 1024; u += 1 }
            return StatusText.num((x * 10).rounded() / 10) + " " + units[u] + unit
        }
        if a >= 1_000_000 { text = StatusText.num((v / 1e5).rounded() / 10) + "M" }
        else if a >= 10_000 { text = StatusText.num((v / 100).rounded() / 10) + "k" }
        else if a >= 100 { text = String(Int(v.rounded())) }
        else { text = StatusText.num(v) }
        return unit.isEmpty ? text : text + (unit == "%" ? "%" : " " + unit)
    }

    /// `MM-DD HH:MM` UTC from epoch seconds (the console's clock is UTC throughout).
    package static func time(_ epoch: Double) -> String {
        let (days, second) = CivilTime.daysAndSecondOfDay(Int64(epoch.rounded(.down)))
        let date = CivilTime.civilFromDays(days)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(date.month))-\(two(date.day)) \(two(second / 3600)):\(two(second % 3600 / 60))"
    }
}

import ByteKit

/// The log page's time fields: `YYYY-MM-DDTHH:MM` (an HTML datetime-local
/// value), always UTC, to and from epoch seconds.
package enum LogTime {
    package static func parse(_ text: String?) -> Double? {
        guard let text else { return nil }
        let b = Array(text.utf8)
        guard b.count >= 16, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "), b[13] == UInt8(ascii: ":") else { return nil }
        func n(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                v = v * 10 + Int(b[i] - 0x30)
            }
            return v
        }
        var second = 0
        if b.count >= 19, b[16] == UInt8(ascii: ":"), let s = n(17..<19) { second = s }
        guard let y = n(0..<4), let mo = n(5..<7), let d = n(8..<10), let h = n(11..<13), let mi = n(14..<16),
              CivilTime.isValid(year: y, month: mo, day: d, hour: h, minute: mi, second: second) else { return nil }
        return Double(CivilTime.daysFromCivil(year: y, month: mo, day: d) * 86_400 + h * 3600 + mi * 60 + second)
    }

    package static func format(_ epoch: Double) -> String {
        let (days, second) = CivilTime.daysAndSecondOfDay(Int64(epoch.rounded(.down)))
        let date = CivilTime.civilFromDays(days)
        func pad(_ n: Int, _ w: Int) -> String { let s = String(n); return String(repeating: "0", count: max(0, w - s.count)) + s }
        return "\(pad(date.year, 4))-\(pad(date.month, 2))-\(pad(date.day, 2))T\(pad(second / 3600, 2)):\(pad(second % 3600 / 60, 2))"
    }
}

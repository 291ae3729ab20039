/// Splits a log message into the tokens the template miner compares, with the
/// obviously variable parts already replaced by `<*>`.
///
/// A message splits on ASCII whitespace. Within a token, every run of
/// `[A-Za-z0-9._:-]` (a "word run") is masked when it is a value (it starts with
/// a digit or is a third digits: numbers, IPs, hex ids, times, `0MB`; `ssh2`
/// and `eth0` stay), is a weekday or month name (dates
/// written out), or looks like a host name (dot-separated labels ending in a
/// 2-6 letter top-level label, 2-3 letters when there is only one dot, so
/// `mice.c` and `rpc.statd` stay). Punctuation around a run is kept:
/// `LOGIN(uid=0)` becomes `LOGIN(uid=<*>)`, `[mice.c(1766)]:` becomes
/// `[mice.c(<*>)]:`. That punctuation is the token's shape, which the miner
/// uses to tell a different value from a different statement.
public enum TemplateTokens {
    public static let wildcard = "<*>"

    public static func tokens(_ message: String) -> [String] {
        var out: [String] = []
        var bytes = Array(message.utf8)
        bytes.append(0x20)
        var start = -1
        for i in 0..<bytes.count {
            let blank = bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D
            if blank {
                if start >= 0 { out.append(mask(bytes[start..<i])); start = -1 }
            } else if start < 0 {
                start = i
            }
        }
        return out
    }

    static func isRunByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == 0x2E || b == 0x5F || b == 0x3A || b == 0x2D
    }

    static func mask(_ token: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(token.count)
        var i = token.startIndex
        while i < token.endIndex {
            guard isRunByte(token[i]) else { out.append(token[i]); i += 1; continue }
            var j = i
            while j < token.endIndex && isRunByte(token[j]) { j += 1 }
            let run = token[i..<j]
            if isVariable(run) { out += Array(wildcard.utf8) } else { out += run }
            i = j
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A run starting with a digit or a third digits (`07:07:00`, `0MB`, `e820`,
    /// `user123`, a hash) is a value; a word with a digit in it (`ssh2`, `eth0`,
    /// `tty2`) is a name.
    static func isVariable(_ run: ArraySlice<UInt8>) -> Bool {
        guard let first = run.first else { return false }
        if first >= 0x30 && first <= 0x39 { return true }
        let digits = run.reduce(0) { $0 + ($1 >= 0x30 && $1 <= 0x39 ? 1 : 0) }
        if digits > 0 && 3 * digits >= run.count { return true }
        return isDateWord(run) || isHostName(run)
    }

    private static let dateWords: Set<String> = [
        "mon", "tue", "wed", "thu", "fri", "sat", "sun",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december",
    ]

    static func isDateWord(_ run: ArraySlice<UInt8>) -> Bool {
        guard run.count >= 3, run.count <= 9 else { return false }
        let lower = run.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        return dateWords.contains(String(decoding: lower, as: UTF8.self))
    }

    /// Dot-separated labels of letters, digits and `-`, ending in a letters-only label.
    static func isHostName(_ run: ArraySlice<UInt8>) -> Bool {
        var dots = 0
        var labelLength = 0
        var lastLabelLetters = true
        for b in run {
            if b == 0x2E {
                guard labelLength > 0 else { return false }
                dots += 1
                labelLength = 0
                lastLabelLetters = true
            } else if b == 0x5F || b == 0x3A {
                return false
            } else {
                labelLength += 1
                let letter = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                if !letter { lastLabelLetters = false }
            }
        }
        guard dots >= 1, labelLength >= 2, lastLabelLetters else { return false }
        return dots == 1 ? labelLength <= 3 : labelLength <= 6
    }

    /// A token's shape: word runs as `w`, masked variables as `\u{1}`,
    /// punctuation as itself (`LOGIN(uid=<*>)` -> `w(w=\u{1})`).
    static func shape(_ token: String) -> [UInt8] {
        var out: [UInt8] = []
        let bytes = Array(token.utf8)
        let wild = Array(wildcard.utf8)
        var i = 0
        while i < bytes.count {
            if bytes[i] == wild[0], i + 3 <= bytes.count, bytes[i + 1] == wild[1], bytes[i + 2] == wild[2] {
                out.append(1)
                i += 3
            } else if isWordByte(bytes[i]) {
                while i < bytes.count && isWordByte(bytes[i]) { i += 1 }
                out.append(0x77)
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out
    }

    private static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b >= 0x80
    }

    /// Whether two differing tokens may be one slot of a template: one is a whole
    /// wildcard, or both have the same shape (a different word, a different
    /// number), or the same shape once masked variables are dropped (a value
    /// that is absent in one: `rhost=` and `rhost=<*>`). A different shape —
    /// `(uid=<*>)` against `LOGIN(uid=<*>)`, a number where a word was — is a
    /// different statement, not a different value.
    static func compatible(_ a: String, _ b: String) -> Bool {
        if a == b || a == wildcard || b == wildcard { return true }
        let sa = shape(a), sb = shape(b)
        if sa == sb { return true }
        return sa.filter { $0 != 1 } == sb.filter { $0 != 1 }
    }
}

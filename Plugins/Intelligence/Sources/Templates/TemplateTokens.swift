/// Splits a log message into the tokens the template miner compares, with the
/// obviously variable parts already replaced by `<*>`.
///
/// A message splits on ASCII whitespace. Within a token, every run of
/// `[A-Za-z0-9._:-]` (a "word run") is masked when it is a value (it starts with
/// a digit or is a third digits: numbers, IPs, hex ids, times, `0MB`; `ssh2`
/// and `eth0` stay), is a weekday or month name (dates written out), or looks
/// like a host name (dot-separated labels ending in a 2-6 letter top-level
/// label, 2-3 letters when there is only one dot, so `mice.c` and `rpc.statd`
/// stay). Punctuation around a run is kept: `LOGIN(uid=0)` becomes
/// `LOGIN(uid=<*>)`, `[mice.c(1766)]:` becomes `[mice.c(<*>)]:`. That
/// punctuation is the token's shape, which the miner uses to tell a different
/// value from a different statement.
public enum TemplateTokens {
    public static let wildcard = "<*>"
    private static let wildcardBytes = Array(wildcard.utf8)

    public static func tokens(_ message: String) -> [String] {
        var message = message
        return message.withUTF8 { tokens($0) }
    }

    static func tokens(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var out: [String] = []
        out.reserveCapacity(16)
        var start = -1
        for i in 0...bytes.count {
            let blank = i == bytes.count || bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D
            if blank {
                if start >= 0 { out.append(mask(UnsafeBufferPointer(rebasing: bytes[start..<i]))); start = -1 }
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

    static func mask(_ token: UnsafeBufferPointer<UInt8>) -> String {
        // Most tokens have nothing to mask: look for the first variable run first.
        var i = 0
        var firstVariable: Range<Int>?
        while i < token.count {
            guard isRunByte(token[i]) else { i += 1; continue }
            var j = i
            while j < token.count && isRunByte(token[j]) { j += 1 }
            if isVariable(UnsafeBufferPointer(rebasing: token[i..<j])) { firstVariable = i..<j; break }
            i = j
        }
        guard let variable = firstVariable else { return String(decoding: token, as: UTF8.self) }
        var out = Array(token[0..<variable.lowerBound])
        out.reserveCapacity(token.count + 3)
        out += wildcardBytes
        i = variable.upperBound
        while i < token.count {
            guard isRunByte(token[i]) else { out.append(token[i]); i += 1; continue }
            var j = i
            while j < token.count && isRunByte(token[j]) { j += 1 }
            let run = UnsafeBufferPointer(rebasing: token[i..<j])
            if isVariable(run) { out += wildcardBytes } else { out += run }
            i = j
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A run starting with a digit or a third digits (`07:07:00`, `0MB`, `e820`,
    /// `user123`, a hash) is a value; a word with a digit in it (`ssh2`, `eth0`,
    /// `tty2`) is a name.
    static func isVariable(_ run: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = run.first else { return false }
        if first >= 0x30 && first <= 0x39 { return true }
        var digits = 0, dots = false
        for b in run {
            if b >= 0x30 && b <= 0x39 { digits += 1 } else if b == 0x2E { dots = true }
        }
        if digits > 0 && 3 * digits >= run.count { return true }
        return isDateWord(run) || (dots && isHostName(run))
    }

    /// The three-letter stems of weekday and month names, lowercased and packed
    /// into integers (a check per word must not allocate or retain).
    private static let dateStems: [UInt32] = [
        "mon", "tue", "wed", "thu", "fri", "sat", "sun",
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ].map { stem in stem.utf8.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } }
    /// Full names longer than their stem, by stem: "monday", "september", ...
    private static let fullNames: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december",
    ]

    static func isDateWord(_ run: UnsafeBufferPointer<UInt8>) -> Bool {
        guard run.count >= 3, run.count <= 9 else { return false }
        var stem: UInt32 = 0
        for k in 0..<3 {
            let b = run[k] | 0x20  // ASCII lowercase; non-letters never match a stem
            guard b >= 0x61 && b <= 0x7A else { return false }
            stem = stem << 8 | UInt32(b)
        }
        guard dateStems.contains(stem) else { return false }
        if run.count == 3 { return true }
        var lower = [UInt8](repeating: 0, count: run.count)
        for k in 0..<run.count { lower[k] = run[k] | 0x20 }
        return fullNames.contains(String(decoding: lower, as: UTF8.self))
    }

    /// Dot-separated labels of letters, digits and `-`, ending in a letters-only label.
    static func isHostName(_ run: UnsafeBufferPointer<UInt8>) -> Bool {
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
        var i = 0
        while i < bytes.count {
            if bytes[i] == wildcardBytes[0], i + 3 <= bytes.count, bytes[i + 1] == wildcardBytes[1], bytes[i + 2] == wildcardBytes[2] {
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

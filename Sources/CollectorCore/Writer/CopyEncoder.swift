import ByteKit

/// Encodes values into PostgreSQL's COPY text format, safe for any input:
/// backslash, tab, newline and carriage return are escaped, and text is stored
/// under ByteKit's `TextPolicy` (NUL and each invalid UTF-8 subpart become
/// U+FFFD), so a single bad value can never break the rows around it.
package struct CopyEncoder {
    package private(set) var bytes: [UInt8] = []

    package init(reservingCapacity capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    package mutating func removeAll(keepingCapacity: Bool = true) { bytes.removeAll(keepingCapacity: keepingCapacity) }

    package mutating func appendNull() { bytes.append(contentsOf: [0x5C, 0x4E]) }  // \N
    package mutating func appendSeparator() { bytes.append(0x09) }
    package mutating func endRow() { bytes.append(0x0A) }

    package mutating func appendBool(_ b: Bool) { bytes.append(b ? 0x74 : 0x66) }

    package mutating func appendInt(_ i: Int64) {
        if i == 0 { bytes.append(0x30); return }
        var magnitude = i.magnitude
        var tmp = [UInt8](repeating: 0, count: 20)
        var n = 0
        while magnitude > 0 {
            tmp[n] = UInt8(truncatingIfNeeded: magnitude % 10) + 0x30
            magnitude /= 10
            n += 1
        }
        if i < 0 { bytes.append(0x2D) }
        while n > 0 { n -= 1; bytes.append(tmp[n]) }
    }

    /// NaN and infinities have no place in a metric: stored as NULL.
    package mutating func appendDouble(_ d: Double) {
        guard d.isFinite else { appendNull(); return }
        bytes.append(contentsOf: d.description.utf8)
    }

    /// Microseconds since the epoch as `YYYY-MM-DD HH:MM:SS.ffffff+00`.
    package mutating func appendTimestamp(micros: Int64) {
        let (seconds, fraction) = CivilTime.secondsAndMicros(micros)
        let (days, secOfDay) = CivilTime.daysAndSecondOfDay(seconds)
        let (y, m, d) = CivilTime.civilFromDays(days)
        appendPadded(Int64(y), width: 4); bytes.append(0x2D)
        appendPadded(Int64(m), width: 2); bytes.append(0x2D)
        appendPadded(Int64(d), width: 2); bytes.append(0x20)
        appendPadded(Int64(secOfDay / 3600), width: 2); bytes.append(0x3A)
        appendPadded(Int64(secOfDay / 60 % 60), width: 2); bytes.append(0x3A)
        appendPadded(Int64(secOfDay % 60), width: 2); bytes.append(0x2E)
        appendPadded(Int64(fraction), width: 6)
        bytes.append(contentsOf: [0x2B, 0x30, 0x30])  // +00
    }

    private mutating func appendPadded(_ value: Int64, width: Int) {
        var digits = [UInt8](repeating: 0x30, count: width)
        var v = value < 0 ? 0 : value
        var i = width - 1
        while i >= 0 {
            digits[i] = UInt8(truncatingIfNeeded: v % 10) + 0x30
            v /= 10
            i -= 1
        }
        bytes.append(contentsOf: digits)
    }

    package mutating func appendText(_ s: String) {
        var s = s
        s.withUTF8 { appendText(UnsafeRawBufferPointer($0)) }
    }

    /// Any bytes: escaped; NUL and invalid UTF-8 replaced by U+FFFD (`TextPolicy`).
    package mutating func appendText(_ raw: UnsafeRawBufferPointer) {
        let count = raw.count
        guard count > 0 else { return }
        bytes.reserveCapacity(bytes.count + count + 8)
        var i = 0
        while i < count {
            let b = raw[i]
            if b < 0x80 {
                switch b {
                case 0x00: TextPolicy.appendReplacement(to: &bytes)
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x09: bytes.append(0x5C); bytes.append(0x74)
                case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
                case 0x0D: bytes.append(0x5C); bytes.append(0x72)
                default: bytes.append(b)
                }
                i += 1
                continue
            }
            i += TextPolicy.appendSequence(raw, at: i, to: &bytes)
        }
    }
}

extension CopyEncoder {
    /// A JSONB cell. Malformed JSON would fail the whole COPY, so it is stored as
    /// NULL for that cell instead; the escapes jsonb refuses (`\u0000`, unpaired
    /// surrogates) become `\ufffd`, as `TextPolicy` has it.
    package mutating func appendJSON(_ raw: UnsafeRawBufferPointer) {
        guard JSONValidator.isValid(raw) else { return appendNull() }
        let escapes = JSONValidator.unstorableEscapes(raw)
        guard !escapes.isEmpty else { return appendText(raw) }
        var copy = Array(raw)
        JSONValidator.replaceEscapes(&copy, at: escapes)
        copy.withUnsafeBytes { appendText($0) }
    }
}

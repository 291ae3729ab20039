/// Encodes values into PostgreSQL's COPY text format, safe for any input:
/// backslash, tab, newline and carriage return are escaped, NUL bytes are
/// removed (no PostgreSQL text can hold one) and invalid UTF-8 becomes U+FFFD,
/// so a single bad value can never break the rows around it.
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
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 { fraction += 1_000_000; seconds -= 1 }
        var days = seconds / 86_400
        var secOfDay = seconds % 86_400
        if secOfDay < 0 { secOfDay += 86_400; days -= 1 }
        let (y, m, d) = CivilDate.fromDays(days)
        appendPadded(y, width: 4); bytes.append(0x2D)
        appendPadded(Int64(m), width: 2); bytes.append(0x2D)
        appendPadded(Int64(d), width: 2); bytes.append(0x20)
        appendPadded(secOfDay / 3600, width: 2); bytes.append(0x3A)
        appendPadded(secOfDay / 60 % 60, width: 2); bytes.append(0x3A)
        appendPadded(secOfDay % 60, width: 2); bytes.append(0x2E)
        appendPadded(fraction, width: 6)
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

    /// Any bytes: escaped, NULs removed, invalid UTF-8 replaced.
    package mutating func appendText(_ raw: UnsafeRawBufferPointer) {
        let count = raw.count
        guard count > 0, let base = raw.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return }
        bytes.reserveCapacity(bytes.count + count + 8)
        var i = 0
        while i < count {
            let b = base[i]
            if b < 0x80 {
                switch b {
                case 0x00: break
                case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
                case 0x09: bytes.append(0x5C); bytes.append(0x74)
                case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
                case 0x0D: bytes.append(0x5C); bytes.append(0x72)
                default: bytes.append(b)
                }
                i += 1
                continue
            }
            i += UTF8Validation.appendSequence(base, at: i, count: count, to: &bytes)
        }
    }
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
package enum CivilDate {
    package static func fromDays(_ z0: Int64) -> (Int64, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = Int(doy - (153 * mp + 2) / 5 + 1)
        let m = Int(mp < 10 ? mp + 3 : mp - 9)
        return (m <= 2 ? y + 1 : y, m, d)
    }

    package static func toDays(year: Int64, month: Int, day: Int) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(month > 2 ? month - 3 : month + 9)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

/// Strict UTF-8 validation of one sequence (no overlongs, no surrogates, ≤ U+10FFFF).
package enum UTF8Validation {
    /// Length of the valid sequence starting at `i`, or 0 if it is invalid.
    @inline(__always)
    package static func sequenceLength(_ p: UnsafePointer<UInt8>, at i: Int, count: Int) -> Int {
        let b0 = p[i]
        func cont(_ k: Int) -> Bool { i + k < count && p[i + k] & 0xC0 == 0x80 }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) ? 2 : 0
        case 0xE0:
            return cont(1) && p[i + 1] >= 0xA0 && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(1) && cont(2) ? 3 : 0
        case 0xED:
            return cont(1) && p[i + 1] < 0xA0 && cont(2) ? 3 : 0
        case 0xF0:
            return cont(1) && p[i + 1] >= 0x90 && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3:
            return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4:
            return cont(1) && p[i + 1] < 0x90 && cont(2) && cont(3) ? 4 : 0
        default:
            return 0
        }
    }

    /// Appends the valid sequence at `i`, or U+FFFD in place of its first byte;
    /// returns how many bytes it consumed.
    @inline(__always)
    package static func appendSequence(_ p: UnsafePointer<UInt8>, at i: Int, count: Int, to out: inout [UInt8]) -> Int {
        let length = sequenceLength(p, at: i, count: count)
        if length > 0 {
            out.append(contentsOf: UnsafeBufferPointer(start: p + i, count: length))
            return length
        }
        out.append(0xEF)
        out.append(0xBF)
        out.append(0xBD)
        return 1
    }
}

import CollectorCore
/// Synthetic rows for `bench-storage`: generated once (untimed), then written by
/// every method, so each method writes exactly the same values.

/// One cell of a generated row, typed like the values plugins hand the host.
enum BenchCell {
    case null
    case int(Int64)
    case double(Double)
    case timestamp(Int64)  // microseconds since the epoch, UTC
    case text(String)
    case json(String)
}

/// A table's generated rows and the columns they fill, in COPY order.
struct BenchTable {
    /// "collector.log_entries".
    let table: String
    let columns: [String]
    /// Metric rows may be dropped past the writer's memory cap; log rows never.
    let droppable: Bool
    var rows: [[BenchCell]]

    var target: RowTarget { RowTarget(table: table, columns: columns, droppable: droppable) }
    var copySQL: String { target.copySQL }

    /// Encodes one row the way the host does in `table_emit` (PluginTable.encode):
    /// JSON cells are validated first, so bad JSON costs a cell, not the batch.
    static func encode(_ row: [BenchCell], into e: inout CopyEncoder) {
        var first = true
        for cell in row {
            if first { first = false } else { e.appendSeparator() }
            switch cell {
            case .null: e.appendNull()
            case .int(let i): e.appendInt(i)
            case .double(let d): e.appendDouble(d)
            case .timestamp(let us): e.appendTimestamp(micros: us)
            case .text(let s): e.appendText(s)
            case .json(let s):
                var s = s
                s.withUTF8 { e.appendJSON(UnsafeRawBufferPointer($0)) }
            }
        }
        e.endRow()
    }

    /// The text parameter of one cell for `INSERT ... VALUES ($1, ...)`; nil is NULL.
    static func parameter(_ cell: BenchCell, scratch: inout CopyEncoder) -> String? {
        switch cell {
        case .null: return nil
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? d.description : nil
        case .timestamp(let us):
            scratch.removeAll()
            scratch.appendTimestamp(micros: us)
            return String(decoding: scratch.bytes, as: UTF8.self)
        case .text(let s), .json(let s): return s
        }
    }
}

/// SplitMix64: small, fast and deterministic, so a seed reproduces a data set.
struct BenchRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<n.
    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    /// Uniform in range.
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    mutating func double(_ lo: Double, _ hi: Double) -> Double { lo + (hi - lo) * unit() }

    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Approximately normal (sum of uniforms), mean 0, sd 1.
    mutating func gaussian() -> Double {
        var s = 0.0
        for _ in 0..<6 { s += unit() }
        return (s - 3) * 1.4142135623730951
    }

    /// Index drawn with the given weights.
    mutating func weighted(_ weights: [Double], total: Double) -> Int {
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }

    /// Skewed pick in 0..<n: low indexes are much more likely (a few noisy attackers, many quiet ones).
    mutating func skewed(_ n: Int) -> Int {
        let u = unit()
        return min(n - 1, Int(Double(n) * u * u * u))
    }

    mutating func hex(_ count: Int) -> String {
        let digits: [Character] = Array("0123456789abcdef")
        var s = ""
        s.reserveCapacity(count)
        var bits: UInt64 = 0
        var left = 0
        for _ in 0..<count {
            if left == 0 { bits = next(); left = 16 }
            s.append(digits[Int(bits & 0xF)])
            bits >>= 4
            left -= 1
        }
        return s
    }
}

/// Fixed-point rounding for realistic metric values (a collector reports 2 decimals, not 17).
@inline(__always)
func benchRound(_ x: Double, _ decimals: Int = 2) -> Double {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    return (x * scale).rounded() / scale
}

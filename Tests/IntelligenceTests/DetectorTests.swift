import Glibc
import Testing

@testable import IntelligenceCore

/// A deterministic normal noise source (SplitMix64 + Box-Muller), so tests never flake.
struct Noise {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> Double {
        func u(_ s: inout UInt64) -> Double {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
        }
        let u1 = max(u(&state), 1e-300), u2 = u(&state)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

let t0: Int64 = 1_706_745_600

/// Scores a whole series at a regular interval.
func scores(_ values: [Double], every step: Int64 = 300, config: DetectorConfig = DetectorConfig()) -> [Double] {
    var d = AnomalyDetector(config: config)
    return values.enumerated().map { d.score(timestamp: t0 + Int64($0.offset) * step, value: $0.element) }
}

/// A daily sine (5-minute points) around 50 with amplitude 10 and N(0, 1) noise.
func dailySine(_ n: Int, seed: UInt64) -> [Double] {
    var noise = Noise(seed: seed)
    var out: [Double] = []
    for i in 0..<n {
        let phase: Double = Double(i) / 288 * 2 * Double.pi
        out.append(50 + 10 * sin(phase) + noise.next())
    }
    return out
}

func steady(_ n: Int, level: Double = 100, sigma: Double = 1, seed: UInt64 = 1) -> [Double] {
    var noise = Noise(seed: seed)
    return (0..<n).map { _ in level + sigma * noise.next() }
}

@Suite("anomaly detector")
struct DetectorTests {
    @Test("every score is in [0, 1], also for wild input")
    func scoreRange() {
        var noise = Noise(seed: 9)
        var values: [Double] = []
        for i in 0..<3000 {
            let base = i % 700 < 350 ? 5.0 : 1e6
            values.append(base * (1 + 0.3 * noise.next()) + (i % 97 == 0 ? 1e9 : 0) - (i % 211 == 0 ? 1e12 : 0))
        }
        values += [.greatestFiniteMagnitude, -.greatestFiniteMagnitude, 0, 1e-300, .nan, .infinity]
        for s in scores(values) { #expect(s >= 0 && s <= 1) }
    }

    @Test("a larger deviation never scores lower, and moderate ones do not saturate")
    func monotoneInDeviation() {
        var d = AnomalyDetector()
        let history = steady(600)
        for (i, v) in history.enumerated() { _ = d.score(timestamp: t0 + Int64(i) * 300, value: v) }
        let next = t0 + Int64(history.count) * 300
        var previous = -1.0
        var previousDown = -1.0
        for k in stride(from: 0.0, through: 200, by: 0.25) {
            var up = d, down = d  // value semantics: each copy scores one candidate
            let s = up.score(timestamp: next, value: 100 + k)
            let sDown = down.score(timestamp: next, value: 100 - k)
            #expect(s >= previous, "deviation +\(k)")
            #expect(sDown >= previousDown, "deviation -\(k)")
            previous = s
            previousDown = sDown
        }
        var copy = d
        let moderate = copy.score(timestamp: next, value: 108)
        copy = d
        let large = copy.score(timestamp: next, value: 130)
        #expect(moderate > 0.5 && moderate < 0.9)
        #expect(large > moderate && large < 1)
    }

    @Test("monotone also where the memory knows levels and past surprises (on/off history with spikes)")
    func monotoneWithMemory() {
        var noise = Noise(seed: 21)
        var d = AnomalyDetector()
        var t = t0
        for cycle in 0..<8 {
            for i in 0..<60 {
                t += 300
                let spike = i == 30 && cycle % 3 == 0 ? 40.0 : 0
                _ = d.score(timestamp: t, value: (cycle % 2 == 0 ? 80 : 10) + noise.next() + spike)
            }
        }
        t += 300
        var previous = -1.0, previousDown = -1.0
        for k in stride(from: 0.0, through: 400, by: 0.5) {
            var up = d, down = d
            let s = up.score(timestamp: t, value: 10 + k), sDown = down.score(timestamp: t, value: 10 - k)
            #expect(s >= previous, "deviation +\(k)")
            #expect(sDown >= previousDown, "deviation -\(k)")
            previous = s
            previousDown = sDown
        }
        var onLevel = d
        #expect(onLevel.score(timestamp: t, value: 80) < 0.5)  // the other state is known ground
    }

    @Test("no look-ahead: appending points never changes earlier scores")
    func noLookAhead() {
        var values = dailySine(2500, seed: 4)
        values[2000] += 30
        let full = scores(values)
        for cut in [10, 48, 49, 300, 1999, 2000, 2001] {
            #expect(scores(Array(values.prefix(cut))) == Array(full.prefix(cut)))
        }
    }

    @Test("the first warmUpPoints points score 0, whatever they are")
    func warmUp() {
        var config = DetectorConfig()
        config.warmUpPoints = 48
        let values = (0..<100).map { i in i % 2 == 0 ? 0.0 : 1e6 }
        let s = scores(values, config: config)
        #expect(s.prefix(48).allSatisfy { $0 == 0 })
    }

    @Test("a constant series scores 0 everywhere")
    func constant() {
        #expect(scores([Double](repeating: 7, count: 200), every: 1).allSatisfy { $0 == 0 })
        #expect(scores([Double](repeating: 0, count: 200), every: 60).allSatisfy { $0 == 0 })
    }

    @Test("near-constant series: the scale floor keeps a tiny change quiet, a real one is flagged")
    func nearConstantFloor() {
        let history = steady(300, level: 1000, sigma: 1e-6)
        var d = AnomalyDetector()
        for (i, v) in history.enumerated() { _ = d.score(timestamp: t0 + Int64(i) * 60, value: v) }
        let next = t0 + 300 * 60
        var tiny = d, real = d
        #expect(tiny.score(timestamp: next, value: 1000.5) == 0)  // 0.05 %
        #expect(real.isAnomaly(real.score(timestamp: next, value: 1050)))  // 5 %
    }

    @Test("scores do not depend on the metric's unit")
    func scaleInvariant() {
        let values = steady(1500, level: 3, sigma: 0.2, seed: 7).enumerated().map { $0.element + ($0.offset == 1200 ? 2 : 0) }
        let a = scores(values), b = scores(values.map { $0 * 1e6 })
        for (x, y) in zip(a, b) { #expect(abs(x - y) < 1e-9) }
        #expect(a[1200] >= 0.5)
    }

    @Test("after a lasting level shift the alarms stop within shiftPoints")
    func levelShiftAdaptation() {
        let config = DetectorConfig()
        let values = steady(1000, seed: 3).enumerated().map { $0.element + ($0.offset >= 600 ? 20 : 0) }
        let s = scores(values, config: config)
        #expect(s[600] >= config.threshold)
        let lastAlarm = (600..<1000).last { s[$0] >= config.threshold } ?? 600
        #expect(lastAlarm < 600 + config.shiftPoints)
        #expect(!s[..<600].contains { $0 >= config.threshold })
    }

    @Test("direction: up ignores drops, down ignores spikes, both sees both")
    func direction() {
        let values = steady(800, seed: 5).enumerated().map { i, v in v + (i == 500 ? 15 : 0) - (i == 650 ? 15 : 0) }
        let both = scores(values, config: DetectorConfig(direction: .both))
        let up = scores(values, config: DetectorConfig(direction: .up))
        let down = scores(values, config: DetectorConfig(direction: .down))
        #expect(both[500] >= 0.5 && both[650] >= 0.5)
        #expect(up[500] >= 0.5 && up[650] == 0)
        #expect(down[500] == 0 && down[650] >= 0.5)
    }

    @Test("daily sine with one spike: the spike is flagged and almost nothing else")
    func seasonalSpike() {
        var values = dailySine(3000, seed: 7)
        values[2500] += 40
        let s = scores(values)
        #expect(s[2500] >= 0.5)
        #expect(s.filter { $0 >= 0.5 }.count <= 3)
    }

    @Test("a daily batch job stops alarming once the profile knows it")
    func dailyPatternLearned() {
        var noise = Noise(seed: 11)
        let perDay = 288
        let values = (0..<(perDay * 7)).map { i -> Double in
            let minute = (i % perDay) * 5
            return 100 + noise.next() + (minute >= 120 && minute < 150 ? 60 : 0)
        }
        let s = scores(values)
        #expect(!s[(perDay * 3)...].contains { $0 >= 0.5 })
    }

    @Test("a weekly pattern (Monday-morning peak, quiet weekends) stops alarming after two weeks; a spike still alarms")
    func weeklyPatternLearned() {
        var noise = Noise(seed: 23)
        let perDay = 288
        // t0 is a Thursday: day 4 is a Monday, days 2 and 3 the weekend.
        var values = (0..<(perDay * 35)).map { i -> Double in
            let day = i / perDay, minute = (i % perDay) * 5
            var x = 50 + 10 * sin(Double(i % perDay) / Double(perDay) * 2 * Double.pi) + noise.next()
            if day % 7 == 4 && minute >= 540 && minute < 660 { x += 25 }
            if day % 7 == 2 || day % 7 == 3 { x -= 8 }
            return x
        }
        let spike = perDay * 32 + 14 * 12  // a Saturday, 14:00
        values[spike] += 30
        let s = scores(values)
        let late = s[(perDay * 21)...].enumerated().filter { $0.element >= 0.5 }.map { $0.offset + perDay * 21 }
        #expect(late == [spike], "flagged after day 21: \(late.map { ($0 / perDay, $0 % perDay / 12) })")
    }

    @Test("a repeating pattern: later repeats score lower than the first")
    func repeatsBecomeFamiliar() {
        let values = (0..<500).map { $0 % 100 == 0 ? 1.0 : 0.0 }
        let s = scores(values, every: 60)
        #expect(s[100] >= 0.5)
        #expect(s[300] < s[100] && s[400] < s[100])
        #expect(s.enumerated().allSatisfy { $0.offset % 100 == 0 || $0.element == 0 })
    }

    @Test("two-level (on/off) series: switches stop alarming once both levels are familiar")
    func twoLevel() {
        var noise = Noise(seed: 13)
        var values: [Double] = []
        for cycle in 0..<20 {
            let on = 30 + (cycle * 7) % 40, off = 40 + (cycle * 11) % 50
            values += (0..<on).map { _ in 80 + noise.next() }
            values += (0..<off).map { _ in 10 + noise.next() }
        }
        let s = scores(values)
        #expect(!s[600...].contains { $0 >= 0.5 })
    }

    @Test("irregular intervals and a long gap do not alarm by themselves")
    func irregularAndGaps() {
        var noise = Noise(seed: 17)
        var d = AnomalyDetector()
        var t = t0
        var alarms = 0
        for i in 0..<3000 {
            t += Int64(30 + (i * 37) % 61)
            if i == 1500 { t += 6 * 3600 }
            if d.isAnomaly(d.score(timestamp: t, value: 20 + noise.next())) { alarms += 1 }
        }
        #expect(alarms <= 1)
    }

    @Test("missing values score 0 and leave the state alone")
    func missing() {
        var a = AnomalyDetector(), b = AnomalyDetector()
        let values = steady(200)
        for (i, v) in values.enumerated() {
            let t = t0 + Int64(i) * 60
            let sa = a.score(timestamp: t, value: v)
            if i % 10 == 0 { #expect(b.score(timestamp: t, value: .nan) == 0) }
            #expect(sa == b.score(timestamp: t, value: v))
        }
    }
}

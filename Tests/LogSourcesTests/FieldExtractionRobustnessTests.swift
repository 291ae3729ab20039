import LogSourcesCore
import Testing

/// The extractors index into messages from the right and the left: every cut of a
/// real line, and every line with a byte changed, must parse without trapping and
/// never hand out a field outside the line.
@Suite("field extraction on damaged lines")
struct FieldExtractionRobustnessTests {
    private static let lines: [[UInt8]] = (GeneratedLogs.sshdAuthLog + "\n" + GeneratedLogs.netfilterKernLog)
        .split(separator: "\n").map { Array($0.utf8) }

    @Test("every prefix of every captured sshd and netfilter line")
    func truncations() {
        var parser = LogFormat.syslog.parser()
        var parsed = 0
        for line in Self.lines {
            for length in 0...line.count {
                let record = parser.parseCopy(line[0..<length])
                for value in record.fields.values {
                    #expect(value.utf8.count <= length)
                }
                parsed += 1
            }
        }
        #expect(parsed > 10_000)
    }

    @Test("every captured line with one byte replaced by a space, a colon, a bracket or NUL")
    func substitutions() {
        var parser = LogFormat.syslog.parser()
        let replacements: [UInt8] = [0x20, 0x3A, 0x5D, 0x3D, 0x00]
        for line in Self.lines {
            for index in stride(from: 16, to: line.count, by: 3) {
                for byte in replacements {
                    var damaged = line
                    damaged[index] = byte
                    _ = parser.parseCopy(damaged)
                }
            }
        }
    }
}

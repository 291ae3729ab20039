import LogSourcesCore
import Testing

@Suite("simple_timestamp parser")
struct SimpleTimestampParserTests {
    @Test("both forms, levels, continuation, local time")
    func forms() {
        let records = parseAll(.simpleTimestamp, [
            "[2026-02-15 00:00:54] Health check passed: api=200 proxy=200 db=ok",
            "2026-02-15 00:01:00 Blocklist sync: 1234 entries, 17 new",
            "[2026-02-15 00:02:00] ERROR: proxy health endpoint returned 502",
            "[2026-02-15 00:02:01] [WARN] slow response 2300ms",
            "2026-02-15 00:02:02 WARNING - bot score above threshold for 203.0.113.50",
            "[2026-02-15 00:02:03] Alert sent to ops",
            "[2026-02-15 00:02:04] ERRORS found: 0",
            "    curl: (7) Failed to connect to localhost port 3003",
            "2026-02-15T00:02:05.250Z iso form with a zone",
            "[2026-02-15 00:02:06 UTC] explicit UTC",
            "no timestamp here",
            "",
        ], offsetSeconds: -6 * 3600)
        #expect(records[0].kind == .record)
        #expect(records[0].timestampMicros == utc(2026, 2, 15, 6, 0, 54))
        #expect(records[0].message == "Health check passed: api=200 proxy=200 db=ok")
        #expect(records[0].level == .unknown)
        #expect(records[1].message == "Blocklist sync: 1234 entries, 17 new")
        #expect(records[2].level == .error)
        #expect(records[2].message == "proxy health endpoint returned 502")
        #expect(records[3].level == .warn)
        #expect(records[3].message == "slow response 2300ms")
        #expect(records[4].level == .warn)
        #expect(records[4].message == "bot score above threshold for 203.0.113.50")
        #expect(records[5].level == .unknown)  // "Alert" in a sentence is not a level
        #expect(records[5].message == "Alert sent to ops")
        #expect(records[6].level == .unknown)
        #expect(records[7].kind == .continuation)
        #expect(records[8].timestampMicros == utc(2026, 2, 15, 0, 2, 5, 250_000))
        #expect(records[9].timestampMicros == utc(2026, 2, 15, 0, 2, 6))
        #expect(records[9].message == "explicit UTC")
        #expect(records[10].kind == .unparsed)
        #expect(records[11].kind == .skip)
    }
}

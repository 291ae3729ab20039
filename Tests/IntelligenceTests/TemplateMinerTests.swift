import ByteKit
import Foundation
import Testing

@testable import IntelligenceCore

@Suite struct TemplateTokensTests {
    @Test func variablesAreMaskedAndShapesKept() {
        #expect(TemplateTokens.tokens("connection from 24.54.76.216 (24-54-76-216.bflony.adelphia.net) at Fri Jun 17 07:07:00 2005")
            == ["connection", "from", "<*>", "(<*>)", "at", "<*>", "<*>", "<*>", "<*>", "<*>"])
        #expect(TemplateTokens.tokens("session opened for user root by LOGIN(uid=0)")
            == ["session", "opened", "for", "user", "root", "by", "LOGIN(uid=<*>)"])
        #expect(TemplateTokens.tokens("*** info [mice.c(1766)]:") == ["***", "info", "[mice.c(<*>)]:"])
        #expect(TemplateTokens.tokens("rpc.statd startup succeeded rhost=zummit.com") == ["rpc.statd", "startup", "succeeded", "rhost=<*>"])
        #expect(TemplateTokens.tokens("  tabs\tand  spaces ") == ["tabs", "and", "spaces"])
        #expect(TemplateTokens.tokens("") == [])
    }

    @Test func compatibility() {
        #expect(TemplateTokens.compatible("cyrus", "news"))
        #expect(TemplateTokens.compatible("rhost=", "rhost=<*>"), "an absent value")
        #expect(TemplateTokens.compatible("()", "(<*>)"))
        #expect(!TemplateTokens.compatible("(uid=<*>)", "LOGIN(uid=<*>)"), "another shape: another statement")
        #expect(TemplateTokens.compatible("<*>", "anything"))
    }
}

@Suite struct TemplateMinerTests {
    @Test func sshdFormsGroupWithSlots() {
        var m = TemplateMiner()
        let a = m.add("Failed password for root from 203.0.113.5 port 22 ssh2")
        let b = m.add("Failed password for admin from 198.51.100.7 port 4711 ssh2")
        let c = m.add("Failed password for invalid user oracle from 198.51.100.7 port 4711 ssh2")
        let d = m.add("Accepted publickey for deploy from 192.0.2.1 port 50022 ssh2")
        #expect(a.id == b.id && a.changed && b.changed)
        #expect(m.template(a.id)?.text == "Failed password for <*> from <*> port <*> ssh2")
        #expect(c.id != a.id, "another token count: another template")
        #expect(d.id != a.id)
        #expect(!m.add("Failed password for guest from 192.0.2.9 port 1 ssh2").changed, "a known template does not change")
    }

    @Test func restoredTemplatesKeepTheirIDs() {
        var m = TemplateMiner()
        m.restore(id: 41, text: "Failed password for <*> from <*> port <*> ssh2")
        m.restore(id: 7, text: "session closed for user <*>")
        #expect(m.add("session closed for user news").id == 7)
        #expect(m.add("Failed password for root from 203.0.113.5 port 22 ssh2").id == 41)
        #expect(m.add("something new").id == 42, "new ids continue after the largest restored one")
    }

    @Test func memoryIsBounded() {
        var m = TemplateMiner(maxTemplates: 50)
        for i in 0..<500 { m.add("event\(String(repeating: "x", count: i % 200)) happened word\(i % 7 == 0 ? "" : "s")") }
        #expect(m.count <= 50)
        for i in 0..<1000 { m.add("w\(i) \(String(repeating: "a", count: i % 40)) \(["alpha", "beta", "gamma"][i % 3])") }
        #expect(m.count <= 50)
    }

    /// LogHub's Linux sample: 2 000 real syslog lines, 118 ground-truth events.
    @Test(.enabled(if: LogHub.available, "../shared/data/logs is absent")) func groupingAccuracyOnLogHubLinux() throws {
        let (contents, events) = try LogHub.linux()
        var m = TemplateMiner()
        let ids = contents.map { m.add($0).id }
        let accuracy = GroupingAccuracy.measure(predicted: ids, truth: events)
        print("LogHub Linux_2k: grouping accuracy \(accuracy), \(m.count) templates for \(Set(events).count) events")
        #expect(accuracy >= 0.8)
    }

    @Test func groupingAccuracyMeasure() {
        #expect(GroupingAccuracy.measure(predicted: [1, 1, 2, 3], truth: ["a", "a", "b", "b"]) == 0.5)
        #expect(GroupingAccuracy.measure(predicted: [1, 1, 2], truth: ["a", "a", "b"]) == 1)
    }
}

/// `../shared/data/logs/loghub/` beside the repository, read in place.
enum LogHub {
    static let directory: String = {
        let file = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        return file.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/data/logs/loghub").path
    }()

    static var available: Bool { FileManager.default.fileExists(atPath: directory + "/Linux_2k.log_structured.csv") }

    /// Content and EventId of each line of the structured CSV.
    static func linux() throws -> ([String], [String]) {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/Linux_2k.log_structured.csv"))
        let records = CSVRecords.parse(Array(data))
        let header = records.first ?? []
        guard let content = header.firstIndex(of: "Content"), let event = header.firstIndex(of: "EventId") else {
            throw CocoaError(.fileReadCorruptFile)
        }
        let rows = records.dropFirst().filter { $0.count == header.count }
        return (rows.map { $0[content] }, rows.map { $0[event] })
    }
}

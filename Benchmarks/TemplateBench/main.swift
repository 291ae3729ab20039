// TemplateBench: the template miner's grouping accuracy on a LogHub-style
// structured CSV (Content and EventId columns) and its speed.
//
//   swift run -c release TemplateBench [FILE.csv] [lines for the speed run (1000000)]
//
// Default file: ../shared/data/logs/loghub/Linux_2k.log_structured.csv (LogHub's
// Linux sample, read in place). Accuracy is the standard grouping accuracy
// (GroupingAccuracy); speed is the miner alone over the file's messages repeated.
import ByteKit
import Glibc
import IntelligenceCore

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func readFile(_ path: String) -> [UInt8]? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&chunk, 1, chunk.count, f)
        if n <= 0 { break }
        bytes += chunk[0..<n]
    }
    return bytes
}

let args = Array(CommandLine.arguments.dropFirst())
let path = args.first ?? "../shared/data/logs/loghub/Linux_2k.log_structured.csv"
let speedLines = args.count > 1 ? Int(args[1]) ?? 1_000_000 : 1_000_000
guard let bytes = readFile(path) else {
    print("TemplateBench: cannot read \(path)")
    exit(2)
}
let records = CSVRecords.parse(bytes)
guard let header = records.first, let content = header.firstIndex(of: "Content"), let event = header.firstIndex(of: "EventId") else {
    print("TemplateBench: \(path) has no Content and EventId columns")
    exit(2)
}
let rows = records.dropFirst().filter { $0.count == header.count }
let messages = rows.map { $0[content] }, truth = rows.map { $0[event] }

var miner = TemplateMiner()
let ids = messages.map { miner.add($0).id }
let accuracy = GroupingAccuracy.measure(predicted: ids, truth: truth)
print("\(path): \(messages.count) lines, \(Set(truth).count) ground-truth events")
print("grouping accuracy \(Double(Int(accuracy * 10_000)) / 10_000), \(miner.count) templates")

var speedMiner = TemplateMiner()
let start = monotonicSeconds()
var done = 0, checksum: Int64 = 0
while done < speedLines {
    for m in messages {
        checksum &+= speedMiner.add(m).id
        done += 1
        if done == speedLines { break }
    }
}
let elapsed = monotonicSeconds() - start
print("speed: \(done) lines in \(Int(elapsed * 1000)) ms = \(Int(Double(done) / elapsed)) lines/s on one core (checksum \(checksum))")

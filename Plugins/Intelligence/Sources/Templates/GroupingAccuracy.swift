/// The standard measure of a log parser's grouping (Zhu et al., "Tools and
/// Benchmarks for Automated Log Parsing", ICSE-SEIP 2019): a line is parsed
/// correctly when the set of lines sharing its template is exactly the set of
/// lines sharing its ground-truth event. Returns the share of such lines.
public enum GroupingAccuracy {
    public static func measure<P: Hashable, T: Hashable>(predicted: [P], truth: [T]) -> Double {
        precondition(predicted.count == truth.count, "one prediction per line")
        guard !predicted.isEmpty else { return 1 }
        var byPredicted: [P: [Int]] = [:], byTruth: [T: [Int]] = [:]
        for i in predicted.indices {
            byPredicted[predicted[i], default: []].append(i)
            byTruth[truth[i], default: []].append(i)
        }
        var correct = 0
        for lines in byPredicted.values {
            // Same members: the truth group of its first line has exactly these lines.
            guard let first = lines.first, let group = byTruth[truth[first]], group == lines else { continue }
            correct += lines.count
        }
        return Double(correct) / Double(predicted.count)
    }
}

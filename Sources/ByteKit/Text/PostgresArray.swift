/// Text-array literals for `= ANY($n::text[])` parameters: every element
/// double-quoted, with `"` and `\` escaped, so any text round-trips.
public enum PostgresArray {
    public static func literal(_ items: [String]) -> String {
        "{" + items.map { item in
            var out = "\""
            for ch in item {
                if ch == "\"" || ch == "\\" { out.append("\\") }
                out.append(ch)
            }
            return out + "\""
        }.joined(separator: ",") + "}"
    }
}

/// One `"key": value` of an object; the key is raw (journald keys never need escapes).
struct JSONMember {
    var keyStart: Int
    var keyEnd: Int
    var value: JSONValue
}

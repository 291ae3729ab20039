/// A JSON value located in the line, not yet decoded. Ranges exclude quotes for
/// strings and include the brackets for arrays and objects.
enum JSONValue {
    case string(start: Int, end: Int, hasEscapes: Bool)
    case number(start: Int, end: Int)
    case array(start: Int, end: Int)
    case object(start: Int, end: Int)
    case bool
    case null
}

/// A JSON value located in the input, not decoded: what the flat scanners hand
/// out so nothing is copied until a caller wants it. Ranges exclude the quotes of
/// strings and include the brackets of arrays and objects.
public enum JSONSpan: Sendable, Equatable {
    case string(start: Int, end: Int, hasEscapes: Bool)
    case number(start: Int, end: Int)
    case array(start: Int, end: Int)
    case object(start: Int, end: Int)
    case bool(Bool)
    case null
}

/// A run of a message's bytes found by a matcher, as two 32-bit offsets: the match
/// results are copied through several returns per line, and three optional
/// `Range<Int>`s made that copy most of an sshd line's extraction cost.
struct ByteSpan {
    var start: Int32
    var end: Int32

    static let none = ByteSpan(start: 0, end: 0)

    init(start: Int32, end: Int32) {
        self.start = start
        self.end = end
    }

    /// Offsets past Int32 (a line over 2 GiB) give an empty span, never a trap.
    init(_ start: Int, _ end: Int) {
        guard start >= 0, end >= start, end <= Int(Int32.max) else {
            self = .none
            return
        }
        self.start = Int32(start)
        self.end = Int32(end)
    }

    var isEmpty: Bool { end <= start }

    func text(_ message: UnsafeRawBufferPointer) -> LogText {
        LogText(message, Int(start), Int(end))
    }
}

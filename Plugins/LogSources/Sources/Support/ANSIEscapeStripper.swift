/// Removes terminal escape sequences (colours from Rust tracing, systemd's own
/// highlighting) in place: CSI `ESC [ ... final`, OSC `ESC ] ... BEL|ESC \`, and
/// two-byte `ESC x`. Output is never longer than input, so it rewrites the buffer.
enum ANSIEscapeStripper {
    /// Strips `bytes` in place and returns the new length.
    static func strip(_ bytes: UnsafeMutableRawBufferPointer) -> Int {
        var read = 0
        var write = 0
        let count = bytes.count
        while read < count {
            let byte = bytes[read]
            guard byte == ASCII.escape else {
                bytes[write] = byte
                write += 1
                read += 1
                continue
            }
            read += 1
            guard read < count else { break }
            let kind = bytes[read]
            read += 1
            if kind == ASCII.openBracket {
                // Parameters and intermediates 0x20-0x3F, then one final byte 0x40-0x7E.
                while read < count, bytes[read] >= 0x20, bytes[read] <= 0x3F { read += 1 }
                if read < count, bytes[read] >= 0x40, bytes[read] <= 0x7E { read += 1 }
            } else if kind == ASCII.closeBracket {
                while read < count {
                    if bytes[read] == 0x07 {
                        read += 1
                        break
                    }
                    if bytes[read] == ASCII.escape, read + 1 < count, bytes[read + 1] == ASCII.backslash {
                        read += 2
                        break
                    }
                    read += 1
                }
            }
        }
        return write
    }
}

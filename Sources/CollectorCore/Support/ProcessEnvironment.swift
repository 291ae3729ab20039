#if canImport(Glibc)
import Glibc
#endif

package enum ProcessEnvironment {
    /// The process environment as a dictionary.
    package static func variables() -> [String: String] {
        var out: [String: String] = [:]
        var p = environ
        while let entry = p.pointee {
            let s = String(cString: entry)
            if let eq = s.firstIndex(of: "=") {
                out[String(s[..<eq])] = String(s[s.index(after: eq)...])
            }
            p += 1
        }
        return out
    }

    package static func printError(_ line: String) {
        StandardError.write(line + "\n")
    }
}

/// Unbuffered writes to fd 2; one write(2) per line keeps lines from threads whole.
package enum StandardError {
    package static func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if n <= 0 { break }
                offset += n
            }
        }
    }
}

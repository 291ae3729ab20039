import Glibc

/// A proc root whose contents can be switched between fixture trees: a
/// symlink in a private temporary directory, re-pointed for each tick.
struct FixtureRoot: ~Copyable {
    let path: String
    private let directory: String

    init() {
        var template = Array("/tmp/systemmetrics-fixture-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let base = buffer.baseAddress, mkdtemp(base) != nil else { return nil }
            return String(cString: base)
        }
        directory = created ?? "/tmp"
        path = directory + "/proc"
    }

    func point(at tree: String) {
        unlink(path)
        symlink(Fixture.path(tree), path)
    }

    deinit {
        unlink(path)
        rmdir(directory)
    }
}

/// The filtered mount list, re-parsed only when /proc/self/mounts changes
/// (rarely, compared with a 10 s tick).
struct MountTable: Sendable {
    private let skippedTypes: Set<String>
    private var lastBytes: [UInt8] = []
    private(set) var mounts: [MountEntry] = []

    init(skippedTypes: Set<String>) {
        self.skippedTypes = skippedTypes
    }

    mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard !lastBytes.elementsEqual(bytes) else { return }
        lastBytes.removeAll(keepingCapacity: true)
        lastBytes.append(contentsOf: bytes)
        mounts = MountsParser.parse(bytes, skippingTypes: skippedTypes)
    }
}

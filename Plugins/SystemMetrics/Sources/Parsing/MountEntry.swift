/// One line of /proc/self/mounts, with octal escapes (\040 for a space) decoded.
public struct MountEntry: Sendable, Hashable {
    public var device: String
    public var mountPoint: String
    public var fileSystemType: String

    public init(device: String, mountPoint: String, fileSystemType: String) {
        self.device = device
        self.mountPoint = mountPoint
        self.fileSystemType = fileSystemType
    }
}

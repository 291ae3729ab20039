/// File system types whose "usage" is meaningless for capacity monitoring:
/// kernel interfaces, memory-backed mounts, container layers and read-only images.
public enum PseudoFileSystems {
    public static let defaultTypes: Set<String> = [
        "proc", "sysfs", "tmpfs", "devtmpfs", "overlay", "cgroup", "cgroup2", "devpts", "mqueue",
        "securityfs", "debugfs", "tracefs", "pstore", "bpf", "autofs", "configfs", "fusectl",
        "hugetlbfs", "binfmt_misc", "nsfs", "ramfs", "squashfs", "efivarfs", "rpc_pipefs",
        "selinuxfs", "nfsd", "rootfs", "sockfs", "pipefs", "aufs", "fuse.lxcfs",
        "fuse.gvfsd-fuse", "fuse.portal", "iso9660",
    ]
}

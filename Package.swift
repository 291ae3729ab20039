// swift-tools-version:6.0
import PackageDescription

/// Every plugin is a `.dynamic` library product the host dlopen()s; it links only
/// the C header (PluginABI) and the thin Swift layer (PluginKit), never the host.
let pluginNames = ["SystemMetrics"]

let package = Package(
    name: "pqcrypta-collector",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pqcrypta-collector", targets: ["Host"])
    ] + pluginNames.map { .library(name: $0, type: .dynamic, targets: [$0]) },
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
    ],
    targets: [
        .target(name: "PluginABI", path: "Sources/PluginABI"),
        .target(name: "PluginKit", dependencies: ["PluginABI"], path: "Sources/PluginKit"),
        .target(
            name: "LogFingerprint",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/LogFingerprint"
        ),
        .systemLibrary(
            name: "CLibPQ",
            path: "Sources/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .executableTarget(
            name: "Host",
            dependencies: [
                "PluginABI",
                "CLibPQ",
                "LogFingerprint",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Host"
        ),
        .testTarget(
            name: "HostTests",
            dependencies: ["Host", "PluginABI"],
            path: "Tests/HostTests",
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "SystemMetricsTests",
            dependencies: ["SystemMetrics"],
            path: "Tests/SystemMetricsTests"
        ),
    ] + pluginNames.map {
        .target(name: $0, dependencies: ["PluginABI", "PluginKit"], path: "Plugins/\($0)")
    }
)

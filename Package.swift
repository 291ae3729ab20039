// swift-tools-version:6.1
import PackageDescription

/// Every plugin is a `.dynamic` library product the host dlopen()s; it links only
/// the C header (PluginABI) and the thin Swift layer (PluginKit), never the host.
/// Each has two targets: `<Name>Core` (Plugins/<Name>/Sources, the logic, which
/// tests import) and `<Name>` (Plugins/<Name>/Entry, the entry point). Tests never
/// link an entry target: every plugin exports the same symbol, so they load the .so.
let pluginNames = ["SystemMetrics", "LogSources", "AppMetrics", "PGStats", "Intelligence"]

/// The daemon and its plugins use neither Swift concurrency nor regexes: built
/// without their implicit imports, they autolink neither `_Concurrency` (and
/// libdispatch) nor `_StringProcessing`/`_RegexParser`, about 1.5 MB of resident
/// library pages the daemon would map for nothing (docs/benchmarks.md, "Daemon
/// footprint"). Every module loaded into the daemon needs it, hence no swift-log
/// there. Tests, benchmarks and the console build as usual.
let lean: SwiftSetting = .unsafeFlags([
    "-Xfrontend", "-disable-implicit-concurrency-module-import",
    "-Xfrontend", "-disable-implicit-string-processing-module-import",
])

let pluginTargets: [Target] = pluginNames.flatMap { (name: String) -> [Target] in
    // The metric plugins run a few milliseconds per tick: optimised for size, since
    // every byte of their text is resident. Parsers (LogSources) and the anomaly detector
    // (Intelligence: pqcrypta-backtest's points/s) stay optimised for speed.
    let settings: [SwiftSetting] = name == "LogSources" || name == "Intelligence"
        ? [lean] : [.unsafeFlags(["-Osize"], .when(configuration: .release)), lean]
    let core: Target = .target(
        name: name + "Core", dependencies: ["PluginABI", "PluginKit", "ByteKit"], path: "Plugins/" + name + "/Sources",
        swiftSettings: settings)
    let entry: Target = .target(
        name: name, dependencies: [Target.Dependency.target(name: name + "Core"), "PluginABI", "PluginKit", "ByteKit"],
        path: "Plugins/" + name + "/Entry", swiftSettings: settings,
        linkerSettings: [.unsafeFlags(["-Xlinker", "--version-script=" + Context.packageDirectory + "/Plugins/plugin-exports.map"])])
    return [core, entry]
}
let pluginProducts: [Product] = pluginNames.map { (name: String) -> Product in
    .library(name: name, type: .dynamic, targets: [name])
}

/// libFuzzer targets (Fuzz/), only when scripts/fuzz.sh builds them with
/// `-sanitize=fuzzer` into its own scratch path: an ordinary build has no
/// libFuzzer to link them with.
let fuzzTargets: [Target] = Context.environment["PQC_FUZZ"] == "1" ? [
    .target(name: "CFuzzDriver", path: "Fuzz/CFuzzDriver"),
    .executableTarget(
        name: "PQCFuzz", dependencies: ["CFuzzDriver", "ByteKit", "CollectorCore", "LogSourcesCore", "AppMetricsCore", "PluginABI"],
        path: "Fuzz/PQCFuzz"),
] : []

let package = Package(
    name: "pqcrypta-collector",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pqcrypta-collector", targets: ["Host"]),
        .executable(name: "pqcrypta-backtest", targets: ["Backtest"]),
        .executable(name: "pqcrypta-console", targets: ["Console"]),
    ] + pluginProducts,
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // The web console only (ConsoleKit, Console): never linked into the daemon or a plugin.
        // No default traits: the console needs neither full Foundation nor swift-configuration.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0", traits: []),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
    ],
    targets: [
        .target(name: "PluginABI", path: "Sources/PluginABI"),
        .target(name: "PluginKit", dependencies: ["PluginABI"], path: "Sources/PluginKit", swiftSettings: [lean]),
        // The plugin test kit (a fake host recording rows, findings and parse
        // results): one C header for plugin authors, this target for Swift tests.
        .target(name: "PluginTestKit", dependencies: ["PluginABI"], path: "Sources/PluginTestKit",
                linkerSettings: [.linkedLibrary("dl")]),
        // The one byte-level kit (JSON reader and writer, UTF-8/NUL policy, civil time,
        // byte scanner): no dependencies, linked statically into the host and every plugin.
        .target(name: "ByteKit", path: "Sources/ByteKit", swiftSettings: [lean]),
        .testTarget(name: "ByteKitTests", dependencies: ["ByteKit"], path: "Tests/ByteKitTests"),
        .target(
            name: "LogFingerprint",
            dependencies: ["CLibCrypto"],
            path: "Sources/LogFingerprint",
            swiftSettings: [lean]
        ),
        // libcrypto's SHA-256: libpq already maps it, so the host carries no hash code of its own.
        .systemLibrary(
            name: "CLibCrypto",
            path: "Sources/CLibCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibPQ",
            path: "Sources/CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // C support for the host: skips GnuTLS's load-time init (see gnutls_skip_init.c); mallopt.
        .target(name: "CHostSupport", path: "Sources/CHostSupport"),
        // The daemon's logic: config, plugin loader, scheduler, database lanes, writer,
        // storage jobs, log ingestion, the command line. Executables are thin over it.
        .target(
            name: "CollectorCore",
            dependencies: [
                "PluginABI",
                "ByteKit",
                "CHostSupport",
                "CLibPQ",
                "LogFingerprint",
                "CLibCrypto",
            ],
            path: "Sources/CollectorCore",
            swiftSettings: [.unsafeFlags(["-Osize"], .when(configuration: .release)), lean]
        ),
        .executableTarget(
            name: "Host",
            dependencies: ["CollectorCore", "CHostSupport"],
            path: "Sources/Host",
            swiftSettings: [lean],
            // GnuTLS's constructor must find CHostSupport's symbol in the executable.
            linkerSettings: [.unsafeFlags(["-Xlinker", "--export-dynamic-symbol=_gnutls_global_init_skip"])]
        ),
        // Storage and end-to-end ingest benchmarks (docs/benchmarks.md): separate
        // executables, so the daemon carries no benchmark code and nothing that drops databases.
        .executableTarget(name: "StorageBench", dependencies: ["CollectorCore", "SystemMetricsCore", "ByteKit"], path: "Benchmarks/StorageBench"),
        .executableTarget(name: "IngestBench", dependencies: ["CollectorCore", "IntelligenceCore"], path: "Benchmarks/IngestBench"),
        .executableTarget(
            name: "IntelBench", dependencies: ["CollectorCore", "IntelligenceCore", "SystemMetricsCore", "AppMetricsCore", "PGStatsCore", "PluginKit"],
            path: "Benchmarks/IntelBench"),
        // An isolated parser against the same parser in process (docs/benchmarks.md, "Plugin isolation").
        .executableTarget(name: "IsolationBench", dependencies: ["CollectorCore", "PluginABI"], path: "Benchmarks/IsolationBench"),
        // What every test target shares: the per-test database in the suite's cluster.
        .target(
            name: "CollectorTestSupport",
            dependencies: ["CollectorCore", "PluginKit", "SystemMetricsCore", "AppMetricsCore", "PGStatsCore", "IntelligenceCore"],
            path: "Tests/Support"
        ),
        .testTarget(
            name: "HostTests",
            // TOMLKit is the oracle the host's own TOML parser is checked against.
            dependencies: ["CollectorCore", "CollectorTestSupport", "PluginABI", "PluginTestKit", "ByteKit", .product(name: "TOMLKit", package: "TOMLKit")],
            path: "Tests/HostTests",
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "LogSourcesTests",
            dependencies: ["LogSourcesCore", "LogFingerprint"],
            path: "Tests/LogSourcesTests"
        ),
        .executableTarget(
            name: "LogParseBench",
            dependencies: ["LogSourcesCore", "LogFingerprint"],
            path: "Benchmarks/LogParseBench"
        ),
        .testTarget(
            name: "SystemMetricsTests",
            dependencies: ["SystemMetricsCore", "PluginKit", "ByteKit"],
            path: "Tests/SystemMetricsTests",
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "AppMetricsTests",
            dependencies: ["CollectorCore", "CollectorTestSupport", "AppMetricsCore", "PluginKit", "ByteKit"],
            path: "Tests/AppMetricsTests",
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "PGStatsTests", dependencies: ["CollectorCore", "CollectorTestSupport", "PGStatsCore"], path: "Tests/PGStatsTests"),
        .executableTarget(
            name: "SystemMetricsBench",
            dependencies: ["SystemMetricsCore"],
            path: "Benchmarks/SystemMetricsBench"
        ),
        // What checking a row at emit (ABI 1.4 typed targets) costs.
        .executableTarget(name: "EmitBench", dependencies: ["CollectorCore", "PluginABI"], path: "Benchmarks/EmitBench"),
        // Intelligence (a plugin, above): the backtest tools run its detector over CSV files.
        .executableTarget(name: "Backtest", dependencies: ["IntelligenceCore", "ByteKit"], path: "Sources/Backtest"),
        .executableTarget(name: "BacktestEval", dependencies: ["IntelligenceCore"], path: "Benchmarks/BacktestEval"),
        .executableTarget(name: "TemplateBench", dependencies: ["IntelligenceCore", "ByteKit"], path: "Benchmarks/TemplateBench"),
        // The operator's web console: pages, SVG charts, /metrics over the collector's
        // database (ConsoleKit), and its thin executable. A separate process, so the
        // daemon never serves HTTP and carries none of this.
        .target(
            name: "ConsoleKit",
            dependencies: [
                "CollectorCore", "ByteKit", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/ConsoleKit"
        ),
        .executableTarget(name: "Console", dependencies: ["ConsoleKit"], path: "Sources/Console"),
        .testTarget(
            name: "ConsoleTests",
            dependencies: ["ConsoleKit", "CollectorCore", "CollectorTestSupport"],
            path: "Tests/ConsoleTests"
        ),
        .testTarget(name: "IntelligenceTests", dependencies: ["IntelligenceCore", "SystemMetricsCore", "CollectorCore", "CollectorTestSupport", "PluginKit", "ByteKit"], path: "Tests/IntelligenceTests"),
    ] + pluginTargets + fuzzTargets
)

// swift-tools-version:6.0
import PackageDescription

/// Settings every Swift target shares (STYLE.md: the swift-log set).
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "psaver",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "pcheck", targets: ["pcheck"]),
        .executable(name: "padmin", targets: ["padmin"]),
        .executable(name: "psview", targets: ["psview"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The one door to C for syscalls Swift cannot reach (variadic, macros, _GNU_SOURCE).
        .target(name: "CPsaverShims"),
        // ncursesw, seen only by the screen painter.
        .systemLibrary(name: "CNcursesw", pkgConfig: "ncursesw",
                       providers: [.apt(["libncurses-dev"])]),

        .target(name: "PsaverSystem", dependencies: ["CPsaverShims"], swiftSettings: strict),
        .target(name: "PsaverConfig", dependencies: ["PsaverSystem"], swiftSettings: strict),
        .target(name: "PsaverProcessTable", dependencies: ["PsaverSystem", "PsaverConfig"],
                swiftSettings: strict),
        .target(name: "PsaverState", dependencies: ["PsaverSystem", "PsaverConfig"],
                swiftSettings: strict),
        .target(name: "PsaverEngine",
                dependencies: ["PsaverSystem", "PsaverConfig", "PsaverProcessTable", "PsaverState"],
                swiftSettings: strict),
        .target(name: "PsaverConsole", dependencies: ["PsaverState", "PsaverSystem"], swiftSettings: strict),
        .target(name: "PsaverScreen", dependencies: ["PsaverConsole", "CNcursesw"],
                swiftSettings: strict),

        // The daemon parses its four options itself: ArgumentParser costs ~1.5 MB resident.
        .executableTarget(name: "pcheck", dependencies: ["PsaverEngine"], swiftSettings: strict),
        .executableTarget(name: "padmin", dependencies: [
            "PsaverState", "PsaverConfig",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        .executableTarget(name: "psview", dependencies: [
            "PsaverScreen", "PsaverConsole", "PsaverState", "PsaverConfig", "PsaverProcessTable", "pcheck",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),
        // Seeded mutation fuzzing of the pfile parser and the control decoder (scripts/fuzz).
        .target(name: "PsaverFuzz", dependencies: ["PsaverConfig", "PsaverState"], swiftSettings: strict),
        .executableTarget(name: "psaver-fuzz", dependencies: ["PsaverFuzz", "PsaverSystem"], swiftSettings: strict),
        .executableTarget(name: "psaver-bench", dependencies: [
            "PsaverSystem", "PsaverState", "PsaverConfig", "PsaverProcessTable",
        ], swiftSettings: strict),

        .testTarget(name: "PsaverConfigTests", dependencies: ["PsaverConfig"], swiftSettings: strict),
        .testTarget(name: "PsaverProcessTableTests", dependencies: ["PsaverProcessTable", "PsaverFuzz"],
                    swiftSettings: strict),
        .testTarget(name: "PcheckTests", dependencies: ["pcheck"], swiftSettings: strict),
        .testTarget(name: "PsaverEngineTests", dependencies: ["PsaverEngine", "PsaverFuzz"], swiftSettings: strict),
        .testTarget(name: "PsaverStateTests", dependencies: ["PsaverState"], swiftSettings: strict),
        .testTarget(name: "PsaverFuzzTests", dependencies: ["PsaverFuzz"], swiftSettings: strict),
        .testTarget(name: "PsaverConsoleTests", dependencies: ["PsaverConsole"], swiftSettings: strict),
        // Runs the built binaries; depending on them makes `swift test` build them first.
        .testTarget(name: "IntegrationTests",
                    dependencies: ["PsaverSystem", "PsaverState", "pcheck", "padmin", "psview"],
                    swiftSettings: strict),
    ]
)

// swift-tools-version:6.0
import PackageDescription

// Data flows one way: text -> MXLanguage (tokens, AST, diagnostics) -> MXEngine
// (evaluation, commands, changes) -> adapters (MXModel's neutral kinds) -> the vendor.
// The `mxsh` executable is thin: argument parsing, the REPL (libedit) and output.
let package = Package(
    name: "mxsh",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mxsh", targets: ["mxsh"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CEditline", pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]),
        // The few C lines Swift cannot call directly: variadic el_set/history, the
        // SIGINT self-pipe and the character reader that watches it.
        .target(name: "CEditlineShim", dependencies: ["CEditline"]),
        .target(name: "MXLanguage"),
        .target(name: "MXModel"),
        .target(name: "MXEngine", dependencies: ["MXLanguage", "MXModel"]),
        .executableTarget(
            name: "mxsh",
            dependencies: [
                "MXEngine", "CEditlineShim",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        // libFuzzer entry for the lexer+parser+checker (scripts/fuzz.sh); a replayer otherwise.
        .executableTarget(name: "mxsh-fuzz", dependencies: ["MXEngine", "MXLanguage"]),
        .testTarget(name: "MXLanguageTests", dependencies: ["MXLanguage", "MXEngine"], exclude: ["Golden", "Fixtures"]),
        .testTarget(name: "MXEngineTests", dependencies: ["MXEngine"]),
        // Runs the built `mxsh` binary: golden scripts, the CLI, the REPL in a pty.
        .testTarget(name: "EndToEndTests", dependencies: ["MXEngine"], exclude: ["Scripts"]),
    ],
    swiftLanguageModes: [.v6]
)


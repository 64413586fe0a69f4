// swift-tools-version:6.0
import PackageDescription

// Data flows one way: text -> MXLanguage (tokens, AST, diagnostics) -> MXEngine
// (evaluation, commands, changes) -> adapters (MXModel's neutral kinds) -> the vendor.
// The `mxsh` executable is thin: argument parsing, the REPL (libedit) and output.
let package = Package(
    name: "mxsh",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "mxsh", targets: ["mxsh"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0")
    ],
    targets: [
        // Headers only: libedit itself is opened when the shell starts (CEditlineShim, dlopen).
        .systemLibrary(
            name: "CEditline",
            providers: [.apt(["libedit-dev"])]),
        // The few C lines Swift cannot call directly: variadic el_set/history, the
        // SIGINT self-pipe and the character reader that watches it.
        .target(name: "CEditlineShim", dependencies: ["CEditline"]),
        .systemLibrary(
            // Headers only: libcurl itself is opened on first use by CCurlShim (dlopen).
            name: "CCurl",
            providers: [.apt(["libcurl4-openssl-dev"])]),
        // libcurl's variadic setters, typed: the only C MXHTTP needs.
        .target(name: "CCurlShim", dependencies: ["CCurl"]),
        .target(name: "MXHTTP", dependencies: ["CCurl", "CCurlShim", "MXJSON"]),
        // JSON as the vendors write it (key order kept), for adapters and the sandbox.
        .target(name: "MXJSON"),
        // The vendor simulations (plain functions of a request) and their HTTP servers.
        .target(
            name: "MXSandbox",
            dependencies: [
                "MXJSON", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types")
            ]),
        .target(name: "MXLanguage"),
        .target(name: "MXModel"),
        // glibc's malloc tuning (mallopt) and thread id: a long script's heap is readied once.
        .target(name: "CHeapShim"),
        .target(
            name: "MXEngine",
            dependencies: [
                "MXLanguage", "MXModel", "MXJSON", "MXHTTP", "CHeapShim",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "GRDB", package: "GRDB.swift")
            ]),
        .executableTarget(
            name: "mxsh",
            dependencies: [
                "MXEngine", "MXJSON", "MXHTTP", "MXSandbox", "CEditlineShim",
                .product(name: "ArgumentParser", package: "swift-argument-parser")
            ],
            // A static standard library links with --export-dynamic, which puts the 30,000
            // symbols of mxsh's own code in the dynamic table: the loader and the Swift
            // runtime's start-up (dladdr, to find swift-backtrace) then search all of them on
            // every start. Nothing looks them up by name, so they stay out.
            //
            // linker/ holds links to the static libstdc++ and SQLite: searched before the
            // system's directories, they are linked in, and start-up loads and relocates
            // neither shared library (see linker/README.md). Where a link does not resolve,
            // the linker goes on to the shared library.
            linkerSettings: [
                .unsafeFlags(
                    ["-Xlinker", "--no-export-dynamic", "-L", Context.packageDirectory + "/linker"],
                    .when(platforms: [.linux]))
            ]),
        // N GETs through MXHTTP at a given concurrency, for scripts/bench/http.sh.
        .executableTarget(name: "mxsh-httpbench", dependencies: ["MXHTTP"]),
        // libFuzzer entry for the lexer+parser+checker (scripts/fuzz.sh); a replayer otherwise.
        .executableTarget(name: "mxsh-fuzz", dependencies: ["MXEngine", "MXLanguage"]),
        .testTarget(name: "MXLanguageTests", dependencies: ["MXLanguage", "MXEngine"], exclude: ["Golden", "Fixtures"]),
        // GRDB: a journal written as an older mxsh wrote it, for the migrations.
        .testTarget(
            name: "MXEngineTests",
            dependencies: ["MXEngine", "MXModel", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "MXHTTPTests", dependencies: ["MXHTTP", "MXJSON", "MXSandbox"]),
        .testTarget(name: "MXSandboxTests", dependencies: ["MXSandbox", "MXHTTP", "MXJSON"]),
        // The language over each vendor's adapter, against the sandbox over HTTP.
        .testTarget(
            name: "AdapterTests", dependencies: ["MXEngine", "MXModel", "MXSandbox", "MXHTTP", "MXJSON"],
            exclude: ["Fixtures"]),
        // Runs the built `mxsh` binary: golden scripts, the CLI, the REPL in a pty.
        .testTarget(
            name: "EndToEndTests", dependencies: ["MXEngine", "MXHTTP", "MXJSON"], exclude: ["Scripts", "Editors"])
    ],
    swiftLanguageModes: [.v6]
)

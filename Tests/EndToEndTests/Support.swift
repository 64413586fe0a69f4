import Foundation
import MXHTTP

/// The package root, found from this file's path.
let packageRoot: URL = {
    var url = URL(fileURLWithPath: #filePath)
    while url.path != "/" {
        url.deleteLastPathComponent()
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
    }
    fatalError("no Package.swift above \(#filePath)")
}()

/// The binary under test: $MXSH_BINARY, or the debug build.
let mxshBinary: String =
    ProcessInfo.processInfo.environment["MXSH_BINARY"]
    ?? packageRoot.appendingPathComponent(".build/debug/mxsh").path

struct ProcessResult {
    var stdout: String
    var stderr: String
    var status: Int32
}

/// A fresh private directory for one test: HOME, XDG folders and the working directory.
func makeTemporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("mxsh-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The environment tests run mxsh in: private HOME/XDG folders and two planted secrets
/// that must never appear in any output.
func testEnvironment(home: URL) -> [String: String] {
    var env = ProcessInfo.processInfo.environment
    env["HOME"] = home.path
    env["XDG_STATE_HOME"] = home.appendingPathComponent("state").path
    env["XDG_CONFIG_HOME"] = home.appendingPathComponent("config").path
    env["MXSH_TEST_TOKEN"] = plantedToken
    env["MXSH_SECRET_DEMO"] = plantedSecret
    env["LANG"] = "C.UTF-8"
    return env
}

/// The tests' own client, for reading a sandbox's `/_sandbox/state` and requests log
/// (mxsh's sessions each own theirs).
let sandboxReader = HTTPClient()

let plantedToken = "abc123secret"
let plantedSecret = "s3cr3t-value"

/// Starts a process, one at a time: Foundation's `Process.run()` is not safe to call
/// from several threads at once on Linux (it crashed in memmove when suites launched
/// processes in parallel), so every test launches through here.
func launch(_ process: Process) throws {
    try launchLock.withLock { try process.run() }
}

private let launchLock = NSLock()

/// Runs mxsh with arguments (and optional stdin), waiting for it to exit.
func runMxsh(_ arguments: [String], stdin: String? = nil, in directory: URL, environment: [String: String]? = nil)
    throws -> ProcessResult
{
    try runProcess(mxshBinary, arguments, stdin: stdin, in: directory, environment: environment)
}

/// Starts mxsh in the background, its output discarded: for a test that kills it partway.
func startMxsh(_ arguments: [String], in directory: URL, environment: [String: String]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: mxshBinary)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = environment
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
}

/// Runs a program (mxsh, or an installed copy of it) to its end.
func runProcess(
    _ executable: String, _ arguments: [String], stdin: String? = nil, in directory: URL,
    environment: [String: String]? = nil
) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = environment ?? testEnvironment(home: directory)
    let out = Pipe(), err = Pipe(), input = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try launch(process)
    if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
    try input.fileHandleForWriting.close()
    // Read both pipes concurrently so a full pipe never blocks the child.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(
        stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self),
        status: process.terminationStatus)
}

/// A private home with `mxsh sandbox --seed demo` serving beside it, and the environment
/// whose credentials the tests' connect lines read (`env("PP_PASSWORD")`, ...). A test
/// closes it with `defer { sandbox.close() }` (not in deinit: a local's lifetime may end
/// at its last use, before the test is done with the server).
final class SandboxHome {
    let home: URL
    let server: SandboxCommandTests.Server
    let env: [String: String]

    /// A sandbox started with `options` (the demo seed by default).
    init(_ options: [String] = ["--seed", "demo"]) throws {
        home = try makeTemporaryDirectory()
        server = try SandboxCommandTests.Server(
            ["--port", String(SandboxCommandTests.freeBasePort())] + options, in: home)
        var env = testEnvironment(home: home)
        env["PP_PASSWORD"] = "sandbox"
        env["OS_PASSWORD"] = "sandbox"
        env["CM_TOKEN"] = "sandbox-token"
        self.env = env
    }

    /// The line that connects this sandbox's Cleanmail as `cm`.
    var connectCleanmail: String {
        "connect cleanmail as cm url=\"\(server.url("cleanmail"))\" token=env(\"CM_TOKEN\")\n"
    }

    /// Stops the server and removes the home.
    func close() {
        _ = server.stop()
        try? FileManager.default.removeItem(at: home)
    }

    /// mxsh with these arguments, in the home, with its environment.
    func mxsh(_ arguments: [String]) throws -> ProcessResult {
        try runMxsh(arguments, in: home, environment: env)
    }

    /// Writes a script into the home; its path.
    func script(_ name: String, _ text: String) throws -> String {
        let url = home.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }
}

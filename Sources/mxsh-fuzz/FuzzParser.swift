import MXEngine
import MXLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// The lexer, parser and checker on arbitrary bytes: none may crash, hang or recurse
/// without bound. Built with `-sanitize=fuzzer,address -DFUZZING` by scripts/fuzz.sh,
/// libFuzzer drives it; built normally, it replays inputs given as files (a crash
/// reproducer).
///
/// `MXSH_FUZZ_TARGET` picks the reader: `parser` (the default), `plan`, `journal`,
/// `json` or `csv` (see MXEngine's `FuzzEntries`).
let fuzzTarget: String = getenv("MXSH_FUZZ_TARGET").map { String(cString: $0) } ?? "parser"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    switch fuzzTarget {
    case "plan": FuzzEntries.plan(bytes); return 0
    case "journal": FuzzEntries.journalRecord(bytes); return 0
    case "json": FuzzEntries.json(bytes); return 0
    case "csv": FuzzEntries.csv(bytes); return 0
    default: break
    }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let source = Source(name: "fuzz.mxsh", text: text)
    // With connections known, `os.domain EXPR` lookups are parsed too.
    let (program, diagnostics) = parse(source, commands: CommandTable.standard, connections: ["os", "m"])
    // Rendering exercises line/column arithmetic on every diagnostic's range (the parse's
    // own, or the check's when the parse found nothing).
    let expected = DiagnosticList(diagnostics.isEmpty ? check(program) : diagnostics).render(in: source)
    _ = dump(program)
    // One input in four is also checked while it is parsed, on a second thread, as a
    // long script is (`parseAndCheck`): the answer must be the same, batch by batch.
    if size % 4 == 0 {
        let (_, errors) = parseAndCheck(
            source, commands: .standard, connections: ["os", "m"], batchSize: 1 + size % 3, threshold: 0)
        let found = DiagnosticList(errors).render(in: source)
        if found != expected { fatalError("parseAndCheck differs:\n\(found)\nparse then check:\n\(expected)") }
    }
    return 0
}

#if FUZZING
    // SwiftPM links an executable's entry point as `<target>_main`; hand it to libFuzzer.
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt

    @_cdecl("mxsh_fuzz_main")
    func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput)
    }
#else
    @main
    enum Replay {
        static func main() {
            for path in CommandLine.arguments.dropFirst() {
                guard let f = fopen(path, "rb") else { continue }
                var bytes: [UInt8] = []
                var buffer = [UInt8](repeating: 0, count: 65536)
                while case let n = fread(&buffer, 1, buffer.count, f), n > 0 { bytes.append(contentsOf: buffer[0..<n]) }
                fclose(f)
                _ = fuzzOneInput(&bytes, bytes.count)
                print("ok \(path)")
            }
        }
    }
#endif

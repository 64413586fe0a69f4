import MXEngine
import MXLanguage

/// The lexer, parser and checker on arbitrary bytes: none may crash, hang or recurse
/// without bound. Built with `-sanitize=fuzzer,address -DFUZZING` by scripts/fuzz.sh,
/// libFuzzer drives it; built normally, it replays inputs given as files (a crash
/// reproducer).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let source = Source(name: "fuzz.mxsh", text: text)
    // With connections known, `os.domain EXPR` lookups are parsed too.
    let (program, diagnostics) = parse(source, commands: CommandTable.standard, connections: ["os", "m"])
    // Rendering exercises line/column arithmetic on every diagnostic's range.
    _ = DiagnosticList(diagnostics).render(in: source)
    if diagnostics.isEmpty {
        _ = DiagnosticList(check(program)).render(in: source)
    }
    _ = dump(program)
    return 0
}

#if FUZZING
// SwiftPM links an executable's entry point as `<target>_main`; hand it to libFuzzer.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

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
            guard let text = try? readTextFile(path) else { continue }
            var bytes = Array(text.utf8)
            _ = fuzzOneInput(&bytes, bytes.count)
            print("ok \(path)")
        }
    }
}
#endif

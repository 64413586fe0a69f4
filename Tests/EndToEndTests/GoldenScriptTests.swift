import Foundation
import Testing

/// Golden script tests: each `Scripts/<feature>/<case>.mxsh` says what it must print
/// with `# expect:` lines (stdout, exactly), `# expect error:` lines (substrings of
/// stderr, in order) and `# expect status: N`. They double as documentation.
struct GoldenScriptTests {
    static let scriptsDirectory = packageRoot.appendingPathComponent("Tests/EndToEndTests/Scripts")

    static var cases: [String] {
        let enumerator = FileManager.default.enumerator(atPath: scriptsDirectory.path)
        var found: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".mxsh") { found.append(path) }
        }
        return found.sorted()
    }

    struct Expectations {
        var stdout: [String] = []
        var stderr: [String] = []
        var status: Int32 = 0
    }

    static func expectations(in text: String) -> Expectations {
        var e = Expectations()
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let hash = line.range(of: "# expect") else { continue }
            let rest = line[hash.upperBound...]
            if rest.hasPrefix(" error: ") {
                e.stderr.append(String(rest.dropFirst(" error: ".count)))
            } else if rest.hasPrefix(" status: ") {
                e.status = Int32(rest.dropFirst(" status: ".count).trimmingCharacters(in: .whitespaces)) ?? -1
            } else if rest.hasPrefix(":") {
                var value = rest.dropFirst()
                if value.hasPrefix(" ") { value = value.dropFirst() }
                e.stdout.append(String(value))
            }
        }
        return e
    }

    @Test("golden script", arguments: cases)
    func script(_ relativePath: String) throws {
        let file = Self.scriptsDirectory.appendingPathComponent(relativePath)
        let text = try String(contentsOf: file, encoding: .utf8)
        let expected = Self.expectations(in: text)
        let work = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        // Fixtures (CSV files and the like) beside the script are copied in.
        let folder = file.deletingLastPathComponent()
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where !name.hasSuffix(".mxsh") {
            try FileManager.default.copyItem(
                at: folder.appendingPathComponent(name), to: work.appendingPathComponent(name))
        }
        let result = try runMxsh(["run", file.path], in: work)
        let context = "\(relativePath)\n--- stdout ---\n\(result.stdout)--- stderr ---\n\(result.stderr)"
        let expectedStdout = expected.stdout.isEmpty ? "" : expected.stdout.joined(separator: "\n") + "\n"
        #expect(result.stdout == expectedStdout, "\(context)")
        #expect(result.status == expected.status, "\(context)")
        var rest = Substring(result.stderr)
        for needle in expected.stderr {
            guard let r = rest.range(of: needle) else {
                Issue.record("stderr lacks (in order) '\(needle)'\n\(context)")
                break
            }
            rest = rest[r.upperBound...]
        }
        for planted in [plantedToken, plantedSecret] {
            #expect(!result.stdout.contains(planted) && !result.stderr.contains(planted), "a secret leaked\n\(context)")
        }
    }
}

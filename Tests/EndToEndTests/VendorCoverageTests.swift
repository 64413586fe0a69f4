import Foundation
import Testing

/// docs/vendor-coverage.md cannot drift from the vendors' documents: every attribute of
/// the OpenSRS document's attributes table has its row in the OpenSRS domain table (1a),
/// and every error code of the AD360 document (ATnnn, CEnnn, PSnnn, MSnnn, and the
/// credential update's per-domain ERROR_MSG names) is named in the AD360 section. The documents are
/// read from ../shared/vendors/ beside the repository; where that folder is absent there
/// is nothing to compare with, and the test says so and passes.
struct VendorCoverageTests {
    static let vendors = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/vendors")
    static let coverage = packageRoot.appendingPathComponent("docs/vendor-coverage.md")

    /// The lines of `text` from the first containing `from` up to the next containing `to`.
    static func section(_ text: String, from: String, to: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.contains(from) }) else { return "" }
        let end = lines[(start + 1)...].firstIndex(where: { $0.contains(to) }) ?? lines.count
        return lines[start..<end].joined(separator: "\n")
    }

    /// The attribute names of "Attributes fields": each is the line before an obligation
    /// ("Optional" or "Always returned"), blank lines skipped. The document breaks one name
    /// with a space ("default_password _encoding"): spaces are removed.
    static func openSRSAttributes(_ document: String) -> [String] {
        let table = section(document, from: "Attributes fields", to: "Metadata fields")
        let lines = table.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        var names: [String] = []
        for (i, line) in lines.enumerated().dropFirst() where line == "Optional" || line == "Always returned" {
            names.append(lines[i - 1].replacingOccurrences(of: " ", with: ""))
        }
        return names
    }

    /// The AD360 document's codes: each line "XX000 - text" (two capitals, three digits;
    /// its lines carry non-breaking spaces), and the ALL_CAPS names in the domain
    /// credential API's "Error Responses".
    static func ad360Codes(_ document: String) -> [String] {
        var codes: [String] = []
        for line in document.split(separator: "\n") {
            let words = line.trimmingCharacters(in: .whitespaces).split(separator: " ")
            guard words.count > 1, words[1] == "-", words[0].count == 5 else { continue }
            let (letters, digits) = (words[0].prefix(2), words[0].dropFirst(2))
            if letters.allSatisfy({ $0.isASCII && $0.isUppercase }), digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                codes.append(String(words[0]))
            }
        }
        let credential = section(document, from: "Error Responses", to: "Get Proxy Settings API")
        let words = credential.split(whereSeparator: { !($0.isASCII && ($0.isUppercase || $0 == "_")) })
        codes += words.filter {
            $0.contains("_") && !$0.split(separator: "_", omittingEmptySubsequences: false).contains("")
        }
        .map(String.init)
        var seen = Set<String>()
        return codes.filter { seen.insert($0).inserted }
    }

    static func read(_ url: URL) throws -> String? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func everyOpenSRSAttributeHasItsRow() throws {
        guard let document = try Self.read(Self.vendors.appendingPathComponent("opensrs-email-get_domain.txt")) else {
            print("VendorCoverageTests: \(Self.vendors.path) is absent; nothing to compare")
            return
        }
        let names = Self.openSRSAttributes(document)
        #expect(names.count >= 30, "the attributes table was not read: \(names)")
        #expect(names.contains("default_password_encoding") && names.contains("spamlevel"), "\(names)")
        let doc = try String(contentsOf: Self.coverage, encoding: .utf8)
        let table = Self.section(doc, from: "### 1a.", to: "### 1b.")
        let missing = names.filter { !table.contains("| `\($0)` |") }
        #expect(missing.isEmpty, "no row in docs/vendor-coverage.md's OpenSRS table for: \(missing)")
    }

    @Test func everyAD360ErrorCodeHasItsRow() throws {
        guard let document = try Self.read(Self.vendors.appendingPathComponent("ad360-api-settings.txt")) else {
            print("VendorCoverageTests: \(Self.vendors.path) is absent; nothing to compare")
            return
        }
        let codes = Self.ad360Codes(document)
        #expect(codes.count >= 25, "the codes were not read: \(codes)")
        #expect(
            codes.contains("MS014") && codes.contains("CE003") && codes.contains("DOMAIN_NOT_AVAILABLE"), "\(codes)")
        let doc = try String(contentsOf: Self.coverage, encoding: .utf8)
        let table = Self.section(doc, from: "## 3. AD360", to: "## Gaps")
        let missing = codes.filter { !table.contains("`\($0)`") }
        #expect(missing.isEmpty, "not named in docs/vendor-coverage.md's AD360 table: \(missing)")
    }
}

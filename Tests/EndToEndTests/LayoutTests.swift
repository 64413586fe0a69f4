import Foundation
import Testing

/// The layout the architecture promises: a vendor is declared in its own folders
/// (adapter, simulation) and listed once in the registry; nothing else spells its name.
struct LayoutTests {
    static let vendors = ["proofpoint", "cleanmail", "opensrs", "ad360"]
    static let folders = ["proofpoint": "Proofpoint", "cleanmail": "Cleanmail", "opensrs": "OpenSRS", "ad360": "AD360"]

    @Test(arguments: vendors)
    func aVendorsNameIsSpelledOnlyInItsFolders(_ vendor: String) throws {
        let sources = packageRoot.appendingPathComponent("Sources")
        let folder = Self.folders[vendor]!
        var outside: [String] = []
        let files = FileManager.default.enumerator(atPath: sources.path)!.compactMap { $0 as? String }.filter {
            $0.hasSuffix(".swift")
        }
        for file in files {
            let inOwnFolder = file.hasPrefix("MXEngine/Vendors/\(folder)/") || file.hasPrefix("MXSandbox/\(folder)/")
            if inOwnFolder { continue }
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            if text.contains("\"\(vendor)\"") { outside.append(file) }
        }
        #expect(outside.isEmpty, "\"\(vendor)\" is spelled outside its folders in: \(outside)")
    }
}

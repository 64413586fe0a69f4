import MXModel
import Testing

@testable import MXEngine

/// `list` prints a long listing as it reads it (issue 11: listing 100,000 domains held
/// every one of them, and their pages); the text is the one the whole listing gives.
struct ListingTests {
    /// Generated domains as a listing yields them.
    static func domains(_ count: Int) throws -> [Value] {
        let memory = MemoryAdapter()
        memory.seed(count: count)
        var items: [Value] = []
        try memory.forEachDomain { d in
            items.append(.object(ObjectRef(connection: "m", object: .domain(d))))
            return true
        }
        return items
    }

    static func streamed(_ items: [Value], _ format: OutputFormat, width: Int? = nil) -> String {
        var listing = Listing(format: format, width: width)
        return items.map { listing.add($0) }.joined() + listing.finish()
    }

    @Test(arguments: [OutputFormat.table, .csv, .json], [10, 999, 1000, 2500])
    func aListingStreamedIsTheWholeListingsText(_ format: OutputFormat, _ count: Int) throws {
        let items = try Self.domains(count)
        #expect(Self.streamed(items, format) == render(.list(items), format: format) + "\n")
    }

    @Test func anEmptyListingIsNone() {
        #expect(Self.streamed([], .table) == "(none)\n")
    }

    /// A row after the first thousand fixed the widths: printed whole when piped, cut
    /// to the terminal's width as the first rows are.
    @Test func aLaterWiderCellIsPrintedWholeWhenPipedAndCutOnATerminal() throws {
        var items = try Self.domains(1500)
        let long = "a-name-far-longer-than-any-before-it.example.com"
        guard case .object(let ref) = items[1200], case .domain(var d) = ref.object else { throw ListingError() }
        d.name = long
        items[1200] = .object(ObjectRef(connection: "m", object: .domain(d)))
        let piped = Self.streamed(items, .table).split(separator: "\n")
        #expect(piped.count == 1502)
        #expect(piped[1202].hasPrefix(long + "  ENABLED"), "\(piped[1202])")
        let terminal = Self.streamed(items, .table, width: 60).split(separator: "\n")
        #expect(terminal.allSatisfy { $0.count <= 60 })
        #expect(terminal[1202].hasPrefix("a-name-far-…"), "\(terminal[1202])")
    }

    /// With `--format json` the run prints one JSON document, and a listing is one value
    /// in it: it is kept whole until the end, so a JSON listing of 100,000 domains holds
    /// them all. Streaming it needs the document written as it goes.
    @Test func aJSONListingIsPrintedAsItIsRead() throws {
        let items = try Self.domains(2500)
        var listing = Listing(format: .json, width: nil)
        let early = items.map { listing.add($0) }.joined()
        withKnownIssue("--format json keeps a listing whole: the run's output is one JSON document") {
            #expect(!early.isEmpty)
        }
        #expect(listing.finish() == render(.list(items), format: .json) + "\n")
    }

    struct ListingError: Error {}
}

import MXJSON
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

    /// A JSON listing is written element by element: the first items are printed before
    /// the listing ends, and the pieces are the whole listing's text.
    @Test func aJSONListingIsPrintedAsItIsRead() throws {
        let items = try Self.domains(2500)
        var listing = Listing(format: .json, width: nil)
        let early = items.prefix(10).map { listing.add($0) }.joined()
        #expect(early.hasPrefix("[\n  {\n    \"name\": "), "\(early.prefix(40))")
        let rest = items.dropFirst(10).map { listing.add($0) }.joined() + listing.finish()
        #expect(early + rest == render(.list(items), format: .json) + "\n")
    }

    /// `export` writes what `jsonText` and `formatCSV` give for the whole list.
    @Test(arguments: [10, 1000, 2500])
    func anExportStreamedIsTheWholeExportsText(_ count: Int) throws {
        let items = try Self.domains(count)
        var json = Listing(format: .json, width: nil, forFile: true)
        let streamedJSON = items.map { json.add($0) }.joined() + json.finish()
        #expect(streamedJSON == jsonText(.list(items), includeRaw: true) + "\n")
        var csv = Listing(format: .csv, width: nil, forFile: true)
        let streamedCSV = items.map { csv.add($0) }.joined() + csv.finish()
        let (header, rows) = try #require(tabulateAll(items))
        #expect(streamedCSV == formatCSV(header: header, rows: rows))
    }

    /// `--format json`: the document grows as results come, and a listing cut short by an
    /// error leaves it unfinished (not valid JSON), never a shorter listing that parses.
    @Test func aJSONDocumentIsWrittenAsItGoesAndACutListingIsNeverClosed() throws {
        var text = ""
        var whole = JSONDocument { text += $0 }
        whole.addPrinted("first line\n")
        whole.addPart("[\n  1", .opening)
        whole.addPart(",\n  2", .continuing)
        whole.addPart("\n]\n", .closing)
        #expect(text == "{\"output\":[\"first line\",[\n  1,\n  2\n]\n")
        let ended = whole.end([("status", .string("done"))])
        #expect(ended)
        #expect(text.hasSuffix("]\n],\"status\":\"done\"}\n"))

        text = ""
        var cut = JSONDocument { text += $0 }
        cut.addPart("[\n  1", .opening)
        cut.add("{\"later\": true}")
        cut.addPrinted("a line after the error")
        let cutEnded = cut.end([("status", .string("failed"))])
        #expect(!cutEnded)
        #expect(cut.isCut)
        #expect(text == "{\"output\":[[\n  1\n")

        text = ""
        var empty = JSONDocument { text += $0 }
        let emptyEnded = empty.end([])
        #expect(emptyEnded)
        #expect(text == "{\"output\":[]}\n")
    }

    struct ListingError: Error {}
}

import MXLanguage
import MXModel

extension Interpreter {
    /// `export ... to FILE`: the items written as they are read (`Listing`), through a
    /// private temporary file renamed into place at the end (`StreamedFile`), so an
    /// export of 100,000 domains holds a batch of them. An export that fails part-way
    /// (a page the vendor refused) leaves no file, or the one that was there: never a
    /// shortened file that reads as a whole one.
    func export(
        at range: SourceRange, to path: String, pathRange: SourceRange,
        _ items: ((Value) throws -> Bool) throws -> Void
    ) throws {
        let format: OutputFormat
        if path.hasSuffix(".json") {
            format = .json
        } else if path.hasSuffix(".csv") {
            format = .csv
        } else {
            throw RuntimeError("export writes .json or .csv files, not '\(path)'", at: pathRange)
        }
        func located<T>(_ body: () throws(FileError) -> T) throws -> T {
            do { return try body() } catch { throw RuntimeError(error.message, at: pathRange) }
        }
        let file = try located { () throws(FileError) in try StreamedFile(path) }
        defer { file.abandon() }
        var listing = Listing(format: format, width: nil, forFile: true)
        try inBatches(at: range, completing: true, items) { batch in
            for item in batch { try located { () throws(FileError) in try file.write(listing.add(item)) } }
        }
        try located { () throws(FileError) in
            try file.write(listing.finish())
            try file.commit()
        }
    }
}

import MXJSON

/// The spreadsheet export some lists offer (5.8.3, 5.10.3, 5.14.5, 5.15.6 list
/// `application/vnd.ms-excel` among their content types): with that `Accept`, the page
/// comes back as a table instead of JSON.
///
/// ASSUMED format (the document shows none): CSV as RFC 4180 (a header row of the
/// members' names, commas, CRLF, fields quoted when needed), nested values as compact
/// JSON, under `Content-Type: application/vnd.ms-excel` with a `Content-Disposition`
/// naming `export.csv`; paging and `X-Total-Count` as for JSON.
extension CleanmailAPI {
    static func exportIfAsked(_ r: SandboxRequest, _ response: SandboxResponse) -> SandboxResponse {
        guard (r.header("Accept") ?? "").lowercased().contains("application/vnd.ms-excel"), response.status == 200,
            let rows = (try? JSON.parse(response.body))?.array
        else { return response }
        let columns = rows.first?.object?.keys ?? []
        func cell(_ v: JSON?) -> String {
            let text: String
            switch v {
            case .none, .some(.null): text = ""
            case .some(.string(let s)): text = s
            case .some(let other): text = other.text
            }
            guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        }
        var lines = [columns.map { cell(.string($0)) }.joined(separator: ",")]
        for row in rows { lines.append(columns.map { cell(row[$0]) }.joined(separator: ",")) }
        let headers =
            response.headers.filter { $0.name != "Content-Type" }
            + [
                ("Content-Type", "application/vnd.ms-excel"),
                ("Content-Disposition", "attachment; filename=\"export.csv\"")
            ]
        return SandboxResponse(
            status: 200, headers: headers, body: Array((lines.joined(separator: "\r\n") + "\r\n").utf8))
    }
}

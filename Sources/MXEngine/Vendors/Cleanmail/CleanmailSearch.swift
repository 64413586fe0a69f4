import MXLanguage

/// A `where` on messages as 5.7.8's search parameters. The vendor's answer must be a
/// superset of what the script asks (the interpreter tests every message it gets), so
/// a term is sent only when the vendor's test cannot drop a message the script wants:
///
/// - `from`, `to`, `cc`, `subject`, `id` search for text the field contains (IMAP
///   SEARCH, any case: ASSUMED, the document says only "Search on the sender"). So
///   `sender = "a@x.com"` sends `from=a@x.com`, and a pattern sends its longest run
///   without wildcards: `sender ~ "*@x.com"` sends `from=@x.com`. A pattern with a
///   class (`[a-z]`) or no text between its wildcards is not sent.
/// - `date >`/`>=` sends `receivedAfter` a day earlier (a sender's clock may be ahead of
///   the receiving server's), `date <`/`<=` sends `receivedBefore` five days later (mail
///   may wait in queues that long before it is received: RFC 5321 4.5.4.1's give-up
///   time). ASSUMED: both take epoch milliseconds, like every other date of the API.
/// - Terms are sent with the default operator AND: every one must hold.
extension CleanmailAdapter {
    static func searchQuery(_ terms: [SearchTerm]) -> [(String, String)] {
        var out: [(String, String)] = []
        func add(_ name: String, _ value: String) {
            if !value.isEmpty, !out.contains(where: { $0.0 == name }) { out.append((name, value)) }
        }
        let textParameter = ["sender": "from", "recipients": "to", "cc": "cc", "subject": "subject", "id": "id"]
        for t in terms {
            if let name = textParameter[t.field] {
                switch t.op {
                case .eq, .has: add(name, t.value)
                case .glob: if let run = longestLiteral(t.value) { add(name, run) }
                default: continue
                }
            } else if t.field == "date", let ms = milliseconds(t.value) {
                let day = 86_400_000
                switch t.op {
                case .gt, .ge: add("receivedAfter", String(ms - day))
                case .lt, .le: add("receivedBefore", String(ms + 5 * day))
                default: continue
                }
            }
        }
        return out
    }

    /// The longest text of a wildcard pattern between its `*` and `?`; nil when it has
    /// a class or no text.
    static func longestLiteral(_ pattern: String) -> String? {
        if pattern.contains("[") { return nil }
        let runs = pattern.split(whereSeparator: { $0 == "*" || $0 == "?" }).map(String.init)
        return runs.max { $0.count < $1.count }
    }
}

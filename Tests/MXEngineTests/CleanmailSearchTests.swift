import MXLanguage
import Testing

@testable import MXEngine

/// A `where` on Cleanmail's messages as 5.7.8's search parameters (CleanmailSearch.swift).
struct CleanmailSearchTests {
    @Test func aSearchIsSentAsTheDocumentsParametersAndOnlyWhereItCannotDropAMessage() {
        let terms = [
            SearchTerm(field: "sender", op: .glob, value: "*@x.com"),
            SearchTerm(field: "subject", op: .eq, value: "Hello"),
            SearchTerm(field: "recipients", op: .has, value: "ann@y.net"),
            SearchTerm(field: "date", op: .ge, value: "2026-01-15"),
            SearchTerm(field: "date", op: .lt, value: "2026-02-01"),
            SearchTerm(field: "cc", op: .glob, value: "[ab]*"),
            SearchTerm(field: "size", op: .gt, value: "10"),
            SearchTerm(field: "sender", op: .ne, value: "z@x.com")
        ]
        let q = CleanmailAdapter.searchQuery(terms).map { "\($0.0)=\($0.1)" }
        #expect(
            q == [
                "from=@x.com", "subject=Hello", "to=ann@y.net", "receivedAfter=1768348800000",
                "receivedBefore=1770336000000"
            ], "\(q)")
    }
}

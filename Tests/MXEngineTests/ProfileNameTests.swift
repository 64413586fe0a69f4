import MXLanguage
import Testing

@testable import MXEngine

/// A profile's name is one `@NAME` word in a script, as the lexer reads it, or a tenant
/// run for it is refused up front (not with the parser's "too many arguments").
struct ProfileNameTests {
    @Test(arguments: ["cust-a", "cust_0", "a", "_x", "work-cm", "A-b-c", "cust-a0", "a-_b"])
    func aNameTheLexerReadsAsOneWordIsAProfileName(_ name: String) {
        #expect(isProfileName(name))
        let tokens = tokenize(Source(name: "t", text: "@\(name)"))
        #expect(tokens.filter { $0.kind != .newline && $0.kind != .eof }.count == 1, "\(tokens)")
    }

    @Test(arguments: ["cust-0", "0cust", "-a", "a-", "a--b", "a.b", "é", "", "a b"])
    func anyOtherIsNot(_ name: String) {
        #expect(!isProfileName(name))
    }
}

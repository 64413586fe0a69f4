import MXEngine
import Testing

struct CompletionTests {
    let session: Session = {
        let s = Session(host: BufferHost())
        s.run("connect memory as m seed=\"demo\"\nlet dom = domain \"got.com\"", name: "setup")
        return s
    }()

    @Test func commandsAtStatementStart() {
        #expect(session.complete("add-al").candidates == ["add-alias"])
        #expect(session.complete("for d in domains < add-al").candidates == ["add-alias"])
    }

    @Test func loopAndDefKeywordsAtStatementStart() {
        #expect(session.complete("for d in domains < bre").candidates == ["break"])
        #expect(session.complete("for d in domains < if d.status = DISABLED < cont").candidates == ["continue"])
        #expect(session.complete("def f x < ret").candidates == ["return"])
        #expect(session.complete("print ret").candidates.isEmpty)
    }

    @Test func fieldsAfterDot() {
        let c = session.complete("print dom.st")
        #expect(c.candidates == ["status"])
        #expect(c.wordStart == "print dom.".utf8.count)
    }

    @Test func connectionMembers() {
        #expect(session.complete("list m.do").candidates == ["domains"])
    }

    @Test func wordsByCommand() {
        #expect(session.complete("use ").candidates == ["m"])
        #expect(session.complete("connect op").candidates == ["opensrs"])
        #expect(session.complete("help vend").candidates == ["vendors"])
    }

    @Test func variablesKeywordsAndOptions() {
        #expect(session.complete("print do").candidates.contains("dom"))
        #expect(session.complete("list domains wh").candidates == ["where"])
        #expect(session.complete("set dom dest").candidates == ["destination="])
    }
}

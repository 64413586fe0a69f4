import Foundation
import MXEngine
import MXModel
import Testing

/// The interactive shell's loop, in-process on a scripted line reader: prompts, blocks
/// over several lines, Ctrl-C while typing, errors that never end the session, exit,
/// the history, and the session's run in the journal. (What needs a terminal, libedit's
/// Tab and keys, a real Ctrl-C, the history file, piped input, stays in REPLTests.)
struct ShellTests {
    /// A shell on the memory vendor, with a journal of its own, after `lines`.
    struct Ran {
        let host = BufferHost()
        let reader: ScriptedLineReader
        let journalPath: String
        let status: Int32
        let shell: Shell

        init(_ lines: [EditedLine], cancelAfter polls: Int? = nil) throws {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("mxsh-shell-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            journalPath = dir.appendingPathComponent("journal.sqlite").path
            reader = ScriptedLineReader(lines)
            shell = Shell(host: host, journalPath: journalPath)
            if let polls {
                // A Ctrl-C that arrives while a statement runs, after so many steps.
                var n = 0
                shell.session.interpreter.shouldCancel = {
                    n += 1
                    return n == polls
                }
            }
            status = shell.run(reader)
        }

        init(typing lines: [String]) throws { try self.init(lines.map(EditedLine.text)) }
    }

    static let connect = "connect memory as m seed=\"demo\""

    @Test func thePromptNamesTheDefaultConnection() throws {
        let ran = try Ran(typing: ["print 1", Self.connect, "print count(domains)"])
        #expect(ran.reader.prompts == ["mxsh> ", "mxsh> ", "mxsh(m)> ", "mxsh(m)> "])
        #expect(ran.host.stdout == "1\n12\n\n")
        #expect(ran.status == 0)
    }

    @Test func aBlockOverSeveralLinesAsksForMoreThenRuns() throws {
        let ran = try Ran(typing: [
            Self.connect, "for d in domains where status=DISABLED <", "print \"off:\" d.name", ">"
        ])
        #expect(ran.reader.prompts == ["mxsh> ", "mxsh(m)> ", "...> ", "...> ", "mxsh(m)> "])
        #expect(ran.host.stdout.contains("off: legacy.org\noff: contoso.net\noff: wingtip.net\n"))
        #expect(ran.reader.history.last == "for d in domains where status=DISABLED <\nprint \"off:\" d.name\n>")
    }

    @Test func ctrlCWhileTypingDropsTheLineAndTheOpenBlock() throws {
        let ran = try Ran([
            .text(Self.connect), .text("for d in domains <"), .text("print \"inside\""), .interrupted,
            .text("print \"after\"")
        ])
        #expect(ran.reader.prompts == ["mxsh> ", "mxsh(m)> ", "...> ", "...> ", "mxsh(m)> ", "mxsh(m)> "])
        #expect(!ran.host.stdout.contains("inside"))
        #expect(ran.host.stdout.contains("after\n"))
    }

    @Test func errorsNeverEndTheSession() throws {
        let ran = try Ran(typing: ["add-alais d \"x\"", "print 1 +", "print nope", "print \"alive\""])
        #expect(ran.host.stderr.contains("did you mean 'add-alias'?"), "\(ran.host.stderr)")
        #expect(ran.host.stdout.contains("alive\n"))
        #expect(ran.status == 0)
    }

    @Test(arguments: ["exit", "quit", "  exit  "])
    func exitLeavesAndReadsNoMore(_ word: String) throws {
        let ran = try Ran(typing: ["print 1", word, "print 2"])
        #expect(ran.status == 0)
        #expect(ran.host.stdout == "1\n")
        #expect(ran.reader.prompts.count == 2)
    }

    @Test func theHistoryKeepsNoCredential() throws {
        let ran = try Ran(typing: [
            "print \"kept\"", "let s = secret(\"demo\")",
            "connect cleanmail as cm url=\"http://127.0.0.1:9\" token=\"abc\"", "let password = 1", "print s"
        ])
        #expect(ran.reader.history == ["print \"kept\"", "print s"])
    }

    /// A record member named as a credential keeps its line out; a `let` whose variable a
    /// later line gives as a credential (through another variable too) is taken out then.
    @Test func aLetLaterGivenAsACredentialLeavesTheHistory() throws {
        let ran = try Ran(typing: [
            Self.connect, "let body = {email: \"a@b.c\", password: \"Sup3rSecret\"}", "let pw = \"Hunter2Secret\"",
            "let again = pw", "let n = 5", "print n",
            "call m POST \"/users\" {token: again}"
        ])
        #expect(ran.reader.history == [Self.connect, "let n = 5", "print n"], "\(ran.reader.history)")
    }

    /// A reassignment, a def's argument and a quoted record member that reach a
    /// credential stay out of the history too; a plain line stays in.
    @Test func aValueGivenToACredentialAnyWayLeavesTheHistory() throws {
        let ran = try Ran(typing: [
            Self.connect, "def mk e p < call m POST \"/users\" {email: e, password: p} >",
            "mk \"a@b.c\" \"DefParamPw77\"", "let pw2 = \"\"", "pw2 = \"ReassignPw99\"",
            "call m POST \"/users\" {email: \"x@y.z\", token: pw2}", "let r = {\"password\": \"QuotedKeyPw11\"}",
            "print 1"
        ])
        #expect(ran.reader.history == [Self.connect, "print 1"], "\(ran.reader.history)")
    }

    /// A variable holding users, from an earlier line: a later line's loop over it is
    /// checked against users' fields, not domains' (as a script given whole is).
    @Test func aListOfUsersFromAnEarlierLineIsCheckedAsUsers() throws {
        let ran = try Ran(typing: [
            Self.connect, "let k = m.users where email = \"admin@got.com\"", "print count(k)",
            "for x in k < print x.email >"
        ])
        #expect(!ran.host.stderr.contains("unknown domain field"), "\(ran.host.stderr)")
        #expect(ran.host.stdout.contains("admin@got.com"), "\(ran.host.stdout) \(ran.host.stderr)")
    }

    @Test func aSessionsChangesAreOneRunInTheJournal() throws {
        let ran = try Ran(typing: [Self.connect, "add-alias (domain \"got.com\") \"from-the-shell.net\""])
        #expect(ran.host.stderr.contains("at m: add-alias"), "\(ran.host.stderr)")
        let journal = try Journal(path: ran.journalPath)
        let runs = try journal.runs()
        #expect(runs.count == 1)
        let run = try #require(runs.first)
        #expect(run.kind == .repl && run.script == "<repl>" && run.status == .done && run.done == 1)
        let change = try #require(try journal.changes(of: run.id).first)
        #expect(change.operation == "add-alias" && change.location.hasPrefix("<repl>:1:"), "\(change)")
        // A session is not a script: resume does not pick it.
        #expect(throws: RunRefusal.nothingToResume) { try journal.pickForResume(nil) }
    }

    @Test func aSessionWhoseStatementWasInterruptedIsNotDone() throws {
        let ran = try Ran(
            [
                Self.connect, "add-alias (domain \"got.com\") \"before-the-interrupt.net\"",
                "for d in domains < for e in [1, 2, 3, 4, 5, 6, 7, 8] < print e > >", "print \"still here\""
            ].map(EditedLine.text), cancelAfter: 40)
        #expect(ran.host.stderr.contains("interrupted"), "\(ran.host.stderr)")
        #expect(ran.host.stdout.hasSuffix("still here\n\n"))
        let run = try #require(try Journal(path: ran.journalPath).runs().first)
        #expect(run.status == .interrupted)
    }

    @Test func aWrongVariableIsRefusedBeforeAnyPrompt() throws {
        let reader = ScriptedLineReader(typing: ["print 1"])
        let shell = Shell(host: BufferHost(), variables: ["novalue"])
        #expect(shell.run(reader) == 2)
        #expect(reader.prompts.isEmpty)
    }
}

/// An error inside a def entered earlier is shown in that def's own entry, then where
/// this entry called it: it was shown against the entry typed now, at a column past its end.
struct ShellDefErrorPlaceTests {
    @Test func anErrorInAnEarlierEntrysDefQuotesThatEntry() throws {
        let ran = try ShellTests.Ran(typing: [
            ShellTests.connect, "def f x <", "let y = 1", "print (x + y) >", "f \"s\""
        ])
        let shown = ran.host.stderr
        #expect(
            shown.contains("<repl>:3:7: error: cannot add a string and a number\n 3 | print (x + y) >\n"), "\(shown)")
        #expect(shown.contains("<repl>:1:1: note: in 'f', called here\n 1 | f \"s\"\n"), "\(shown)")
    }
}

import MXEngine
import MXModel
import Testing

/// What reads the vendors' tables: completion, help, and the rule that no vendor's
/// name is spelled outside its own folders and the registry.
@Suite(.serialized)
struct VendorTableTests {
    @Test func completionOffersTheConnectionsVendorFields() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let session = await f.session("let p = pp.domain \"got.com\"\nlet x = ad.proxy\n")
        // Proofpoint's domain has relay, no aliases; AD360's proxy has its own fields.
        #expect(session.complete("print p.re").candidates == ["relay"])
        #expect(session.complete("print p.al").candidates.isEmpty)
        #expect(session.complete("print x.po").candidates == ["port"])
        #expect(session.complete("print ad.pr").candidates == ["proxy"])
    }

    @Test func everyVendorDeclaresItsResourcesAndInverses() {
        for vendor in VendorRegistry.all {
            #expect(vendor.resources.kind(of: .domain) != nil, "\(vendor.name) has domains")
            for op in vendor.operations {
                #expect(vendor.inverse(of: op) != nil, "\(vendor.name) \(op.rawValue) says how it is undone")
            }
            #expect(!vendor.options.isEmpty)
        }
        #expect(
            VendorRegistry.named("ad360")?.inverse(of: .setCredential)
                == .irreversible("a credential cannot be set back: the old password was never kept"))
        #expect(Set(VendorRegistry.sandboxSeats.map(\.name)) == ["pp", "cm", "os", "ad"])
    }
}

/// `connect` proves the connection with one cheap authenticated read.
@Suite(.serialized)
struct ConnectProvesTests {
    @Test func wrongCredentialsFailOnTheConnectLine() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            connect cleanmail as bad url="\(f.urls["cleanmail"]!)" token="Wr0ng-t0ken"
            print "not reached"
            """)
        #expect(outcome == .failed)
        #expect(host.stderr.contains("t.mxsh:5:1: error: cannot connect bad to cleanmail"), "\(host.stderr)")
        #expect(host.stderr.contains("note: check the credentials (token)"), "\(host.stderr)")
        #expect(!host.stderr.contains("Wr0ng-t0ken") && host.stdout.isEmpty, "\(host.stderr)")
    }

    @Test func anUnreachableServerFailsOnTheConnectLine() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let (outcome, host) = await f.run(
            """
            connect opensrs as gone url="http://127.0.0.1:1" user="a" password="x"
            """)
        #expect(outcome == .failed)
        #expect(host.stderr.contains("t.mxsh:5:"), "\(host.stderr)")
    }

    @Test func connectingANameTwiceSaysSo() async throws {
        let f = try await SandboxFixture(seed: .demo)
        let session = await f.session("")
        #expect(session.run("connect memory as m\nconnect memory as m\n", name: "r.mxsh") == .invalid)
        let (outcome, out) = await f.run("connect sandbox\n")
        #expect(outcome == .invalid, "\(out.stderr)")
        #expect(out.stderr.contains("connect sandbox opens pp, which is already connected"), "\(out.stderr)")
    }
}

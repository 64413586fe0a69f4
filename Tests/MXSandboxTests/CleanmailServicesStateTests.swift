import MXHTTP
import MXJSON
import MXSandbox
import Testing

/// The rest of section 5's records survive `state()` and `load()`: a loaded sandbox
/// answers as the original, and hands out the same next ids.
@Suite(.serialized)
struct CleanmailServicesStateTests {
    @Test func servicesRoundTrip() async throws {
        let k = try await CleanmailKit.start()
        let nw = k.domain("northwind-mail.com")
        #expect(try await k.send(.POST, "/domains/\(k.domain("contoso-cm.net"))/dkim").status == 201)
        #expect(
            try await k.send(
                .POST, "/domains/\(nw)/groups", ["email": "x@northwind-mail.com", "recipients": ["ext@partner.example"]]
            ).status == 201)
        #expect(
            try await k.send(
                .POST, "/tasks", ["command": "send_welcome_mail", "params": ["recipient": "nancy@northwind-mail.com"]]
            ).status == 202)
        #expect(try await k.send(.POST, "/domains/\(nw)/options", ["name": "TIMEZONE", "value": "UTC"]).status == 201)
        let state = k.sim.state()
        #expect(state["admins"]?.array?.count == 3)
        #expect(state["messages"]?.array?.isEmpty == false)
        let copy = CleanmailSimulation()
        try copy.load(state)
        #expect(copy.state().text == state.text)
        let ports = try await Sandbox(simulations: [copy]).start()
        let other = CleanmailKit(root: "http://127.0.0.1:\(ports[0])", sim: copy)
        for path in [
            "/security/admins", "/admins/\(CleanmailID.encode(1))/tokens", "/domains/\(nw)/groups",
            "/domains/\(nw)/options",
            "/domains/\(nw)/dkim", "/health", "/domains/\(nw)/filters/attachments", "/domains/\(nw)/filters/uris",
            "/users/nancy@northwind-mail.com/emails/Quarantine",
            "/users/nancy@northwind-mail.com/emails/folders?fields=STATS"
        ] {
            #expect(try await other.get(path) == (try await k.get(path)), "\(path)")
        }
        let a = try k.json(
            try await k.send(
                .POST, "/domains/\(nw)/filters/uris", ["action": "BLACKLIST_URI_HOST", "filter": "next.example"]))
        let b = try other.json(
            try await other.send(
                .POST, "/domains/\(nw)/filters/uris", ["action": "BLACKLIST_URI_HOST", "filter": "next.example"]))
        #expect(a == b)
        // A state from before these records (no admins) still loads, with the sandbox's own account.
        let old = CleanmailSimulation()
        try old.load(["domains": []])
        #expect(old.state()["admins"]?.array?.first?["login"] == "sandbox-admin")
    }
}

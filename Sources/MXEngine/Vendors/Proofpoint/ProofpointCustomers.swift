import MXJSON
import MXModel

/// A partner's customer organisations (NOTES.md: `GET /orgs/{partner}/orgs` lists them
/// as `{"orgs": [...]}`, `POST /orgs/{partner}/orgs` creates one; each is then reached
/// as `/orgs/{customer}/...` with the partner's credentials). Functions for the
/// language layer to call. ASSUMED: no paging (the list answers all at once, as the
/// domains do), and an organisation's record as the sandbox answers it.
extension ProofpointAdapter {
    /// The customers of this connection's organisation, each its whole record. An
    /// organisation that is not a partner has none (an empty list, as the API answers).
    func customers() throws -> [Record] {
        let reply = try expect(api.call(.GET, orgPath + "/orgs"), "list", "customers of \(org)")
        guard let items = reply.json?["orgs"]?.array ?? reply.json?.array, items.allSatisfy({ $0.object != nil }) else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: "reply",
                message: "list customers of \(org): the answer has no list of organisations")
        }
        return items.compactMap(\.object).map { ProofpointObjectKinds.customer.canonical(Record(json: $0)) }
    }

    /// One organisation's record (`GET /orgs/{primary}`); nil when the API says it does
    /// not exist (404). An organisation out of the credentials' reach, or a typo, is
    /// 403 "not authorized" there, and stays that error: it says so.
    func organisation(_ primary: String) throws -> Record? {
        let reply = try api.call(.GET, "/orgs/" + pathSegment(primary))
        if reply.status == 404 { return nil }
        guard let o = try expect(reply, "read", "organisation \(primary)").json?.object else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: "reply",
                message: "read organisation \(primary): the answer is not a JSON object")
        }
        return ProofpointObjectKinds.customer.canonical(Record(json: o))
    }

    /// The same connection, working on a customer: its domains, users and settings
    /// through `/orgs/{customer}/...`, with the partner's credentials.
    func customer(_ primary: String) -> ProofpointAdapter {
        ProofpointAdapter(api: api, org: primary.lowercased())
    }

    /// Creates a customer organisation of this partner from the API's members
    /// (`primary_domain` and `name` required; `user_licenses`, `licensing_package`,
    /// `type`, `www`, ..., `domains`, `admin_user`). `unchanged` when this partner
    /// already has that customer under that name (a re-run); any other organisation
    /// of that primary domain is the API's 409, and a connection that is not a
    /// partner its 403.
    func createCustomer(_ fields: JSONObject) throws -> ChangeOutcome {
        guard let primary = fields["primary_domain"]?.string?.lowercased(), primary.contains("."),
            fields["name"]?.string?.isEmpty == false
        else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "422",
                message: "a customer needs primary_domain (a domain name) and name",
                hints: [("primary_domain", "required"), ("name", "required")])
        }
        let mine = { () throws -> Record? in
            try self.customers().first { $0["primary_domain"]?.equals(.string(primary)) == true }
        }
        let asked = { (r: Record) in r["name"]?.equals(fields["name"].map(Value.init(json:)) ?? .none) == true }
        if let existing = try mine(), asked(existing) {
            return .unchanged(.settings(Settings(kind: "org", fields: existing)))
        }
        // A lost answer is followed by a read, never by a second POST.
        guard let reply = try api.create(orgPath + "/orgs", body: .json(.object(fields)), exists: { try mine() != nil })
        else {
            guard let made = try mine() else {
                throw VendorError(
                    vendor: vendor.name, kind: .transport, code: "transport",
                    message: "create customer \(primary): no answer, and it cannot be found")
            }
            return .applied(.settings(Settings(kind: "org", fields: made)))
        }
        let created = try expect(reply, "create", "customer \(primary)")
        guard let o = created.json?.object else {
            return .applied(try organisation(primary).map { .settings(Settings(kind: "org", fields: $0)) })
        }
        return .applied(.settings(Settings(kind: "org", fields: Record(json: o))))
    }
}

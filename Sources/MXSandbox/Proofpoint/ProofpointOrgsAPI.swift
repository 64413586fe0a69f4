import MXJSON

/// The organisation and what hangs off it (vendors/proofpoint-essentials-overview.txt:
/// "list_org_info", "Package ... may be updated via the API (it can be read by reading
/// the orgs resource)", "Licensing ... read (GET) and updated (PUT)"; NOTES.md for the
/// rest). Shapes the documents do not show are ASSUMED, after the public API's sample
/// organisation record (a public client quotes it):
///
/// - `GET /orgs/{org}`: `{"primary_domain", "name", "type", "eid", "is_active", "www",
///   "address", "postcode", "stateprov", "country", "phone", "parent_org"?,
///   "licensing_package", "is_on_trial", "user_licenses", "active_users", "package":
///   {...}, "domains": [...]}`. `PUT` or `PATCH /orgs/{org}` merges the writable
///   members (name, is_active, www, address, postcode, stateprov, country, phone): 204;
///   any other member is a 422 field error.
/// - `GET /orgs/{org}/licensing`: `{"licensed_users", "package", "is_on_trial",
///   "is_beginner_plus", "active_users"}`; `PUT` merges licensed_users (or a public
///   client's `license_count`), package, is_on_trial, is_beginner_plus: 204.
/// - `PUT /orgs/{org}/package` (update only: GET is 405): `{"package": Beginner |
///   Business | Advanced | Professional, "is_activated", "is_eula_confirmed",
///   "is_trial_extended"}`: 204. The package is one: licensing shows the same.
/// - `GET`/`PUT /orgs/{org}/features`: an object of switches (true/false) and
///   `instant_replay` (days, 0-30).
/// - `GET`/`PUT /orgs/{org}/sender-lists`: `{"allow_list": [...], "block_list": [...]}`,
///   each a list of addresses, `*@domain` or domains; PUT replaces the lists it names.
/// - Partners: `GET /orgs/{partner}/orgs` `{"orgs": [org record, ...]}` (an organisation
///   that owns none answers an empty list); `POST /orgs/{partner}/orgs` creates a
///   customer (201, its record) from `{"primary_domain", "name", "user_licenses"?,
///   "licensing_package"?, "is_active"?, "type"? (organization or channel_partner),
///   "www"..., "domains"?: [domain, ...], "admin_user"?: user}`; the primary domain is
///   made one of its domains if `domains` lacks it. Only a partner may (403 otherwise);
///   a primary domain already on the platform is 409. The customer is then reached as
///   `/orgs/{customer}/...` with the partner's credentials.
extension ProofpointAPI {
    static let orgWritable: Set<String> = [
        "name", "is_active", "www", "address", "postcode", "stateprov", "country", "phone"
    ]
    static let packages = ["Beginner", "Business", "Advanced", "Professional"]
    static let partnerTypes: Set<String> = ["channel_partner", "strategic_partner", "oem_partner"]

    static func registerOrgs(_ r: inout Router<Handler>) {
        r.add("GET", "/endpoints/{domain}", endpoint)
        r.add("GET", "/orgs/{org}", organisation)
        r.add("PUT", "/orgs/{org}", updateOrganisation)
        r.add("PATCH", "/orgs/{org}", updateOrganisation)
        r.add("GET", "/orgs/{org}/licensing", { s, c in .json(200, .object(licensing(s, c.org))) })
        r.add("PUT", "/orgs/{org}/licensing", updateLicensing)
        r.add("PUT", "/orgs/{org}/package", updatePackage)
        r.add(
            "GET", "/orgs/{org}/features", { s, c in .json(200, .object(s.orgs[ProofpointStore.key(c.org)]!.features)) }
        )
        r.add("PUT", "/orgs/{org}/features", updateFeatures)
        r.add(
            "GET", "/orgs/{org}/sender-lists",
            { s, c in .json(200, .object(s.orgs[ProofpointStore.key(c.org)]!.senderLists)) })
        r.add("PUT", "/orgs/{org}/sender-lists", updateSenderLists)
        r.add(
            "GET", "/orgs/{org}/orgs",
            { s, c in .json(200, ["orgs": .array(s.customers(of: c.org).map { .object(orgRecord(s, $0)) })]) })
        r.add("POST", "/orgs/{org}/orgs", createCustomer)
    }

    /// ASSUMED shape: which stack hosts the organisation. The sandbox hosts all.
    static func endpoint(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard s.hasOrg(c["domain"]) else { return notFound() }
        return .json(
            200, ["endpoint": "sandbox", "url": .string(c.request.header("Host").map { "http://\($0)" } ?? "")])
    }

    static func orgRecord(_ s: ProofpointStore, _ org: String) -> JSONObject {
        let k = ProofpointStore.key(org)
        let o = s.orgs[k]!
        var r = JSONObject([("primary_domain", .string(o.name))])
        for (f, v) in o.profile.pairs { r[f] = v }
        if let p = o.parent { r["parent_org"] = .string(s.orgs[p]?.name ?? p) }
        r["licensing_package"] = .string((o.package["package"]?.string ?? "Business").lowercased())
        r["is_on_trial"] = o.licensing["is_on_trial"] ?? false
        r["user_licenses"] = o.licensing["licensed_users"] ?? .null
        r["active_users"] = .int(s.users(k).filter { $0["is_active"]?.bool != false }.count)
        r["package"] = .object(o.package)
        r["domains"] = .array(s.domains(k).map(JSON.object))
        return r
    }

    static func organisation(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        .json(200, .object(orgRecord(s, c.org)))
    }

    static func orgErrors(_ o: JSONObject, allowed: Set<String>) -> [String: String] {
        var errors: [String: String] = [:]
        for (k, v) in o.pairs {
            guard allowed.contains(k) else { errors[k] = "not a writable field of the organisation"; continue }
            switch k {
            case "is_active": if v.bool == nil { errors[k] = "true or false" }
            case "name": if v.string?.isEmpty != false { errors[k] = "required text" }
            default: if v != .null, v.string == nil { errors[k] = "text or null" }
            }
        }
        return errors
    }

    static func updateOrganisation(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard let o = c.request.json?.object else { return badRequest("the body is not a JSON object") }
        let errors = orgErrors(o, allowed: orgWritable)
        if !errors.isEmpty { return invalid(errors) }
        for (k, v) in o.pairs { s.orgs[ProofpointStore.key(c.org)]!.profile[k] = v }
        return .empty(204)
    }

    static func licensing(_ s: ProofpointStore, _ org: String) -> JSONObject {
        let k = ProofpointStore.key(org)
        var l = s.orgs[k]!.licensing
        l["package"] = s.orgs[k]!.package["package"] ?? "Business"
        l["active_users"] = .int(s.users(k).filter { $0["is_active"]?.bool != false }.count)
        return l
    }

    /// "Beginner" for "beginner": the package's name as the sandbox keeps it, nil if none.
    static func packageName(_ v: JSON?) -> String? {
        guard let s = v?.string else { return nil }
        return packages.first { $0.lowercased() == s.lowercased() }
    }

    static func updateLicensing(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard var o = c.request.json?.object else { return badRequest("the body is not a JSON object") }
        if let n = o["license_count"], o["licensed_users"] == nil { o["licensed_users"] = n; o["license_count"] = nil }
        var errors: [String: String] = [:]
        for (k, v) in o.pairs {
            switch k {
            case "licensed_users": if (v.int ?? -1) < 0 { errors[k] = "a number of licences from 0" }
            case "package": if packageName(v) == nil { errors[k] = "one of: " + packages.joined(separator: ", ") }
            case "is_on_trial", "is_beginner_plus": if v.bool == nil { errors[k] = "true or false" }
            case "active_users": errors[k] = "read-only: the organisation's active users"
            default: errors[k] = "not a field of the licensing"
            }
        }
        if !errors.isEmpty { return invalid(errors) }
        let k = ProofpointStore.key(c.org)
        for (f, v) in o.pairs {
            if f == "package" {
                s.orgs[k]!.package["package"] = .string(packageName(v)!)
            } else {
                s.orgs[k]!.licensing[f] = v
            }
        }
        return .empty(204)
    }

    static func updatePackage(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard let o = c.request.json?.object else { return badRequest("the body is not a JSON object") }
        var errors: [String: String] = [:]
        for (k, v) in o.pairs {
            switch k {
            case "package": if packageName(v) == nil { errors[k] = "one of: " + packages.joined(separator: ", ") }
            case "is_activated", "is_eula_confirmed", "is_trial_extended":
                if v.bool == nil { errors[k] = "true or false" }
            default: errors[k] = "not a field of the package"
            }
        }
        if o.count == 0 { errors["package"] = "nothing to update" }
        if !errors.isEmpty { return invalid(errors) }
        let k = ProofpointStore.key(c.org)
        for (f, v) in o.pairs { s.orgs[k]!.package[f] = f == "package" ? .string(packageName(v)!) : v }
        return .empty(204)
    }

    static func updateFeatures(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard let o = c.request.json?.object else { return badRequest("the body is not a JSON object") }
        var errors: [String: String] = [:]
        for (k, v) in o.pairs {
            if ProofpointStore.defaultFeatures[k] == nil { errors[k] = "not a feature"; continue }
            if k == "instant_replay" {
                if !(0...30).contains(v.int ?? -1) { errors[k] = "a number of days from 0 to 30" }
            } else if v.bool == nil {
                errors[k] = "true or false"
            }
        }
        if !errors.isEmpty { return invalid(errors) }
        for (k, v) in o.pairs { s.orgs[ProofpointStore.key(c.org)]!.features[k] = v }
        return .empty(204)
    }

    /// An address, `*@domain` or a domain: what a sender list holds.
    static func isSender(_ s: String) -> Bool {
        guard !s.isEmpty, !s.contains(" ") else { return false }
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count == 1 { return s.contains(".") }
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
    }

    static func updateSenderLists(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        guard let o = c.request.json?.object else { return badRequest("the body is not a JSON object") }
        var errors: [String: String] = [:]
        for (k, v) in o.pairs {
            guard k == "allow_list" || k == "block_list" else {
                errors[k] = "not a sender list (allow_list, block_list)"; continue
            }
            guard let items = v.array?.compactMap(\.string), items.count == v.array?.count else {
                errors[k] = "a list of senders"; continue
            }
            if let bad = items.first(where: { !isSender($0) }) {
                errors[k] = "\(bad) is not an address, *@domain or domain"
            }
        }
        if !errors.isEmpty { return invalid(errors) }
        for (k, v) in o.pairs { s.orgs[ProofpointStore.key(c.org)]!.senderLists[k] = v }
        return .empty(204)
    }

    static func createCustomer(_ s: inout ProofpointStore, _ c: Call) -> SandboxResponse {
        let partner = ProofpointStore.key(c.org)
        guard let type = s.orgs[partner]?.profile["type"]?.string, partnerTypes.contains(type) else {
            return .json(403, ["errors": .array([.string("not authorized: organisation \(c.org) is not a partner")])])
        }
        guard let o = c.request.json?.object else { return badRequest("the body is not a JSON object") }
        var errors = orgErrors(
            o.filter { orgWritable.contains($0.0) },
            allowed: orgWritable)
        let known = orgWritable.union([
            "primary_domain", "type", "user_licenses", "licensing_package", "domains", "admin_user"
        ])
        for (k, _) in o.pairs where !known.contains(k) { errors[k] = "not a field of an organisation" }
        let primary = o["primary_domain"]?.string?.lowercased() ?? ""
        if !primary.contains(".") || primary.contains(" ") { errors["primary_domain"] = "required, a domain name" }
        if o["name"]?.string?.isEmpty != false { errors["name"] = "required text" }
        let newType = o["type"]?.string ?? "organization"
        if !["organization", "channel_partner"].contains(newType) { errors["type"] = "organization or channel_partner" }
        if let n = o["user_licenses"], (n.int ?? -1) < 0 { errors["user_licenses"] = "a number of licences from 0" }
        if let p = o["licensing_package"], packageName(p) == nil {
            errors["licensing_package"] = "one of: " + packages.joined(separator: ", ")
        }
        var domains: [JSONObject] = []
        if let list = o["domains"] {
            for item in list.array ?? [.null] {
                guard let d = item.object, validateDomain(d).isEmpty else {
                    errors["domains"] = "a list of domains, each as POST /domains takes it"; break
                }
                domains.append(domainRecord(d))
            }
        }
        if let a = o["admin_user"] {
            if let u = a.object, let email = u["primary_email"]?.string, email.lowercased().hasSuffix("@" + primary) {
                var fields = userErrors(u, org: c.org, s)
                fields["alias_emails"] = nil
                if !fields.isEmpty { errors["admin_user"] = "a user: " + fields.keys.sorted().joined(separator: ", ") }
            } else {
                errors["admin_user"] = "a user whose primary_email is in \(primary)"
            }
        }
        if !errors.isEmpty { return invalid(errors) }
        if s.hasOrg(primary) { return conflict("organisation \(primary) already exists") }
        if let taken = ([primary] + domains.compactMap { $0["name"]?.string?.lowercased() }).first(where: {
            s.domainExists($0)
        }) {
            return conflict("domain \(taken) already exists on the platform")
        }
        var profile = JSONObject([("name", o["name"]!), ("type", .string(newType))])
        for k in orgWritable where k != "name" { if let v = o[k] { profile[k] = v } }
        var org = ProofpointStore.Org(name: primary, profile: profile, parent: partner)
        if let n = o["user_licenses"]?.int { org.licensing["licensed_users"] = .int(n) }
        if let p = packageName(o["licensing_package"]) { org.package["package"] = .string(p) }
        s.addOrg(primary, org)
        if !domains.contains(where: { $0["name"]?.string?.lowercased() == primary }) {
            // ASSUMED: the primary domain, inactive until its destination is set.
            s.putDomain(
                primary,
                JSONObject([
                    ("name", .string(primary)), ("is_active", false), ("is_relay", false),
                    ("destination", .null), ("failovers", [])
                ]))
        }
        for d in domains {
            var d = d
            d["name"] = .string(d["name"]!.string!.lowercased())
            s.putDomain(primary, d)
        }
        if var admin = o["admin_user"]?.object {
            admin["type"] = "organization_admin"
            _ = createUser(&s, primary, admin)
        }
        return .json(201, .object(orgRecord(s, primary)))
    }
}

extension JSONObject {
    func filter(_ keep: ((String, JSON)) -> Bool) -> JSONObject { JSONObject(pairs.filter(keep)) }
}

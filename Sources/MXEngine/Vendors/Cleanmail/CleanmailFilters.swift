import MXJSON
import MXModel

/// Reading and changing a domain's attachment rules (5.8) and URI rules (5.10). A rule
/// is found by its filter among every page of its domain's rules (the vendor's `action`
/// filter is no help: the filter is what names it); the vendor's id is then what a
/// PATCH or DELETE is sent to.
extension CleanmailAdapter {
    /// Where one kind of rule lives: `/domains/{id}/filters/PATH`, `/filters/PATH/{id}`.
    struct FilterPlace {
        let kind: ResourceKind
        let path: String
        let what: String
    }

    static let filterPlaces = [
        FilterPlace(kind: CleanmailFilterKinds.attachmentFilter, path: "attachments", what: "attachment rule"),
        FilterPlace(kind: CleanmailFilterKinds.uriFilter, path: "uris", what: "URI rule")
    ]

    static func filterPlace(_ kind: String) -> FilterPlace? { filterPlaces.first { $0.kind.name == kind } }

    /// `FILTER@DOMAIN` split at its last `@` (a domain has none; a filter may).
    func filterKey(_ key: String, _ place: FilterPlace) throws -> (filter: String, domain: String) {
        guard let at = key.lastIndex(of: "@"), at != key.startIndex, key.index(after: at) != key.endIndex else {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "\(place.what) \"\(key)\": name it FILTER@DOMAIN, "
                    + "like \"\\\\.iso$@example.com\"")
        }
        return (String(key[..<at]), String(key[key.index(after: at)...]).lowercased())
    }

    /// The rule a key names, or nil when its domain has none with that filter (every
    /// page read). Two rules with one filter (an attachment's name and, apart, its name
    /// in archives) cannot both be named by it: that is said, not guessed.
    func filterRule(_ place: FilterPlace, key: String) throws -> Settings? {
        let (filter, domain) = try filterKey(key, place)
        guard let o = try record(named: domain) else { return nil }
        let found = try filterRules(place, domainID: id(o), domain: domain).filter {
            $0.fields["filter"]?.text.lowercased() == filter.lowercased()
        }
        if found.count > 1 {
            throw VendorError(
                vendor: vendor.name, kind: .refused, code: "ambiguous",
                message: "\(domain) has \(found.count) \(place.what)s whose filter is \(filter); "
                    + "change or delete them from `\(place.kind.collectionMember(of: .domain) ?? "") of d`")
        }
        return found.first
    }

    func filterRules(_ place: FilterPlace, domainID: String, domain: String) throws -> [Settings] {
        var out: [Settings] = []
        let what = "\(place.what)s of \(domain)"
        try pages("/domains/\(pathSegment(domainID))/filters/\(place.path)", filter: [], what: what) { page in
            for case .object(let r) in page { out.append(try filterObject(r, place, domain: domain)) }
            return true
        }
        return out
    }

    /// The rule as the kind declares it; a member the vendor left out stays unknown.
    func filterObject(_ r: JSONObject, _ place: FilterPlace, domain: String) throws -> Settings {
        guard let filter = r["filter"]?.string else { throw shape("read \(place.what)s of \(domain)") }
        let key = "\(filter)@\(domain.lowercased())"
        var fields = Record([
            ("rule", .string(key)), ("filter", .string(filter)),
            ("domain", .string(domain.lowercased()))
        ])
        for name in ["action", "checkType", "description", "priority"] where place.kind.field(name) != nil {
            if let v = r[name] { fields[name] = Value(json: v) }
        }
        if r["id"] != nil { fields["id"] = .string(id(r)) }
        if let made = r["createdDate"] {
            fields["created"] = CleanmailMapping.millisecondsDate(made).map(Value.string) ?? Value(json: made)
        }
        return Settings(kind: place.kind.name, key: key, owner: domain.lowercased(), fields: fields)
    }

    func filterRules(_ place: FilterPlace, of owner: ObjectRef.Object?) throws -> [Settings] {
        guard case .domain(let d)? = owner else {
            throw VendorError(
                vendor: vendor.name, kind: .unsupported, code: "unsupported",
                message: "Cleanmail lists \(place.what)s only of a domain")
        }
        guard let o = try record(named: d.name) else { throw VendorError.notFound(vendor.name, "domain", d.name) }
        return try filterRules(place, domainID: id(o), domain: d.name)
    }

    // MARK: changes

    /// 5.8.1, 5.10.1: the fields the vendor requires are checked before anything is sent.
    func createFilter(_ s: Settings, _ place: FilterPlace) throws -> ChangeOutcome {
        let (filter, domain) = try filterKey(s.key, place)
        let missing = place.kind.requiredToCreate.filter { name in
            guard let v = s.fields[name] else { return true }
            if case .none = v { return true }
            return false
        }
        if !missing.isEmpty {
            throw VendorError(
                vendor: vendor.name, kind: .invalid, code: "invalid",
                message: "create \(place.what) \(s.key): give "
                    + missing.map { "\($0)=" }.joined(separator: " "),
                hints: missing.map { ($0, "required") })
        }
        var body = JSONObject([("filter", .string(filter))])
        for name in ["action", "checkType", "description"] {
            if let v = s.fields[name], let json = v.json { body[name] = json }
        }
        let path = "/domains/\(try domainID(domain))/filters/\(place.path)"
        let made = { try self.filterRule(place, key: s.key) != nil }
        if let reply = try api.create(path, body: .json(.object(body)), exists: made) {
            try expect(reply, "create \(place.what)", s.key)
        }
        return .applied(try filterRule(place, key: s.key).map(ObjectRef.Object.settings))
    }

    /// 5.8.4, 5.10.4: only the changed members are sent (the PATCH is partial).
    func updateFilter(
        _ s: Settings, changed: [String], from before: Settings,
        _ place: FilterPlace
    ) throws -> ChangeOutcome {
        guard case .string(let rid)? = before.fields["id"] else { throw shape("read \(place.what) \(s.key)") }
        var patch = JSONObject()
        for name in changed { patch[name] = s.fields[name]?.json ?? .null }
        let path = "/filters/\(place.path)/\(pathSegment(rid))"
        try expect(api.call(.PATCH, path, body: .json(.object(patch)), safeToRepeat: true), "set \(place.what)", s.key)
        return .applied(try filterRule(place, key: s.key).map(ObjectRef.Object.settings))
    }

    /// 5.8.2, 5.10.2: a rule deleted meanwhile (404) is what was asked.
    func deleteFilter(_ s: Settings, _ place: FilterPlace) throws -> ChangeOutcome {
        guard case .string(let rid)? = s.fields["id"] else { throw shape("read \(place.what) \(s.key)") }
        let reply = try api.call(.DELETE, "/filters/\(place.path)/\(pathSegment(rid))")
        if reply.status != 404 { try expect(reply, "delete \(place.what)", s.key) }
        return .applied(nil)
    }
}

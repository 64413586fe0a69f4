import MXJSON
import MXModel

/// The organisation's package (the overview: "the package may be updated via the API
/// (it can be read by reading the orgs resource)"): `PUT /orgs/{org}/package`, read
/// back as the organisation record's `package`. ASSUMED members, as the sandbox takes
/// them: `package` (Beginner, Business, Advanced, Professional), `is_activated`,
/// `is_eula_confirmed`, `is_trial_extended`. A function for the language layer to call.
extension ProofpointAdapter {
    static let packages = ["Beginner", "Business", "Advanced", "Professional"]
    static let packageSwitches: Set<String> = ["is_activated", "is_eula_confirmed", "is_trial_extended"]

    /// The package as the organisation's record shows it; an error when the record
    /// has none (unknown, not empty).
    func package() throws -> Record {
        guard let record = try organisation(org), case .record(let p)? = record["package"] else {
            throw VendorError(
                vendor: vendor.name, kind: .reply, code: "reply",
                message: "read the package of \(org): the organisation's record has no package")
        }
        return p
    }

    /// Sends the members that differ from the package now: nothing when it already is
    /// as asked. Values are checked before sending.
    func updatePackage(_ fields: Record) throws -> ChangeOutcome {
        var body = JSONObject()
        for (name, value) in fields.pairs {
            switch (name, value) {
            case ("package", .string(let p)):
                guard let known = Self.packages.first(where: { $0.lowercased() == p.lowercased() }) else {
                    throw VendorError(
                        vendor: vendor.name, kind: .invalid, code: "422",
                        message: "package is one of \(Self.packages.joined(separator: ", ")), not \"\(p)\"",
                        hints: [("package", "not a package")])
                }
                body["package"] = .string(known)
            case (_, .bool(let b)) where Self.packageSwitches.contains(name):
                body[name] = .bool(b)
            default:
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "422",
                    message:
                        "the package takes package (text) and \(Self.packageSwitches.sorted().joined(separator: ", ")) "
                        + "(true or false), not \(name)=\(value.literal)",
                    hints: [(name, "not a member of the package")])
            }
        }
        var now = try package()
        let changing = body.pairs.filter { k, v in !(now[k]?.equals(Value(json: v)) ?? false) }
        if changing.isEmpty { return .unchanged(.settings(Settings(kind: "package", fields: now))) }
        // Setting the same values twice is harmless: the client may repeat it.
        try expect(
            api.call(.PUT, orgPath + "/package", body: .json(.object(JSONObject(changing))), safeToRepeat: true),
            "update", "the package of \(org)")
        for (k, v) in changing { now[k] = Value(json: v) }
        return .applied(.settings(Settings(kind: "package", fields: now)))
    }
}

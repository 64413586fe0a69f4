import MXModel

/// A reading command whose subject is a record (`try-relay {transportDest: "mx.example.com",
/// transportPort: 25, authType: "local"}`): its required members are the command's
/// params, the others its options. `check` reports the problems of a literal, `run` of
/// any value, from the same declaration, before anything is sent.
extension ObjectCommand {
    var takesRecord: Bool { givesValue && subject == .key }

    var recordMembers: [(name: String, type: FieldType)] { params + options.map { ($0.name, $0.type) } }

    /// Each problem of `members` (a value nil is not known before running), in order.
    func recordProblems(_ members: [(String, Value?)]) -> [String] {
        var out: [String] = []
        let known = recordMembers.map(\.name)
        for (name, value) in members {
            guard let type = recordMembers.first(where: { $0.name == name })?.type else {
                out.append("'\(self.name)' takes no '\(name)': its record has \(known.joined(separator: ", "))")
                continue
            }
            guard let value else { continue }
            do { _ = try type.validate(value, field: name) } catch { out.append("'\(self.name)': \(error.message)") }
        }
        let given = Set(members.map(\.0))
        let missing = params.map(\.name).filter { !given.contains($0) }
        if !missing.isEmpty {
            out.append("'\(self.name)' needs " + missing.joined(separator: ", ") + " in its record")
        }
        return out
    }
}

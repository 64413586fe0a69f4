import MXModel
import Testing

@testable import MXEngine

/// ChangeResolver, the one meaning of a change, as a pure function.
struct ResolutionTests {
    func change(_ op: MXModel.Operation, _ key: String = "got.com", _ fields: [(String, Value)] = []) -> Change {
        Change(
            connection: "c", kind: op.kind, key: key, operation: op, fields: Record(fields), before: nil,
            location: ScriptLocation(file: "t", line: 1, column: 1))
    }

    func sign(_ r: Resolution) -> String {
        switch r {
        case .alreadyAsAsked: return "="
        case .create: return "+"
        case .update(_, let changed): return "~" + changed.joined(separator: ",")
        case .delete: return "-"
        }
    }

    let domain = ObjectRef.Object.domain(Domain(name: "got.com", aliases: ["got.net"], destination: "10.0.0.1"))

    @Test func outcomesAgainstTheCurrentState() throws {
        let v = Vendor.memory
        #expect(sign(try ChangeResolver.resolve(change(.createDomain, "new.com"), current: nil, vendor: v)) == "+")
        #expect(
            sign(
                try ChangeResolver.resolve(
                    change(.createDomain, "got.com", [("destination", .string("10.0.0.1"))]),
                    current: domain, vendor: v)) == "=")
        #expect(
            sign(
                try ChangeResolver.resolve(
                    change(.updateDomain, "got.com", [("destination", .string("10.0.0.2"))]),
                    current: domain, vendor: v)) == "~destination")
        #expect(
            sign(
                try ChangeResolver.resolve(
                    change(.addAlias, "got.com", [("alias", .string("GOT.NET"))]),
                    current: domain, vendor: v)) == "=")
        #expect(
            sign(
                try ChangeResolver.resolve(
                    change(.removeAlias, "got.com", [("alias", .string("x.net"))]),
                    current: domain, vendor: v)) == "=")
        #expect(sign(try ChangeResolver.resolve(change(.deleteDomain, "gone.com"), current: nil, vendor: v)) == "=")
        #expect(sign(try ChangeResolver.resolve(change(.deleteDomain), current: domain, vendor: v)) == "-")
    }

    @Test func refusals() {
        let v = Vendor.memory
        #expect(throws: VendorError.self) {
            try ChangeResolver.resolve(
                change(.createDomain, "got.com", [("destination", .string("9.9.9.9"))]), current: domain, vendor: v)
        }
        #expect(throws: VendorError.self) {
            try ChangeResolver.resolve(
                change(.updateDomain, "gone.com", [("destination", .string("9.9.9.9"))]), current: nil, vendor: v)
        }
        #expect(throws: VendorError.self) {
            try ChangeResolver.resolve(
                change(.addAlias, "got.com", [("alias", .string("got.com"))]), current: domain, vendor: v)
        }
        #expect(throws: VendorError.self) {
            try ChangeResolver.resolve(
                change(.addAlias, "got.com", [("alias", .string("old.com"))]), current: domain, vendor: v,
                isAnotherDomain: { name, _ in name == "old.com" ? "a domain of its own" : nil })
        }
    }

    /// Unknown is never empty: aliases the vendor did not return are not written over.
    @Test func anUnreadAliasListIsNeverWrittenFrom() {
        let unread = ObjectRef.Object.domain(Domain(name: "got.com", aliases: nil))
        do {
            _ = try ChangeResolver.resolve(
                change(.addAlias, "got.com", [("alias", .string("x.net"))]), current: unread, vendor: .opensrs)
            Issue.record("an add-alias on unknown aliases was resolved")
        } catch let e as VendorError {
            #expect(e.kind == .reply)
            #expect(e.message.contains("unknown: nothing is sent"))
        } catch {
            Issue.record("\(error)")
        }
    }

    /// A create whose next request (a Cleanmail domain's aliases) failed is done in part,
    /// never "exists"; when that request's answer was lost, the message says the rest is
    /// unknown, not refused.
    @Test func aCreateDoneInPartSaysWhatIsKnown() {
        let refused = VendorError.madeInPart(
            "domain x.net was created", VendorError(vendor: "cleanmail", kind: .exists, code: "409", message: "taken"))
        #expect(refused.code == VendorError.partial && refused.kind != .exists)
        #expect(refused.message == "domain x.net was created, but not wholly: taken (cleanmail 409)")
        let lost = VendorError.madeInPart(
            "domain x.net was created", VendorError(vendor: "cleanmail", code: VendorError.lost, message: "no answer"))
        #expect(lost.code == VendorError.partial)
        #expect(lost.message == "domain x.net was created; whether the rest was done is unknown: no answer")
        #expect(VendorError.madeInPart("again", refused).message == refused.message)
    }
}

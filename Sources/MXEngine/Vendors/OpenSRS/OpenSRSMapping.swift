import MXJSON
import MXModel

/// OpenSRS Email records <-> neutral objects (DESIGN.md's mapping table):
/// `attributes.account`, `disabled`, `aliases`, `filtermx`, `allow`, `block`,
/// `language`, `timezone`, `notes_external`, `metadata.createtime`.
enum OpenSRSMapping {
    /// `attributes` plus, from `get_domain`, `metadata`; the raw record keeps both.
    static func domain(name: String, attributes a: JSONObject, createtime: JSON?, raw: JSONObject) -> Domain {
        Domain(
            name: a["account"]?.string ?? name, status: a["disabled"]?.bool == true ? .disabled : .enabled,
            // A list the answer lacks is unknown (nil), never empty: nothing is written from it.
            aliases: a["aliases"]?.strings, destination: a["filtermx"]?.string,
            allow: a["allow"]?.strings, block: a["block"]?.strings,
            language: a["language"]?.string, timezone: a["timezone"]?.string,
            description: a["notes_external"]?.string, created: createtime.flatMap(created), raw: Record(json: raw))
    }

    /// `createtime` is epoch seconds (a string in get_domain, a number in searches):
    /// shown as an ISO date in UTC.
    static func created(_ t: JSON) -> String? {
        guard let seconds = t.int ?? t.string.flatMap({ Int($0) }) else { return nil }
        return isoDate(seconds)
    }

    /// The attributes `change_domain` gets for neutral fields (only those given).
    static func attributes(_ fields: Record, of d: Domain) -> JSONObject {
        var a = JSONObject()
        for name in fields.keys {
            switch name {
            case "status": a["disabled"] = .bool(d.status == .disabled)
            case "aliases": a["aliases"] = .array((d.aliases ?? []).map(JSON.string))
            case "destination": a["filtermx"] = d.destination.map(JSON.string) ?? .null
            case "allow": a["allow"] = .array((d.allow ?? []).map(JSON.string))
            case "block": a["block"] = .array((d.block ?? []).map(JSON.string))
            case "language": a["language"] = d.language.map(JSON.string) ?? .null
            case "timezone": a["timezone"] = d.timezone.map(JSON.string) ?? .null
            case "description": a["notes_external"] = d.description.map(JSON.string) ?? .null
            default: continue
            }
        }
        return a
    }

    static func user(email: String, attributes a: JSONObject, raw: JSONObject) -> User {
        User(
            email: a["mailbox"]?.string ?? email, name: a["name"]?.string,
            status: a["disabled"]?.bool == true ? .disabled : .enabled,
            // A list the answer lacks is unknown (nil), never empty.
            aliases: a["aliases"]?.strings, language: a["language"]?.string, raw: Record(json: raw))
    }

    static func userAttributes(_ fields: Record, of u: User) -> JSONObject {
        var a = JSONObject()
        for name in fields.keys {
            switch name {
            case "name": a["name"] = u.name.map(JSON.string) ?? .null
            case "status": a["disabled"] = .bool(u.status == .disabled)
            case "aliases": a["aliases"] = .array((u.aliases ?? []).map(JSON.string))
            case "language": a["language"] = u.language.map(JSON.string) ?? .null
            default: continue
            }
        }
        return a
    }

    /// vendors/NOTES.md's error numbers.
    static func meaning(_ n: Int) -> String {
        switch n {
        case 1: return "invalid credentials"
        case 2: return "object does not exist"
        case 3: return "object is an alias"
        case 4: return "no permission for attribute"
        case 5: return "request badly formatted"
        case 6: return "attribute badly formatted"
        case 7, 8, 23: return "object already exists"
        case 9: return "not permitted"
        case 10: return "object not empty"
        case 11: return "company or domain does not exist"
        case 13: return "user does not exist"
        case 15: return "domain users full"
        case 16: return "domain aliases full"
        case 20: return "try again later"
        case 22: return "temporarily unavailable"
        case 25: return "provisioning lock not obtained"
        case 28, 29, 30: return "internal error"
        default: return "error \(n)"
        }
    }

    /// What each error number means for the engine (NOTES.md: not found 2, 11, 13;
    /// conflict 7, 8, 23; badly formatted 5, 6; retryable ones are contention).
    static func kind(_ n: Int) -> VendorError.Kind {
        switch n {
        case 2, 11, 13: return .notFound
        case 7, 8, 23: return .exists
        case 5, 6: return .invalid
        default: return .refused
        }
    }

    /// Retried by the client with back-off: contention, not a verdict.
    static let retryable: Set<Int> = [20, 22, 25, 28, 29, 30]
}

/// `2011-11-21T18:59:32Z` from epoch seconds (civil-from-days, no Foundation).
func isoDate(_ seconds: Int) -> String {
    let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
    let secs = seconds - days * 86400
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(y)-\(two(m))-\(two(d))T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60))Z"
}

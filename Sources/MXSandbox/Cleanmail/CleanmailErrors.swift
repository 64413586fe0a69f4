import MXJSON

/// How Cleanmail fails. ASSUMED error body: the document lists status codes and
/// messages but no body. The API is a Spring application (its examples are Spring
/// REST Docs), so errors carry Spring Boot's body `{"timestamp", "status", "error",
/// "message", "path"}`, with the document's message for that endpoint and code as
/// `message`. `timestamp` is the store's clock, so replies are reproducible.
extension CleanmailAPI {
    /// A request that fails: its status and the error body's `message`.
    struct Failure: Error {
        let status: Int
        let message: String
        var headers: [(name: String, value: String)] = []
        init(_ status: Int, _ message: String, headers: [(name: String, value: String)] = []) {
            self.status = status
            self.message = message
            self.headers = headers
        }
    }

    /// The document's messages (the "Responses" tables of section 5), verbatim.
    enum Message {
        static let forbidden = "You do not have permission to execute this request."
        static let sysadmin = "Only users with sysadmin role can execute this request."
        static let createDomainForbidden =
            "Authorisation failure. You may have reached the limitation of domain creation or you do not have the "
            + "sysadmin role."
        static let conditions = "Operation cannot be done because of not met conditions."
        static let domainNotFound = "Domain not found with given id"
        static let domainNameFormat =
            "A problem occurred. Possible cause: the domain name does not match required format"
        static let domainNameFormatPatch =
            "A problem occured. Possible cause: the domain name does not match required format"
        static let domainExists = "A domain may already exists with the given name"
        static let aliasDomainMissing = "A problem occured. The domain may not exist"
        static let aliasOrDomainExists = "An alias or a domain may already exists with the given name"
        static let aliasExists = "An alias may already exists with the given name"
        static let parameterFormat =
            "A problem occured. Possible cause: at least one parameter might not match required format"
        static let aliasMissing = "A problem occured. The domain and/or the alias may not exist"
        static let policyNotFound = "Policy not found with given id"
        static let policyNotFoundDot = "Policy not found with given id."
        static let policyInUse = "A problem occured. Possible cause: the policy is affected to a domain or a user."
        static let policyNameFormat =
            "A problem occured. Possible cause: the policy name does not match required format"
        static let policyExists = "A policy may already exists with the given name"
        static let newUserInvalid =
            "A problem occured. Possible causes: the account email does not match email format or domain not found"
        static let userExists = "A user may already exists with the given name"
        static let userOrDomainNotFound = "User or domain not found with given id"
        static let userNotFound = "User not found with given id"
        static let userEmailFormat =
            "A problem has occured. Possible cause: the account email does not match email format"
        static let ruleExists = "An identical rule may already exist"
        static let ruleExistsS = "An identical rule may already exists"
        static let ruleDomainMissing = "Domain may not exist"
        static let ruleUserMissing = "User may not exist"
        static let ruleDomainGone = "A problem occured. The domain may not exist"
        static let ruleUserGone = "A problem occured. The user may not exist"
    }

    static func errorResponse(_ status: Int, _ message: String, path: String, clock: Int) -> SandboxResponse {
        .json(
            status,
            .object(
                JSONObject([
                    ("timestamp", .string(isoTimestamp(clock))), ("status", .int(status)),
                    ("error", .string(reason(status))), ("message", .string(message)),
                    ("path", .string(path))
                ])))
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 409: return "Conflict"
        case 422: return "Unprocessable Entity"
        case 429: return "Too Many Requests"
        case 503: return "Service Unavailable"
        default: return "Internal Server Error"
        }
    }

    /// Spring Boot's `timestamp`: `2026-01-01T00:00:01.000+00:00`.
    static func isoTimestamp(_ ms: Int) -> String {
        let seconds = ms / 1000, millis = ms % 1000
        let days = seconds / 86_400, rest = seconds % 86_400
        // Days to a civil date (H. Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let three = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return
            "\(year)-\(two(month))-\(two(day))T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60)).\(three)+"
            + "00:00"
    }
}

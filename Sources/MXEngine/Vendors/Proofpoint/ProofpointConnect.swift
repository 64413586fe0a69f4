import MXJSON
import MXModel

extension ProofpointAdapter {
    /// `connect proofpoint ... org= user= password=` with `url=`, `stack=`, or neither
    /// (then the organisation's stack is asked of `/endpoints/{org}`).
    static func connect(_ context: ConnectContext) throws -> any Adapter {
        let o = context.options
        let org = try o.required("org", "org=\"example.com\"")
        let user = try o.required("user", "user=\"admin@example.com\"")
        let password = try o.required("password", "password=env(\"PP_PASSWORD\")")
        let auth = [(name: "X-User", value: user), (name: "X-Password", value: password)]
        let root: String
        if let url = try o.url() {
            root = url
        } else if let stack = try o.text("stack") {
            // Only the stacks there are: a typo must not send the password to another host.
            guard knownStacks.contains(stack) else {
                throw RuntimeError(
                    "stack is one of \(knownStacks.joined(separator: ", ")), not '\(stack)'",
                    at: o.values["stack"]!.range,
                    notes: [.init("or give the whole address: url=\"https://us2.proofpointessentials.com\"")])
            }
            root = "https://\(stack).proofpointessentials.com"
        } else {
            root = try discoverStack(org: org, auth: auth, context: context)
        }
        return ProofpointAdapter(api: context.api(root + "/api/v1", auth), org: org)
    }

    static let knownStacks = ["us1", "us2", "us3", "us4", "us5", "eu1"]

    /// The host of `scheme://host[:port]/...`, lower-cased (an IPv6 host without brackets).
    static func host(of url: String) -> String {
        let afterScheme = url.range(of: "://").map { url[$0.upperBound...] } ?? url[...]
        let authority = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let hostPort = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? authority
        if hostPort.hasPrefix("[") { return String(hostPort.dropFirst().prefix { $0 != "]" }).lowercased() }
        return String(hostPort.prefix { $0 != ":" }).lowercased()
    }

    static func isLoopback(_ host: String) -> Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }

    /// ASSUMED (the overview says only that `/endpoints/{org}` "may be used against any
    /// instance"): us1 is asked, and the answer names the stack or its URL.
    /// `MXSH_PROOFPOINT_ENDPOINTS_URL` names another instance to ask (a proxy, or the
    /// sandbox in tests).
    static func discoverStack(org: String, auth: [(name: String, value: String)], context: ConnectContext) throws
        -> String
    {
        let instance = context.environment("MXSH_PROOFPOINT_ENDPOINTS_URL") ?? "https://us1.proofpointessentials.com"
        let probe = context.api(instance + "/api/v1", auth)
        let reply = try probe.call(.GET, "/endpoints/" + pathSegment(org))
        guard reply.isSuccess, let body = reply.json else {
            throw VendorError(
                vendor: Vendor.proofpoint.name, kind: ProofpointMapping.kind(reply.status), code: String(reply.status),
                message:
                    "cannot find the stack of organisation \(org) (\(ProofpointMapping.meaning(reply.status))); give "
                    + "stack=\"us2\" or url="
            )
        }
        if let url = body["url"]?.string ?? body["endpoint"]?.string, url.hasPrefix("http") {
            // The credentials go where the reply says: only to Proofpoint over https, never
            // downgraded to http:// nor sent to another host. A loopback instance (the
            // sandbox, a test rig) may name a loopback address.
            let proofpoint = url.hasPrefix("https://") && host(of: url).hasSuffix(".proofpointessentials.com")
            guard proofpoint || (isLoopback(host(of: url)) && isLoopback(host(of: instance))) else {
                throw VendorError(
                    vendor: Vendor.proofpoint.name, kind: .reply, code: "endpoint",
                    message:
                        "the endpoint reply for \(org) names \(url), not an https:// address of Proofpoint Essentials, "
                        + "which is refused; give stack= or url=")
            }
            var u = url
            if let cut = u.split(separator: "/", omittingEmptySubsequences: false).firstIndex(of: "api") {
                u = u.split(separator: "/", omittingEmptySubsequences: false)[..<cut].joined(separator: "/")
            }
            while u.hasSuffix("/") { u.removeLast() }
            return u
        }
        if let stack = body["stack"]?.string ?? body["endpoint"]?.string {
            guard knownStacks.contains(stack) else {
                throw VendorError(
                    vendor: Vendor.proofpoint.name, kind: .reply, code: "endpoint",
                    message: "the endpoint reply for \(org) names an unknown stack; give stack=\"us2\" or url=")
            }
            return "https://\(stack).proofpointessentials.com"
        }
        throw VendorError(
            vendor: Vendor.proofpoint.name, kind: .reply, code: "endpoint",
            message: "the endpoint reply for \(org) names no stack; give stack=\"us2\"")
    }
}

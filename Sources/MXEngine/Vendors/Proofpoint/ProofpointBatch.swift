import MXJSON
import MXModel

/// Many creates in one request: the document's 207 "batch response, individual
/// responses contained within". A POST of a JSON list of domains to
/// `/orgs/{org}/domains` (or of users to `/orgs/{org}/users`) answers 207 with one
/// result per item, in the order sent (ASSUMED envelope, as the sandbox answers it:
/// `{"results": [{"status": 201, "body": record} | {"status": 4xx, "errors": ...}]}`).
/// The whole is neither success nor failure: each change gets its item's outcome.
extension ProofpointAdapter {
    /// ASSUMED: the API publishes no batch limit; a hundred items keep a request and
    /// its answer small.
    static let batchSize = 100
    var batchLimit: Int { Self.batchSize }

    /// Creates of domains, and of users, may share a request with others of their kind.
    func batchKey(of change: Change) -> String? {
        switch (change.operation, change.kind) {
        case (.createDomain, .domain), (.createUser, .user): return change.operation.rawValue
        default: return nil
        }
    }

    typealias WillSend = (Int, ObjectRef.Object?) throws -> Void

    func applyAll(_ changes: [Change], willSend: WillSend?) -> [Result<ChangeOutcome, any Error>] {
        var results = [Result<ChangeOutcome, any Error>?](repeating: nil, count: changes.count)
        for kind in [ObjectKind.domain, .user] {
            let batched = Self.batchable(changes, kind: kind)
            if batched.count > 1 {
                createAll(batched, of: changes, kind: kind, willSend: willSend, into: &results)
            }
        }
        // The rest (and every change to an object whose create was not batched) one by
        // one, in the order given, after the batches: a later change to a created
        // object follows its create.
        for i in changes.indices where results[i] == nil {
            results[i] = Result { try resolveAndApply(changes[i], willSend: willSend.map { f in { try f(i, $0) } }) }
        }
        return results.map { $0! }
    }

    /// The creates of `kind` that may go in a batch: the first change to its object,
    /// and no other create of the same name before it.
    static func batchable(_ changes: [Change], kind: ObjectKind) -> [Int] {
        var seen = Set<String>(), out: [Int] = []
        let create: Operation = kind == .domain ? .createDomain : .createUser
        for (i, c) in changes.enumerated() {
            let key = c.kind.rawValue + " " + c.key.lowercased()
            if c.operation == create, c.kind == kind, !seen.contains(key) { out.append(i) }
            seen.insert(key)
        }
        return out
    }

    /// Reads what exists once (one listing), sends the creates still needed in
    /// batches, and gives each change its item's outcome.
    func createAll(
        _ indices: [Int], of changes: [Change], kind: ObjectKind, willSend: WillSend?,
        into results: inout [Result<ChangeOutcome, any Error>?]
    ) {
        var existing: [String: ObjectRef.Object] = [:]
        do {
            if kind == .domain {
                try forEachDomain {
                    existing[$0.name.lowercased()] = .domain($0); return true
                }
            } else {
                try forEachUser(domain: nil) {
                    existing[$0.email.lowercased()] = .user($0); return true
                }
            }
        } catch {
            for i in indices { results[i] = .failure(error) }
            return
        }
        var toSend: [(index: Int, record: JSON)] = []
        for i in indices {
            let before = existing[changes[i].key.lowercased()]
            do {
                switch try ChangeResolver.resolve(changes[i], current: before, vendor: vendor) {
                case .alreadyAsAsked(let o): results[i] = .success(.unchanged(o))
                case .create(let o):
                    let sent = try record(o)
                    try willSend?(i, before)
                    toSend.append((i, sent))
                default:
                    try willSend?(i, before)
                    results[i] = Result { try apply(changes[i]) }
                }
            } catch {
                results[i] = .failure(error)
            }
        }
        var start = 0
        while start < toSend.count {
            let chunk = Array(toSend[start..<min(start + Self.batchSize, toSend.count)])
            send(chunk, of: changes, kind: kind, into: &results)
            start += chunk.count
        }
    }

    /// The record a create sends (what `create` checks first, checked here too).
    func record(_ o: ObjectRef.Object) throws -> JSON {
        switch o {
        case .domain(let d):
            guard d.destination?.isEmpty == false else {
                throw VendorError(
                    vendor: vendor.name, kind: .invalid, code: "422",
                    message: "Proofpoint needs a destination to create a domain: add destination=\"host or IP\"",
                    hints: [("destination", "required")])
            }
            return ProofpointMapping.record(d)
        case .user(let u):
            return ProofpointMapping.userRecord(u, base: ProofpointMapping.json(u.raw))
        case .settings:
            throw VendorError.unsupported(vendor, .updateSettings)
        }
    }

    func send(
        _ chunk: [(index: Int, record: JSON)], of changes: [Change], kind: ObjectKind,
        into results: inout [Result<ChangeOutcome, any Error>?]
    ) {
        let path = orgPath + (kind == .domain ? "/domains" : "/users")
        let reply: VendorAPI.Reply
        do {
            reply = try api.call(.POST, path, body: .json(.array(chunk.map(\.record))), safeToRepeat: false)
        } catch let e as VendorError where e.kind == .transport {
            // The answer was lost: nobody knows which items were made. Each change is
            // sent on its own, which reads first: one made meanwhile is then found.
            for item in chunk { results[item.index] = Result { try apply(changes[item.index]) } }
            return
        } catch {
            for item in chunk { results[item.index] = .failure(error) }
            return
        }
        // Each change sent on its own, which reads first: what was made is then found,
        // and nothing whose outcome is unknown is called failed (or sent twice).
        func eachOnItsOwn(_ items: [(index: Int, record: JSON)]) {
            for item in items { results[item.index] = Result { try apply(changes[item.index]) } }
        }
        guard reply.status == 207 else {
            // A server error, or a success that is not a batch's answer: some items may
            // have been made.
            if reply.status >= 500 || reply.isSuccess { return eachOnItsOwn(chunk) }
            // The whole was refused (401, 403, a 400 for the batch itself): nothing made.
            let e: any Error
            do {
                try expect(reply, "create", "\(chunk.count) \(kind.rawValue)s")
                e = VendorError(
                    vendor: vendor.name, kind: .reply, code: "reply",
                    message: "create \(chunk.count) \(kind.rawValue)s: HTTP \(reply.status) is not a batch's answer")
            } catch {
                e = error
            }
            for item in chunk { results[item.index] = .failure(e) }
            return
        }
        // ASSUMED: the results under "results", or (another reading of "individual
        // responses contained within") the body a bare list of them, in the order sent.
        // Not one per item, or a record answered for another name than the one sent at
        // its place: which item was made is unknown, and each is read.
        guard let items = reply.json?["results"]?.array ?? reply.json?.array, items.count == chunk.count,
            items.allSatisfy({ $0["status"]?.int != nil }),
            zip(chunk, items).allSatisfy({ answersFor($1, changes[$0.index]) })
        else { return eachOnItsOwn(chunk) }
        // An item's server error leaves it unknown too.
        eachOnItsOwn(zip(chunk, items).filter { $1["status"]!.int! >= 500 }.map(\.0))
        for (item, answer) in zip(chunk, items) where answer["status"]!.int! < 500 {
            results[item.index] = Result { try outcome(answer, of: changes[item.index], sent: item.record) }
        }
    }

    /// Whether an item's answer is about the change at its place: a record it holds
    /// names the same object (an answer without a record cannot say otherwise).
    func answersFor(_ answer: JSON, _ change: Change) -> Bool {
        guard let body = answer["body"]?.object else { return true }
        let key = change.kind == .domain ? ProofpointMapping.domain(body).name : ProofpointMapping.user(body).email
        return key.isEmpty || key.lowercased() == change.key.lowercased()
    }

    /// One item's result: 201 created; 409 a create that meets an existing object
    /// (already as asked when it has the values asked); anything else its error.
    func outcome(_ answer: JSON, of change: Change, sent: JSON) throws -> ChangeOutcome {
        let status = answer["status"]!.int!
        let what = "\(change.kind.rawValue) \(change.key)"
        if (200..<300).contains(status) {
            let body = answer["body"]?.object ?? sent.object ?? JSONObject()
            return .applied(
                change.kind == .domain ? .domain(ProofpointMapping.domain(body)) : .user(ProofpointMapping.user(body)))
        }
        var message = "create \(what): \(ProofpointMapping.meaning(status))"
        if let d = ProofpointMapping.details(answer) { message += " (\(d))" }
        let e = VendorError(
            vendor: vendor.name, kind: ProofpointMapping.kind(status, answer), code: String(status), message: message)
        if e.kind == .exists, let found = try current(for: change),
            case .alreadyAsAsked(let o) = try ChangeResolver.resolve(change, current: found, vendor: vendor)
        {
            return .unchanged(o)
        }
        throw e
    }
}

import MXHTTP

#if canImport(Glibc)
    import Glibc
#endif

// N GETs of one URL through MXHTTP with at most C in flight (the client's own
// per-connection limit does the bounding, as it does for an adapter), for
// scripts/bench/http.sh. Prints "requests failures seconds".
//
// Usage: mxsh-httpbench URL N C [HEADER: VALUE]...

let args = CommandLine.arguments
guard args.count >= 4, let n = Int(args[2]), let c = Int(args[3]) else {
    print("usage: mxsh-httpbench URL N CONCURRENCY [HEADER: VALUE]...")
    exit(2)
}
let headers: [(name: String, value: String)] = args.dropFirst(4).compactMap { h in
    guard let colon = h.firstIndex(of: ":") else { return nil }
    return (String(h[..<colon]), String(h[h.index(after: colon)...]).drop { $0 == " " }.description)
}
let client = HTTPClient()
client.setLimits(ConnectionLimits(maxConcurrent: c), for: "bench")
let request = HTTPRequest(.GET, args[1], headers: headers, limiterKey: "bench")

func seconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

// One warm-up request opens the first connection, as the Python scripts' sessions do.
_ = try? client.sendBlocking(request)
let start = seconds()
let failures = await withTaskGroup(of: Bool.self) { group in
    for _ in 0..<n {
        group.addTask {
            guard let r = try? await client.send(request) else { return false }
            return r.status == 200
        }
    }
    var failed = 0
    for await ok in group where !ok { failed += 1 }
    return failed
}
print(n, failures, seconds() - start)

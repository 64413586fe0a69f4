import MXEngine
import MXJSON
import MXModel

#if canImport(Glibc)
    import Glibc
#endif

/// `mxsh run FILE --profiles 'cust-*'`: the script once per matching profile, each as a
/// run of its own (a child `mxsh run` with `--var tenant_profile=NAME`, which opens
/// `connect @NAME as tenant` as the default connection first), at most `tenants` at a
/// time; a failure in one does not stop the others unless `--on-error stop`. Ends with
/// one table: profile, status, changes done and failed, run id.
func runForProfiles(_ path: String, pattern: String, tenants: Int, options: ScriptOptions, passThrough: [String])
    -> Int32
{
    let host = TerminalHost(format: options.format)
    defer { host.flush() }
    let names: [String]
    do { names = try ProfileStore().names().filter { globMatch($0, pattern) } } catch {
        host.message("mxsh: \(error.message)\n" + (error.fix.map { "  \($0)\n" } ?? ""))
        return 2
    }
    guard !names.isEmpty else {
        host.message("mxsh: no profile matches '\(pattern)'\n")
        return 2
    }
    let script = absolutePath(path)
    var results: [String: TenantResult] = [:]
    var running: [pid_t: (name: String, out: String, err: String)] = [:]
    var next = 0
    var stopping = false
    while next < names.count || !running.isEmpty {
        while !stopping, next < names.count, running.count < max(1, tenants) {
            let name = names[next]
            next += 1
            let args = ["run", script, "--var", "\(tenantVariable)=\(name)", "--format", "json"] + passThrough
            guard let child = spawnChild(args) else {
                results[name] = TenantResult(status: -1, document: nil, errors: "could not start mxsh")
                continue
            }
            running[child.pid] = (name, child.out, child.err)
        }
        var status: Int32 = 0
        let pid = waitpid(-1, &status, 0)
        if pid < 0 { if errno == EINTR { continue }; break }
        guard let child = running.removeValue(forKey: pid) else { continue }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = (try? readTextFile(child.out)) ?? ""
        let err = (try? readTextFile(child.err)) ?? ""
        unlink(child.out)
        unlink(child.err)
        results[child.name] = TenantResult(status: code, document: try? JSON.parse(Array(out.utf8)), errors: err)
        if code != 0, options.onError == .stop { stopping = true }
    }
    return report(names, results, host: host)
}

struct TenantResult {
    var status: Int32
    var document: JSON?
    var errors: String
}

/// Each tenant's output and errors, prefixed with its profile, then the table.
private func report(_ names: [String], _ results: [String: TenantResult], host: TerminalHost) -> Int32 {
    var rows: [[String]] = []
    var worst: Int32 = 0
    for name in names {
        guard let r = results[name] else {
            rows.append([name, "not run", "-", "-", "-"])
            continue
        }
        for line in r.document?["output"]?.array?.compactMap(\.string) ?? [] { host.output("[\(name)] \(line)\n") }
        for line in r.errors.split(separator: "\n") { host.message("[\(name)] \(line)\n") }
        let changes = r.document?["changes"]
        rows.append([
            name, r.document?["status"]?.string ?? "exit \(r.status)",
            changes?["done"]?.int.map(String.init) ?? "-", changes?["failed"]?.int.map(String.init) ?? "-",
            r.document?["run"]?.string ?? "-"
        ])
        worst = r.status == 2 || worst == 2 ? 2 : max(worst, r.status == 0 ? 0 : 1)
    }
    host.message(formatTable(header: ["profile", "status", "done", "failed", "run"], rows: rows))
    return names.count == results.count ? worst : max(worst, 1)
}

/// Starts `mxsh ARGS` with its output in two temporary files.
private func spawnChild(_ args: [String]) -> (pid: pid_t, out: String, err: String)? {
    var out = Array("/tmp/mxsh-tenant-XXXXXX".utf8CString), err = out
    let outFD = mkstemp(&out), errFD = mkstemp(&err)
    guard outFD >= 0, errFD >= 0 else { return nil }
    let outPath = String(cString: out), errPath = String(cString: err)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, outFD, 1)
    posix_spawn_file_actions_adddup2(&actions, errFD, 2)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    let argv = (["mxsh"] + args).map { strdup($0) } + [nil]
    defer { for arg in argv { free(arg) } }
    var pid: pid_t = 0
    let rc = posix_spawn(&pid, "/proc/self/exe", &actions, nil, argv, environ)
    close(outFD)
    close(errFD)
    guard rc == 0 else { unlink(outPath); unlink(errPath); return nil }
    return (pid, outPath, errPath)
}

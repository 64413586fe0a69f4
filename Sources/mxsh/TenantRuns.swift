import MXEngine
import MXJSON
import MXModel

#if canImport(Glibc)
    import Glibc
#endif

/// `mxsh run FILE --profiles 'cust-*'`: the script once per matching profile, each as a
/// run of its own (a child `mxsh run` with `--var tenant_profile=NAME`, which opens
/// `connect @NAME as tenant` as the default connection first), at most `tenants` at a
/// time; a failure in one stops the others only with `--on-error stop` (`stopOthers`).
/// Each tenant's output, in this run's format, comes prefixed with its profile (with
/// `--format json`, one document holding each tenant's); then one table: profile,
/// status, changes done, failed and sent with the answer unknown, run id.
func runForProfiles(
    _ path: String, pattern: String, tenants: Int, options: ScriptOptions, stopOthers: Bool, passThrough: [String]
) -> Int32 {
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
    var running: [pid_t: TenantChild] = [:]
    var next = 0
    var stopping = false
    while next < names.count || !running.isEmpty {
        while !stopping, next < names.count, running.count < max(1, tenants) {
            let name = names[next]
            next += 1
            guard let files = TenantChild.files(name) else {
                results[name] = TenantResult(status: -1, output: "", report: nil, errors: "could not start mxsh")
                continue
            }
            let args =
                [
                    "run", script, "--var", "\(tenantVariable)=\(name)", "--format", options.format.rawValue,
                    "--tenant-report", files.report
                ] + passThrough
            guard let pid = spawnChild(args, out: files.out, err: files.err) else {
                files.remove()
                results[name] = TenantResult(status: -1, output: "", report: nil, errors: "could not start mxsh")
                continue
            }
            running[pid] = files
        }
        var status: Int32 = 0
        let pid = waitpid(-1, &status, 0)
        if pid < 0 { if errno == EINTR { continue }; break }
        guard let child = running.removeValue(forKey: pid) else { continue }
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        results[child.name] = child.readBack(status: code)
        child.remove()
        // 3 is a plan with changes in it, not a failure.
        if code != 0, code != 3, stopOthers { stopping = true }
    }
    return report(names, results, format: options.format, host: host)
}

/// A tenant's run as it goes: its profile, and the files its stdout, stderr and report
/// are written to (private temporary files, removed once read).
struct TenantChild {
    let name: String, out: String, err: String, report: String

    static func files(_ name: String) -> TenantChild? {
        var made: [String] = []
        for _ in 0..<3 {
            var template = Array("/tmp/mxsh-tenant-XXXXXX".utf8CString)
            let fd = mkstemp(&template)
            guard fd >= 0 else {
                for path in made { unlink(path) }
                return nil
            }
            close(fd)
            made.append(String(cString: template))
        }
        return TenantChild(name: name, out: made[0], err: made[1], report: made[2])
    }

    func remove() { for path in [out, err, report] { unlink(path) } }

    /// What the tenant's run left in its files. Output that cannot be read back (a file
    /// removed under us, bytes that are not UTF-8) is not shown as if it had been empty:
    /// its loss is one of the tenant's errors, and `lost` makes the run's exit at least 1.
    func readBack(status: Int32) -> TenantResult {
        var problems: [String] = []
        func read(_ path: String, _ what: String) -> String? {
            do { return try readTextFile(path) } catch {
                let why = (error as? FileError)?.message ?? "\(error)"
                problems.append("mxsh: this tenant's \(what) could not be read back: \(why)")
                return nil
            }
        }
        let output = read(out, "output")
        let errors = read(err, "error messages")
        let report = read(report, "report").flatMap { try? JSON.parse(Array($0.utf8)) }
        return TenantResult(
            status: status, output: output ?? "", report: report,
            errors: ((errors.map { [$0] } ?? []) + problems).joined(separator: "\n"), lost: !problems.isEmpty)
    }
}

struct TenantResult {
    var status: Int32
    /// Its stdout, in the run's format.
    var output: String
    /// How it ended (`--tenant-report`): nil when it did not say (a script that did not
    /// check, a crash), and then its exit status alone tells.
    var report: JSON?
    var errors: String
    /// Some of what it wrote could not be read back (its errors say which).
    var lost = false
}

/// Each tenant's output and errors, prefixed with its profile, then the table.
private func report(_ names: [String], _ results: [String: TenantResult], format: OutputFormat, host: TerminalHost)
    -> Int32
{
    var rows: [[String]] = []
    var worst: Int32 = 0
    var planned = false
    var documents: [JSON] = []
    for name in names {
        guard let r = results[name] else {
            rows.append([name, "not run", "-", "-", "-", "-"])
            documents.append(.object(JSONObject([("profile", .string(name)), ("status", .string("not run"))])))
            continue
        }
        if format == .json {
            // A tenant's document left unfinished (a listing cut short) is not passed on
            // as if whole: it is null, and its exit status says it failed.
            documents.append(
                .object(
                    JSONObject([
                        ("profile", .string(name)), ("exit", .int(Int(r.status))),
                        ("document", (try? JSON.parse(Array(r.output.utf8))) ?? .null)
                    ])))
        } else {
            for line in r.output.split(separator: "\n", omittingEmptySubsequences: false).dropLast(
                r.output.hasSuffix("\n") || r.output.isEmpty ? 1 : 0)
            {
                host.output("[\(name)] \(line)\n")
            }
        }
        for line in r.errors.split(separator: "\n") { host.message("[\(name)] \(line)\n") }
        rows.append(row(name, r))
        if r.status == 3 { planned = true }
        worst = r.status == 2 || worst == 2 ? 2 : max(worst, r.status == 0 || r.status == 3 ? 0 : 1)
        if r.lost { worst = max(worst, 1) }
    }
    if format == .json { host.output(JSON.object(JSONObject([("tenants", .array(documents))])).text + "\n") }
    host.message(formatTable(header: ["profile", "status", "done", "failed", "unknown", "run"], rows: rows))
    if names.count != results.count { worst = max(worst, 1) }
    // As one plan's: 3 when some tenant would change something and none failed.
    return worst == 0 && planned ? 3 : worst
}

/// One tenant's row: a run's status and counts, or its plan's, from its report.
private func row(_ name: String, _ r: TenantResult) -> [String] {
    let status = r.report?["status"]?.string
    if let plan = r.report?["plan"] {
        let counts = ["create", "change", "delete"].map { plan[$0]?.int ?? 0 }
        let text =
            status == "done"
            ? "plan: \(counts[0]) to create, \(counts[1]) to change, \(counts[2]) to delete"
            : "plan \(status ?? "exit \(r.status)")"
        return [name, text, "-", "-", "-", "-"]
    }
    let changes = r.report?["changes"]
    return [
        name, status ?? "exit \(r.status)", changes?["done"]?.int.map(String.init) ?? "-",
        changes?["failed"]?.int.map(String.init) ?? "-", changes?["unknown"]?.int.map(String.init) ?? "-",
        r.report?["run"]?.string ?? "-"
    ]
}

/// Starts `mxsh ARGS` with its stdout and stderr in the files `out` and `err`.
private func spawnChild(_ args: [String], out: String, err: String) -> pid_t? {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_TRUNC, 0)
    posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_TRUNC, 0)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    let argv = (["mxsh"] + args).map { strdup($0) } + [nil]
    defer { for arg in argv { free(arg) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, "/proc/self/exe", &actions, nil, argv, environ) == 0 else { return nil }
    return pid
}

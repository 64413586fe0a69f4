#if canImport(Glibc)
    import Glibc
#endif

enum CommandResult {
    case failedToStart, timedOut
    case exited(status: Int32, output: [UInt8])
}

/// Runs `/bin/sh -c command` with its standard output captured (at most 64 KiB kept),
/// killed (its whole process group) after `timeout` seconds.
func runCommand(_ command: String, timeout: Double) -> CommandResult {
    var fds: [Int32] = [0, 0]
    guard pipe(&fds) == 0 else { return .failedToStart }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
    posix_spawn_file_actions_addclose(&actions, fds[0])
    posix_spawn_file_actions_addclose(&actions, fds[1])
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP))
    posix_spawnattr_setpgroup(&attributes, 0)
    var pid: pid_t = 0
    let argv: [UnsafeMutablePointer<CChar>?] = [strdup("/bin/sh"), strdup("-c"), strdup(command), nil]
    defer { for a in argv { free(a) } }
    let spawned = posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, environ)
    close(fds[1])
    guard spawned == 0 else { close(fds[0]); return .failedToStart }
    let deadline = monotonicSeconds() + timeout
    var output: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    var timedOut = false
    while true {
        let left = deadline - monotonicSeconds()
        if left <= 0 { timedOut = true; break }
        var p = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
        let ready = poll(&p, 1, Int32(min(left, 1) * 1000))
        if ready < 0 && errno != EINTR { break }
        if ready <= 0 { continue }
        let n = read(fds[0], &buffer, buffer.count)
        if n <= 0 { break }
        if output.count < 65536 { output.append(contentsOf: buffer[0..<n]) }
    }
    close(fds[0])
    if timedOut { kill(-pid, SIGKILL) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    if timedOut { return .timedOut }
    // WIFEXITED / WEXITSTATUS, spelled out (the macros are not imported).
    return .exited(status: status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f), output: output)
}

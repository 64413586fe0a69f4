import MXLanguage

#if canImport(Glibc)
    import Glibc
#endif

/// Scripts at least this long (bytes) are parsed on one thread and checked on another.
public let parallelCheckThreshold = 256 * 1024

/// Parses `source` and, when the parse found nothing wrong, checks it: the diagnostics
/// of whichever found any, as `parse` then `check` give them.
///
/// A long script is checked on a second thread while it is parsed: the parser hands its
/// top-level statements over in batches of `batchSize`, and the two take as long as the
/// slower of them, not as both. (The parser keeps this thread: it allocates the tree,
/// and glibc's allocator grows a second thread's memory a page at a time.) A check done
/// that way is kept only when it is sure to be the check of the whole script: it found
/// nothing wrong, and no name it did not find as a def turned out to be a def further
/// down (see `Checker.laterDef`). Otherwise the whole script is checked again, in order,
/// and that check's errors are the answer.
public func parseAndCheck(
    _ source: Source, commands: CommandTable = .standard, connections: Set<String> = [],
    context: CheckContext = CheckContext(), batchSize: Int = 256, threshold: Int = parallelCheckThreshold
) -> (Program, [Diagnostic]) {
    func checkInOrder(_ program: Program, _ parseErrors: [Diagnostic]) -> (Program, [Diagnostic]) {
        guard parseErrors.isEmpty else { return (program, parseErrors) }
        return (program, check(program, commands: commands, context: context))
    }
    func inOrder() -> (Program, [Diagnostic]) {
        let (program, parseErrors) = parse(source, commands: commands, connections: connections)
        return checkInOrder(program, parseErrors)
    }
    guard source.bytes.count >= threshold else { return inOrder() }
    // The tree takes some 16 bytes of heap for each byte of script.
    reserveHeap(bytes: min(source.bytes.count * 16, 1 << 30))
    let checking = StreamingCheck(Checker(commands: commands, context: context, source: source))
    // Each batch is kept here too (the checker shares it, reading): the program's
    // statements are these, joined when both threads are done.
    var sent: [[Stmt]] = []
    typealias Parsed = (connections: Set<String>, diagnostics: [Diagnostic])
    let parsed = { () -> Parsed? in
        // No thread to be had (a process at its limit): one after the other, as short ones are.
        guard let thread = startThread({ checking.run() }) else { return nil }
        var batch: [Stmt] = []
        batch.reserveCapacity(batchSize)
        let parsed = parse(source, commands: commands, connections: connections) { (s: consuming Stmt) in
            // Moved in: a copy was a retain of all it holds, and a release when the copy died.
            batch.append(consume s)
            if batch.count == batchSize {
                sent.append(batch)
                checking.channel.send(batch)
                batch = []
                batch.reserveCapacity(batchSize)
            }
        }
        sent.append(batch)
        checking.channel.send(batch)
        checking.channel.finish()
        pthread_join(thread, nil)
        return parsed
    }()
    releaseHeapReserve()
    guard let parsed else { return inOrder() }
    let (known, parseErrors) = parsed
    var program = Program(statements: joinMoving(&sent), source: source)
    program.connections = known
    if parseErrors.isEmpty, checking.checkedWholeScript { return (program, []) }
    return checkInOrder(program, parseErrors)
}

/// The statements of `batches` in one array, moved, not copied (a copy of a statement is
/// a retain of all it holds, and a long script has tens of thousands): each batch is left
/// holding `break`s, which hold nothing.
func joinMoving(_ batches: inout [[Stmt]]) -> [Stmt] {
    let total = batches.reduce(0) { $0 + $1.count }
    var placeholder = Stmt(.break, .none)
    return withUnsafeBytes(of: &placeholder) { breakBytes in
        [Stmt](unsafeUninitializedCapacity: total) { out, count in
            for i in batches.indices {
                batches[i].withUnsafeMutableBufferPointer { batch in
                    guard let from = batch.baseAddress, let to = out.baseAddress, !batch.isEmpty else { return }
                    (to + count).moveInitialize(from: from, count: batch.count)
                    // A `break` refers to nothing, so its bytes are a whole copy of it: written
                    // as bytes, not through the enum's copy (which cost 86 instructions each).
                    for k in 0..<batch.count {
                        UnsafeMutableRawPointer(from + k).copyMemory(
                            from: breakBytes.baseAddress!, byteCount: MemoryLayout<Stmt>.size)
                    }
                    count += batch.count
                }
            }
        }
    }
}

/// The checking thread's work: each batch as it comes, until the parser is done.
private final class StreamingCheck: @unchecked Sendable {
    let channel = StatementChannel()
    private var checker: Checker

    init(_ checker: Checker) {
        self.checker = checker
        self.checker.streaming = true
    }

    func run() {
        while let batch = channel.receive() {
            checker.collectDefs(batch)
            // Once it has found an error this check will be done again: it stops here.
            if checker.diagnostics.isEmpty { checker.checkBlock(batch) }
        }
    }

    /// Read after the thread has ended: true when this check is the whole script's.
    var checkedWholeScript: Bool {
        checker.diagnostics.isEmpty && checker.namesNotYetDefs.allSatisfy { checker.laterDefs[$0] == nil }
    }
}

/// Batches of statements from the parser's thread to the checker's.
private final class StatementChannel: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let ready = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var batches: [[Stmt]] = []
    private var next = 0
    private var done = false

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(ready, nil)
    }

    deinit {
        pthread_cond_destroy(ready)
        pthread_mutex_destroy(mutex)
        ready.deallocate()
        mutex.deallocate()
    }

    func send(_ batch: [Stmt]) {
        guard !batch.isEmpty else { return }
        pthread_mutex_lock(mutex)
        batches.append(batch)
        pthread_cond_signal(ready)
        pthread_mutex_unlock(mutex)
    }

    /// No more batches will come.
    func finish() {
        pthread_mutex_lock(mutex)
        done = true
        pthread_cond_signal(ready)
        pthread_mutex_unlock(mutex)
    }

    /// The next batch, waiting for it; nil once the parser has finished and every batch
    /// has been taken.
    func receive() -> [Stmt]? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while next == batches.count && !done { pthread_cond_wait(ready, mutex) }
        guard next < batches.count else { return nil }
        // Taken, not copied: the channel lets go of the batch as it hands it over.
        let batch = batches[next]
        batches[next] = []
        next += 1
        return batch
    }
}

/// Runs `body` on a new thread with a stack as large as the main thread's usually is
/// (8 MB), whatever `ulimit -s` says: the checker follows the script's nesting, which
/// the parser limits with that in mind. Nil when no thread can be started.
private func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t? {
    final class Work: @unchecked Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setstacksize(&attributes, 8 << 20)
    defer { pthread_attr_destroy(&attributes) }
    var thread = pthread_t()
    let work = Unmanaged.passRetained(Work(body)).toOpaque()
    let status = pthread_create(
        &thread, &attributes,
        { arg in
            Unmanaged<Work>.fromOpaque(arg!).takeRetainedValue().body()
            return nil
        }, work)
    guard status == 0 else {
        Unmanaged<Work>.fromOpaque(work).release()
        return nil
    }
    return thread
}

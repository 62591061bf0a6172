#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

/// Runs a program of the host to its end: the one runner of virthost outside the tuner.
///
/// It starts the program with `posix_spawn` and waits for it with `waitpid`, never with
/// Foundation's `Process`: on Linux, swift-corelibs-foundation's run loop makes its wakeup
/// pair from two UDP sockets on 127.0.0.1, so without a working loopback interface (early
/// boot, a network namespace) `Process.waitUntilExit()` never returns. What the program
/// prints goes to unlinked temporary files, never to a pipe: a daemon that an init script
/// starts (`loop &` in Debian's ksmtuned) inherits the script's standard output and keeps a
/// pipe open for as long as it runs, while a file has no end to wait for. The wait is for
/// the program's exit alone, and bounded: a program still running at its deadline is killed
/// and reported by name with the step it was run for.
///
/// Not for the tuner (`virthost-ksmtuned` runs no program) nor for tests, which have their
/// own helpers.
public enum ProgramRunner {
  /// How the program's two output streams are kept.
  public enum Streams: Sendable {
    /// Standard error written into the same file as standard output, in the order printed.
    case together
    /// Standard output, then standard error.
    case separate
  }

  /// The most of each output stream that is kept (its end); what a program prints beyond it is dropped.
  public static let outputLimit = 1 << 20

  /// Runs `executable` with `arguments`, standard input `/dev/null`, and waits for its exit,
  /// at most `timeout`.
  ///
  /// - Parameters:
  ///   - step: what the program is run for, in a few words (`start ksmtuned`); a timeout names it.
  ///   - streams: whether standard error shares standard output's file.
  ///   - name: the program's `argv[0]`, when it is not `executable`: a multi-call program
  ///     (kmod, busybox) reached through a link is told what to be by it (`modprobe`).
  /// - Returns: its exit status (or 128 + the signal that ended it) and what it printed.
  /// - Throws: ``ProgramRunError`` when it cannot be started, or has not exited by `timeout`
  ///   (then it has been killed).
  public static func run(
    _ executable: String, _ arguments: [String], step: String, timeout: Duration, streams: Streams = .together,
    name: String? = nil
  ) throws(ProgramRunError) -> ProgramOutcome {
    let output = try captureFile(executable, step)
    defer { close(output) }
    let errors = streams == .together ? output : try captureFile(executable, step)
    defer { if errors != output { close(errors) } }
    let pid = try spawn(executable, [name ?? executable] + arguments, output: output, errors: errors, step: step)
    let status: Int32
    switch wait(pid, timeout: timeout) {
    case .exited(let code): status = code
    case .lost(let reason): throw .lost(program: executable, step: step, reason: reason)
    case .running:
      kill(pid, SIGKILL)
      _ = wait(pid, timeout: .seconds(5))
      throw .timedOut(program: executable, step: step, after: timeout)
    }
    var printed = read(output)
    if errors != output { printed += read(errors) }
    return ProgramOutcome(status: status, printed: String(decoding: printed, as: UTF8.self).trimmingBlanks)
  }

  /// An unlinked temporary file open for reading and writing.
  private static func captureFile(_ executable: String, _ step: String) throws(ProgramRunError) -> Int32 {
    let folder = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
    var template = Array((folder + "/virthost-output-XXXXXX").utf8CString)
    // mkstemp, then close-on-exec (Glibc's module lacks mkostemp): a program another thread
    // starts in between inherits a file, which keeps nothing waiting, unlike a pipe.
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    let flagged = descriptor >= 0 && fcntl(descriptor, F_SETFD, FD_CLOEXEC) == 0
    let problem = flagged ? "" : reason()
    if descriptor >= 0 { template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) } }
    guard flagged else {
      if descriptor >= 0 { close(descriptor) }
      throw .cannotStart(program: executable, step: step, reason: "no file for its output in \(folder): \(problem)")
    }
    return descriptor
  }

  /// Starts `executable` with `arguments`, `argv[0]` first.
  private static func spawn(
    _ executable: String, _ arguments: [String], output: Int32, errors: Int32, step: String
  ) throws(ProgramRunError) -> pid_t {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // The child starts with no signal blocked and every signal at its default, whatever
    // this process's threads changed.
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    var defaults = sigset_t()
    sigfillset(&defaults)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, output, 1)
    posix_spawn_file_actions_adddup2(&actions, errors, 2)
    closeTheRest(&actions)
    var cArguments = arguments.map { strdup($0) } + [nil]
    defer { for pointer in cArguments { free(pointer) } }
    var pid = pid_t()
    let result = posix_spawn(&pid, executable, &actions, &attributes, &cArguments, environ)
    guard result == 0 else {
      throw .cannotStart(program: executable, step: step, reason: String(cString: strerror(result)))
    }
    return pid
  }

  /// Closes every descriptor from 3 in the child, as Foundation's `Process` did: a daemon a
  /// service start leaves must not keep the apply's lock or a file being written (which would
  /// also make a script just written fail with ETXTBSY). glibc 2.34's
  /// `posix_spawn_file_actions_addclosefrom_np`, found at run time as the Glibc module lacks
  /// it; on an older glibc, one close per descriptor open now (a close of one that another
  /// thread closes meanwhile is ignored by glibc).
  public static func closeTheRest(_ actions: inout posix_spawn_file_actions_t) {
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
      _ = unsafeBitCast(symbol, to: CloseFrom.self)(&actions, 3)
      return
    }
    guard let folder = opendir("/proc/self/fd") else { return }
    defer { closedir(folder) }
    let own = dirfd(folder)
    while let entry = readdir(folder) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      if let descriptor = Int32(name), descriptor > 2, descriptor != own {
        posix_spawn_file_actions_addclose(&actions, descriptor)
      }
    }
  }

  private enum Waited {
    /// Its exit status, or 128 + the signal that ended it.
    case exited(Int32)
    /// Still running at the deadline.
    case running
    /// `waitpid` failed (the child was reaped elsewhere): why.
    case lost(String)
  }

  /// Waits for `pid` to exit, polling `waitpid` until `timeout` has passed.
  private static func wait(_ pid: pid_t, timeout: Duration) -> Waited {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var pause: UInt32 = 1_000
    while true {
      var status: Int32 = 0
      let result = waitpid(pid, &status, WNOHANG)
      if result == pid {
        let signal = status & 0x7f
        return .exited(signal == 0 ? (status >> 8) & 0xff : 128 + signal)
      }
      if result < 0 && errno != EINTR { return .lost(reason()) }
      if clock.now >= deadline { return .running }
      usleep(pause)
      pause = min(pause * 2, 50_000)
    }
  }

  /// The end of what the file holds, at most ``outputLimit`` bytes.
  private static func read(_ descriptor: Int32) -> [UInt8] {
    let size = Int(lseek(descriptor, 0, SEEK_END))
    guard size > 0 else { return [] }
    let kept = min(size, outputLimit)
    var bytes = [UInt8](repeating: 0, count: kept)
    let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, kept, off_t(size - kept)) }
    return Array(bytes.prefix(max(count, 0)))
  }

  private static func reason() -> String { String(cString: strerror(errno)) }
}

/// What a finished program did.
public struct ProgramOutcome: Sendable, Equatable {
  /// The exit status, or 128 + the signal that ended it.
  public var status: Int32
  /// What it printed (both streams, as ``ProgramRunner/Streams`` says), blanks at both ends trimmed.
  public var printed: String

  /// Creates an outcome.
  public init(status: Int32, printed: String) {
    self.status = status
    self.printed = printed
  }
}

/// Why a program did not run to its end; its description is one sentence naming the
/// program and the step.
public enum ProgramRunError: Error, Sendable, Equatable, CustomStringConvertible {
  /// It could not be started (or its output had nowhere to go).
  case cannotStart(program: String, step: String, reason: String)
  /// It still ran at the deadline and was killed.
  case timedOut(program: String, step: String, after: Duration)
  /// Its exit could not be waited for.
  case lost(program: String, step: String, reason: String)

  public var description: String {
    switch self {
    case .cannotStart(let program, let step, let reason): "cannot run \(program) (\(step)): \(reason)"
    case .timedOut(let program, let step, let after):
      "\(program) (\(step)) did not finish within \(after.components.seconds) s and was killed"
    case .lost(let program, let step, let reason): "cannot wait for \(program) (\(step)): \(reason)"
    }
  }
}

extension String {
  fileprivate var trimmingBlanks: String {
    let blank: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
    return String(drop(while: blank).reversed().drop(while: blank).reversed())
  }
}

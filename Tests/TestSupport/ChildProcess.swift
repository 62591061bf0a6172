import Foundation
import Spawn

/// A process the test starts with `posix_spawn`, with full control of `argv[0]`
/// (so a decoy can be named `qemu-system-x86_64`), of its session and of its
/// stdio, and that the test reaps itself.
public final class ChildProcess {
  public let pid: pid_t
  private var reaped = false
  public private(set) var exitStatus: Int32?

  /// Starts `program` with `arguments` (`arguments[0]` is the name it sees).
  public init(
    _ program: String, _ arguments: [String], environment: [String: String]? = nil, newSession: Bool = false,
    output: String = "/dev/null"
  ) throws {
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
    if newSession { flags |= 0x80 }  // POSIX_SPAWN_SETSID (glibc 2.26), not exported to Swift
    posix_spawnattr_setflags(&attributes, Int16(flags))
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
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // Nothing of the test process's: a decoy lives long and must not hold a file another
    // test thread is writing (a program written so would fail to start with ETXTBSY).
    ProgramRunner.closeTheRest(&actions)
    let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
    var cArguments = arguments.map { strdup($0) } + [nil]
    var cEnvironment = env.map { strdup($0) } + [nil]
    defer {
      for pointer in cArguments + cEnvironment { free(pointer) }
    }
    var pid = pid_t()
    let result = posix_spawn(&pid, program, &actions, &attributes, &cArguments, &cEnvironment)
    guard result == 0 else { throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: program]) }
    self.pid = pid
  }

  /// Waits up to `timeout` seconds for the process to end; its exit status, or nil.
  @discardableResult
  public func wait(timeout: Double) -> Int32? {
    let deadline = Date().addingTimeInterval(timeout)
    while !reaped {
      var status: Int32 = 0
      let result = waitpid(pid, &status, WNOHANG)
      if result == pid {
        reaped = true
        exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        break
      }
      if result < 0 { break }
      if Date() > deadline { return nil }
      usleep(2_000)
    }
    return exitStatus
  }

  /// Ends the process and reaps it; with `group`, also every process left in
  /// the group it leads, even after it has exited itself (a daemon's loop).
  public func stop(group: Bool = false) {
    if group { kill(-pid, SIGKILL) }
    if !reaped {
      kill(pid, SIGKILL)
      wait(timeout: 5)
    }
  }

  deinit { stop() }
}

/// Polls `condition` every `poll` µs (2 ms) until it holds or `timeout` seconds pass.
@discardableResult
public func eventually(timeout: Double = 10, poll: UInt32 = 2_000, _ condition: () throws -> Bool) rethrows -> Bool {
  let deadline = Date().addingTimeInterval(timeout)
  while Date() < deadline {
    if try condition() { return true }
    usleep(poll)
  }
  return try condition()
}

/// The built `virthost-ksmtuned`, beside the test bundle.
public let daemonBinary = ProgramRun.daemon

/// The text of a file, or "" when it cannot be read.
public func contents(_ path: String) -> String {
  (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
}

/// Overwrites `path` in place (same inode, so a bind mount of it sees the change).
public func overwrite(_ path: String, _ text: String) throws {
  let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
  try handle.truncate(atOffset: 0)
  try handle.write(contentsOf: Data(text.utf8))
  try handle.close()
}

/// The first field of `/proc/<pid>/syscall`: the system call the process is blocked in.
public func blockedSyscall(_ pid: pid_t) -> String {
  String(contents("/proc/\(pid)/syscall").split(separator: " ").first ?? "")
}

/// `/proc/<pid>/status` VmRSS in kB.
public func residentKilobytes(_ pid: pid_t) -> Int {
  let line = contents("/proc/\(pid)/status").split(separator: "\n").first { $0.hasPrefix("VmRSS:") }
  return line.flatMap { Int($0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") }
    ?? 0
}

/// A minimal seed-host meminfo with the given fields (kB).
public func meminfoText(total: Int, free: Int, buffers: Int = 0, cached: Int = 0) -> String {
  """
  MemTotal:       \(total) kB
  MemFree:        \(free) kB
  Buffers:        \(buffers) kB
  Cached:         \(cached) kB
  SwapCached:     999999 kB
  Active:         1000 kB

  """
}

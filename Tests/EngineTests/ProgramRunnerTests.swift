import Editors
import Foundation
import HostConfig
import RootFS
import Spawn
import TestSupport
import Testing

@testable import Engine

/// No command hangs on a program it runs. A service start whose daemon
/// keeps the init script's standard output (Debian's ksmtuned runs `loop &`), a generator that
/// never exits, and every program run with the loopback interface down (`unshare -n`, where
/// Foundation's `Process` never saw its child exit) return, within a bound that names the
/// program and the step.
@Suite struct ProgramRunnerTests {
  /// A folder with a fake SysV init script: `start` leaves a daemon running in the background
  /// with the script's standard output and error (as `loop &` does), writes its pid to
  /// `daemon.pid` and exits 0 after printing one line.
  final class FakeInitScript {
    let folder: String
    var script: String { folder + "/fake-ksmtuned" }
    var pidFile: String { folder + "/daemon.pid" }

    init() throws {
      folder = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-init-\(UUID())").path
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let text = """
        #!/bin/sh
        case "$1" in
          start)
            loop() { while :; do sleep 1; done; }
            loop &
            echo $! > "\(pidFile)"
            echo "Starting fake-ksmtuned: ok"
            ;;
          status) exit 3 ;;
        esac
        exit 0

        """
      try Data(text.utf8).write(to: URL(fileURLWithPath: script))
      try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
    }

    /// Ends the daemon the script left.
    func stopDaemon() {
      if let pid = Int32(contents(pidFile).trimmingCharacters(in: .whitespacesAndNewlines)) { kill(pid, SIGKILL) }
    }

    deinit {
      stopDaemon()
      try? FileManager.default.removeItem(atPath: folder)
    }
  }

  /// What a service command returned on another thread.
  final class Outcome: @unchecked Sendable {
    // @unchecked: `value` is reached only under `lock`.
    private var value: (code: Int32, output: String)?
    private let lock = NSLock()

    func set(_ new: (code: Int32, output: String)?) { lock.withLock { value = new } }
    func get() -> (code: Int32, output: String)? { lock.withLock { value } }
  }

  /// Runs `body` on its own thread and waits for it at most `seconds`; false when it did not
  /// return in time (the thread is left behind, the test fails instead of hanging).
  static func returns(within seconds: Double, _ body: @escaping @Sendable () -> Void) -> Bool {
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      body()
      done.signal()
    }
    return done.wait(timeout: .now() + seconds) == .success
  }

  @Test func aServiceStartReturnsWhileItsDaemonKeepsTheScriptsOutput() throws {
    let fake = try FakeInitScript()
    let script = fake.script
    let result = Outcome()
    let returned = Self.returns(within: 15) {
      // Through sh, as `service` runs a script: a script just written and exec'd directly can
      // fail with ETXTBSY while another test's child still holds its writer's descriptor.
      result.set(try? ServiceManager.run(["/bin/sh", script, "start"], timeout: .seconds(60)))
    }
    #expect(returned, "the start waited for the daemon's end of output")
    fake.stopDaemon()
    #expect(result.get()?.code == 0)
    #expect(result.get()?.output == "Starting fake-ksmtuned: ok")
    #expect(!contents(fake.pidFile).isEmpty, "the daemon was started")
  }

  @Test func aProgramStillRunningAtItsDeadlineIsKilledAndNamedWithItsStep() throws {
    let clock = ContinuousClock()
    let start = clock.now
    let error = #expect(throws: ProgramRunError.self) {
      try ProgramRunner.run("/bin/sleep", ["60"], step: "start ksmtuned", timeout: .seconds(1))
    }
    #expect(clock.now - start < .seconds(10))
    #expect(error?.description == "/bin/sleep (start ksmtuned) did not finish within 1 s and was killed")
  }

  @Test func aServiceCommandThatHangsIsAnErrorNamingTheCommand() throws {
    let error = #expect(throws: ServiceConfigError.self) {
      try ServiceManager.run(["/bin/sleep", "60"], timeout: .seconds(1))
    }
    #expect(error?.description == "cannot run /bin/sleep 60: it did not finish within 1 s and was killed")
  }

  /// A host command runs its program under the name it was found by: `/usr/sbin/modprobe` is a
  /// link to kmod, which refuses `kmod -c` and answers `modprobe -c` (the VM test's apply
  /// failed with "invalid command 'vhost_vsock'" when argv[0] was kmod's own path).
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/bin/kmod")))
  func aMultiCallProgramReachedThroughALinkGetsTheNameItWasFoundBy() throws {
    let root = try FixtureRoot()
    try FileManager.default.createDirectory(atPath: root.path + "/bin", withIntermediateDirectories: true)
    try FileManager.default.createDirectory(atPath: root.path + "/usr/sbin", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: "/bin/kmod", toPath: root.path + "/bin/kmod")
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/usr/sbin/modprobe", withDestinationPath: "/bin/kmod")
    try Applier.run(HostCommand(["modprobe", "-c"], role: .afterWrite), in: root.host)
    #expect(throws: HostCommandError.self) {
      try Applier.run(HostCommand(["kmod", "-c"], role: .afterWrite), in: root.host)
    }
  }

  @Test func bothStreamsAreKeptAndAProgramThatCannotStartIsNamed() throws {
    let outcome = try ProgramRunner.run(
      "/bin/sh", ["-c", "echo out; echo err >&2; exit 3"], step: "test", timeout: .seconds(30), streams: .separate)
    #expect(outcome == ProgramOutcome(status: 3, printed: "out\nerr"))
    let error = #expect(throws: ProgramRunError.self) {
      try ProgramRunner.run("/nonexistent/grub-mkconfig", [], step: "regenerate grub.cfg", timeout: .seconds(5))
    }
    #expect(
      error?.description == "cannot run /nonexistent/grub-mkconfig (regenerate grub.cfg): No such file or directory")
  }

  /// The probe below, run by the test bundle itself in a new network namespace, whose
  /// loopback interface is down. Before the runner, the first program it ran never returned.
  @Test func programsRunAndReturnWithTheLoopbackInterfaceDown() throws {
    #expect(Self.loopbackWorks(), "lo is up outside the namespace")
    guard let probe = try? ProgramRun.run("/usr/bin/unshare", ["-n", "true"]), probe.status == 0 else {
      Issue.record("unshare -n fails here: the test needs root or user namespaces")
      return
    }
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-probe-\(UUID()).log").path
    defer { try? FileManager.default.removeItem(atPath: log) }
    var environment = ProcessInfo.processInfo.environment
    environment[Self.probeVariable] = "1"
    let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    let child = try ChildProcess(
      "/usr/bin/unshare",
      [
        "unshare", "-n", bundle, "--testing-library", "swift-testing", "--filter",
        "ProgramRunnerTests/loopbackDownProbe",
      ], environment: environment, output: log)
    let status = child.wait(timeout: 90)
    if status == nil { child.stop() }
    #expect(status == 0, "the probe did not pass in 90 s with loopback down:\n\(contents(log))")
    #expect(contents(log).contains("loopbackDownProbe() passed"), "\(contents(log))")
  }

  /// The built `virthost` itself under `unshare -n`: facts, plan, check and apply of the seed
  /// example on a copy answer as with loopback (offline, no program runs: the runner's probe
  /// above covers those).
  @Test func everyCommandAnswersOnACopyWithTheLoopbackInterfaceDown() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let spec = FixtureRoot.repository.appendingPathComponent("examples/centos6-amd/host.yaml").path
    let log = (root.path as NSString).deletingLastPathComponent + "/unshare.log"
    for (arguments, expected) in [
      (["facts"], Int32(0)), (["plan", spec], 0), (["check", spec, "--format", "line"], 2), (["apply", spec], 0),
    ] {
      let child = try ChildProcess(
        "/usr/bin/unshare", ["unshare", "-n", ProgramRun.virthost] + arguments + ["--root", root.path], output: log)
      let status = child.wait(timeout: 60)
      if status == nil { child.stop() }
      #expect(status == expected, "virthost \(arguments.joined(separator: " ")) with loopback down:\n\(contents(log))")
    }
  }

  static let probeVariable = "VIRTHOST_LOOPBACK_PROBE"

  /// Whether a UDP socket bound to 127.0.0.1 can send to itself, as Foundation's run loop
  /// does with its wakeup pair: false when the loopback interface is down.
  static func loopbackWorks() -> Bool {
    let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    return withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
        guard bind(descriptor, socketAddress, length) == 0, getsockname(descriptor, socketAddress, &length) == 0
        else { return false }
        var byte: UInt8 = 1
        return sendto(descriptor, &byte, 1, 0, socketAddress, length) == 1
      }
    }
  }

  /// Runs only inside ``programsRunAndReturnWithTheLoopbackInterfaceDown()``'s namespace:
  /// a service start with a daemon that keeps its output, a generator, and a host command
  /// whose helper keeps its output.
  @Test(.enabled(if: ProcessInfo.processInfo.environment[probeVariable] == "1"))
  func loopbackDownProbe() throws {
    // The namespace's loopback interface is down: a socket on 127.0.0.1 cannot send to itself,
    // as Foundation's run loop does with its wakeup pair.
    #expect(!Self.loopbackWorks(), "lo is up in the probe's namespace")
    let fake = try FakeInitScript()
    let started = try ServiceManager.run([fake.script, "start"], timeout: .seconds(30))
    fake.stopDaemon()
    #expect(started.code == 0)
    #expect(started.output == "Starting fake-ksmtuned: ok")
    // A root made here: FixtureRoot copies with cp through Foundation's Process, which is
    // what hangs without loopback.
    let root = fake.folder + "/root"
    for folder in ["/usr/sbin", "/boot/grub2"] {
      try FileManager.default.createDirectory(atPath: root + folder, withIntermediateDirectories: true)
    }
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: root + "/boot/grub2/grub.cfg"))
    let generator = root + "/usr/sbin/grub2-mkconfig"
    try Data("#!/bin/sh\n[ \"$1\" = -o ] && echo 'menuentry new' > \"$2\"\n".utf8).write(
      to: URL(fileURLWithPath: generator))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: generator)
    try Applier.regenerate(
      Regeneration(program: "grub2-mkconfig", outputs: ["/boot/grub2/grub.cfg"]), in: HostRoot(root))
    #expect(contents(root + "/boot/grub2/grub.cfg") == "menuentry new\n")
    // A host command (an initramfs tool) whose helper outlives it with its output.
    let tool = root + "/usr/sbin/update-initramfs"
    try Data("#!/bin/sh\n(sleep 30) &\necho \"update-initramfs: $*\"\n".utf8).write(to: URL(fileURLWithPath: tool))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: tool)
    let clock = ContinuousClock()
    let start = clock.now
    try Applier.run(HostCommand(["update-initramfs", "-u", "-k", "all"], role: .afterWrite), in: HostRoot(root))
    #expect(clock.now - start < .seconds(20), "the command waited for its helper's output")
  }
}

import Foundation
import HostProcesses
import RootFS
import TestSupport
import Testing

@testable import KSMTuner

@Suite struct HostReadingTests {
  @Test(arguments: [
    (["qemu-kvm", "-m", "1024"], true),
    (["/usr/libexec/qemu-kvm", "-S", "-M", "rhel6.0.0"], true),
    (["qemu-system-x86_64", "-enable-kvm", "-m", "512"], true),
    (["/usr/bin/qemu-system-x86_64", "--enable-kvm"], true),
    (["/usr/bin/qemu-system-x86_64", "-accel", "kvm"], true),
    (["/usr/bin/qemu-system-aarch64", "-accel", "kvm,kernel-irqchip=on"], true),
    (["qemu-system-x86_64", "-machine", "pc-q35-8.2,accel=kvm,usb=off"], true),
    (["qemu-system-x86_64", "-M", "pc,accel=kvm:tcg"], true),
    (["qemu-system-x86_64", "-machine", "pc,accel=tcg"], false),
    (["qemu-system-x86_64", "-accel", "tcg", "-m", "512"], false),
    (["qemu-system-x86_64", "-name", "enable-kvm"], false),
    (["/usr/bin/qemu-img", "convert", "-enable-kvm"], false),
    (["bash", "-c", "qemu-system-x86_64 -enable-kvm"], false),
    ([], false),
  ])
  func recognisesKVMGuestsByProgramAndAccelerator(_ arguments: [String], _ isGuest: Bool) {
    #expect(KVMGuests.isKVMGuest(arguments: arguments) == isGuest)
  }

  /// A fixture /proc: two KVM guests count; a TCG guest, other programs, a
  /// kernel thread (empty cmdline) and a zombie (no VmRSS) do not.
  @Test func committedMemoryIsTheSummedResidentMemoryOfTheKVMGuests() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    try Self.process(root, 101, ["/usr/libexec/qemu-kvm", "-name", "web"], rss: 1_000_000)
    try Self.process(root, 102, ["/usr/bin/qemu-system-x86_64", "-enable-kvm", "-name", "db"], rss: 234_567)
    try Self.process(root, 103, ["/usr/bin/qemu-system-x86_64", "-machine", "accel=tcg"], rss: 50_000)
    try Self.process(root, 104, ["/usr/sbin/sshd", "-D"], rss: 4_000)
    try Self.process(root, 2, [], rss: nil)
    try Self.process(root, 105, ["/usr/libexec/qemu-kvm", "-name", "gone"], rss: nil)
    try root.write("/proc/self/cmdline", "/usr/libexec/qemu-kvm\0")
    let host = try HostRoot(root.path)
    #expect(KVMGuests.committedMemory(root: host) == 1_234_567)
  }

  @Test(
    arguments: [
      ("qemu-kvm", QEMUProgram.kvm),
      ("/usr/libexec/qemu-kvm", .kvm),
      ("/usr/libexec/qemu-kvm//", .kvm),
      ("qemu-system-x86_64", .system),
      ("/usr/bin/qemu-system-aarch64", .system),
      ("qemu-system-", .system),
      ("qemu-system", nil),
      ("qemu-img", nil),
      ("qemu-kvm-wrapper", nil),
      ("/usr/libexec/qemu-kvm/qemu", nil),
      ("xqemu-kvm", nil),
      ("qemu-system-x86", .system),
      ("/", nil),
      ("", nil),
    ] as [(String, QEMUProgram?)])
  func theProgramIsTheLastComponentOfTheFirstArgument(_ program: String, _ qemu: QEMUProgram?) {
    #expect(QEMUProgram.named(program.utf8) == qemu)
    // The prefilter of the /proc scan and the full judgement agree on the program.
    #expect(KVMGuests.isKVMGuest(arguments: [program, "-enable-kvm"]) == (qemu != nil))
    #expect(KVMGuests.isKVMGuest(arguments: [program]) == (qemu == .kvm))
  }

  /// The selection is by the command line, as `pgrep -f` in Debian's ksmtuned:
  /// the process name in `comm` (the executable's file name, cut to 15 bytes)
  /// does not decide, whether it looks like a QEMU or not.
  @Test func theProcessNameInCommDoesNotDecide() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    try Self.process(root, 301, ["qemu-system-x86_64", "-enable-kvm"], rss: 1_000, comm: "perl")
    try Self.process(root, 302, ["/usr/bin/qemu-system-x86_64", "-accel", "kvm"], rss: 20_000, comm: "qemu-system-x86")
    try Self.process(root, 303, ["/usr/bin/python3", "-enable-kvm"], rss: 300_000, comm: "qemu-system-x86")
    try Self.process(root, 304, ["/usr/libexec/qemu-kvm"], rss: 4_000_000, comm: "qemu:guest1")
    let host = try HostRoot(root.path)
    #expect(KVMGuests.committedMemory(root: host) == 4_021_000)
  }

  /// A program path longer than the scan's first read of a command line, a
  /// command line of 200 kB whose accelerator comes last, and command lines
  /// without NUL (rewritten by their process) are judged on all their bytes.
  @Test func longProgramPathsAndLongCommandLinesAreReadToTheEnd() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let deep = "/" + String(repeating: "d", count: 3_000)
    try Self.process(root, 201, [deep + "/qemu-kvm", "-m", "512"], rss: 1)
    let devices = (0..<10_000).flatMap { ["-device", "virtio-blk-\($0)"] }
    try Self.process(root, 202, ["/usr/bin/qemu-system-x86_64"] + devices + ["-enable-kvm"], rss: 20)
    try Self.process(root, 203, [deep + "/qemu-img", "-enable-kvm"], rss: 300)
    try Self.process(root, 204, ["/usr/bin/qemu-system-x86_64"] + devices, rss: 4_000)
    try root.write("/proc/205/cmdline", "/usr/libexec/qemu-kvm")
    try root.write("/proc/205/status", "VmRSS:\t50000 kB\n")
    try root.write("/proc/206/cmdline", "sshd: root@pts/0 qemu-kvm")
    try root.write("/proc/206/status", "VmRSS:\t600000 kB\n")
    let host = try HostRoot(root.path)
    #expect(KVMGuests.committedMemory(root: host) == 50_021)
  }

  /// A process whose program is not a QEMU is ruled out by the first read of
  /// its command line: neither the rest of it nor its status is read. Here
  /// both are pipes the test holds open, so any further read would wait for
  /// data that never comes (the test then closes them and fails).
  @Test func aProcessThatIsNotAQEMUIsRuledOutByTheFirstReadOfItsCommandLine() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    try Self.process(root, 101, ["/usr/libexec/qemu-kvm", "-name", "web"], rss: 1_000)
    try FileManager.default.createDirectory(atPath: root.path + "/proc/300", withIntermediateDirectories: true)
    var pipes: [Int32] = []
    defer { for fd in pipes { close(fd) } }
    for file in ["cmdline", "status"] {
      let path = root.path + "/proc/300/" + file
      try #require(mkfifo(path, 0o600) == 0)
      let fd = open(path, O_RDWR | O_CLOEXEC)  // a writer, so the scan's open returns at once
      try #require(fd >= 0)
      pipes.append(fd)
    }
    let cmdline = Array("/usr/bin/python3\0-c\0import time; time.sleep(9)\0".utf8)
    try #require(write(pipes[0], cmdline, cmdline.count) == cmdline.count)
    let host = try HostRoot(root.path)
    let scan = Scan()
    DispatchQueue.global().async {
      scan.committed = KVMGuests.committedMemory(root: host)
      scan.done.signal()
    }
    let finished = scan.done.wait(timeout: .now() + 10) == .success
    if !finished {
      for fd in pipes { close(fd) }  // the end of the file for the blocked read
      pipes = []
      scan.done.wait()
    }
    #expect(finished, "the scan read past the first read of a python3 command line, or its status")
    #expect(scan.committed == 1_000)
  }

  /// The result of a scan run on another thread.
  private final class Scan: @unchecked Sendable {
    // @unchecked: `committed` is written once before `done` is signalled and read only after waiting on it.
    var committed: Int?
    let done = DispatchSemaphore(value: 0)
  }

  /// Writes a fixture process: its `cmdline` (NUL-terminated arguments), its
  /// `status` with `VmRSS` when `rss` is given, and its `comm` when given.
  private static func process(
    _ root: FixtureRoot, _ pid: Int, _ arguments: [String], rss: Int?, comm: String? = nil
  ) throws {
    try root.write("/proc/\(pid)/cmdline", arguments.isEmpty ? "" : arguments.joined(separator: "\0") + "\0")
    try root.write(
      "/proc/\(pid)/status",
      "Name:\t\(comm ?? "x")\n" + (rss.map { "VmRSS:\t  \($0) kB\n" } ?? "") + "Threads:\t1\n")
    if let comm { try root.write("/proc/\(pid)/comm", comm + "\n") }
  }

  @Test(
    arguments: [
      ("15874952", 15_874_952), ("-50", -50), ("+7", 7), ("0", 0), ("9223372036854775807", Int.max),
      ("9223372036854775808", nil), ("", nil), ("-", nil), (" 5", nil), ("5 ", nil), ("0x10", nil),
      ("1_000", nil), ("\u{FF11}", nil),
    ] as [(String, Int?)])
  func decimalNumbersAreOptionallySignedASCIIDigitsThatFitAnInt(_ text: String, _ value: Int?) {
    #expect(Int(decimal: text.utf8) == value)
  }

  @Test func freeMemoryIsMemFreeBuffersAndCachedButNotSwapCached() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let host = try HostRoot(root.path)
    let seed = try #require(MemInfo.read(root: host))
    #expect(seed == MemInfo(total: 15_874_952, free: 11_160_236 + 98_452 + 383_112))
    #expect(MemInfo(Array("MemTotal: 100 kB\nSwapCached: 5 kB\n".utf8)) == MemInfo(total: 100, free: nil))
    // Fields are split at spaces only; a line whose first field is not a number
    // counts for nothing; a later MemTotal replaces an earlier one.
    let odd = "MemTotal:\t100 kB\nMemTotal: 90 kB\nMemFree: x kB\nBuffers:\nCached:  +7 kB\nMemFreeX: 1 kB"
    #expect(MemInfo(Array(odd.utf8)) == MemInfo(total: 90, free: 7))
    // A planted root's values that overflow when summed wrap as the shell's would: no trap.
    let huge = "MemTotal: 1 kB\nMemFree: 9223372036854775807 kB\nCached: 1 kB\n"
    #expect(MemInfo(Array(huge.utf8)) == MemInfo(total: 1, free: Int.min))
  }

  @Test func debugDatesAreInBinDatesDefaultForm() throws {
    let date = Process()
    date.executableURL = URL(fileURLWithPath: "/bin/date")
    date.arguments = ["-d", "@1312318312"]
    date.environment = ["LC_ALL": "C"].merging(ProcessInfo.processInfo.environment.filter { $0.key == "TZ" }) { a, _ in
      a
    }
    let pipe = Pipe()
    date.standardOutput = pipe
    try date.run()
    let expected = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    date.waitUntilExit()
    #expect(DebugLog.date(1_312_318_312) + "\n" == expected)
  }
}

extension MemInfo {
  fileprivate init(total: Int?, free: Int?) {
    self.init([UInt8]())
    self.total = total
    self.free = free
  }
}

import Foundation
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
    func process(_ pid: Int, _ arguments: [String], rss: Int?) throws {
      try root.write("/proc/\(pid)/cmdline", arguments.isEmpty ? "" : arguments.joined(separator: "\0") + "\0")
      try root.write("/proc/\(pid)/status", "Name:\tx\n" + (rss.map { "VmRSS:\t  \($0) kB\n" } ?? "") + "Threads:\t1\n")
    }
    try process(101, ["/usr/libexec/qemu-kvm", "-name", "web"], rss: 1_000_000)
    try process(102, ["/usr/bin/qemu-system-x86_64", "-enable-kvm", "-name", "db"], rss: 234_567)
    try process(103, ["/usr/bin/qemu-system-x86_64", "-machine", "accel=tcg"], rss: 50_000)
    try process(104, ["/usr/sbin/sshd", "-D"], rss: 4_000)
    try process(2, [], rss: nil)
    try process(105, ["/usr/libexec/qemu-kvm", "-name", "gone"], rss: nil)
    try root.write("/proc/self/cmdline", "/usr/libexec/qemu-kvm\0")
    let host = try #require(HostRoot(root.path))
    #expect(KVMGuests.committedMemory(root: host) == 1_234_567)
  }

  @Test func freeMemoryIsMemFreeBuffersAndCachedButNotSwapCached() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let host = try #require(HostRoot(root.path))
    let seed = try #require(MemInfo.read(root: host))
    #expect(seed == MemInfo(total: 15_874_952, free: 11_160_236 + 98_452 + 383_112))
    #expect(MemInfo(Array("MemTotal: 100 kB\nSwapCached: 5 kB\n".utf8)) == MemInfo(total: 100, free: nil))
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

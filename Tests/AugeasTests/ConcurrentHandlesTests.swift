import Foundation
import Synchronization
import TestSupport
import Testing

@testable import Augeas

/// libaugeas sets glibc's process-wide `re_syntax_options` around every regular expression
/// it compiles (src/regexp.c) and puts the old value back after: two handles compiling at
/// the same time in two threads compile with each other's syntax, or with the default one,
/// and their lenses then parse and render otherwise. virthost serializes its libaugeas
/// calls (``AugeasCalls``), so trees in different threads (parallel tests, any future
/// concurrent caller) give what one tree alone gives. The race is a window of a few
/// instructions: without the lock this test fails only rarely (it did not in 8 runs here);
/// a GoldenTests run in parallel with other suites once rendered a second plan otherwise.
@Suite struct ConcurrentHandlesTests {
  @Test func treesInManyThreadsGiveWhatOneTreeGives() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let path = root.path
    let transforms = [
      Transform(lens: "Grub.lns", includes: ["/boot/grub/menu.lst"]),
      Transform(lens: "Shellvars.lns", includes: ["/etc/ksmtuned.conf"]),
    ]
    @Sendable func render() throws -> String {
      let tree = try AugeasTree(root: path, transforms: transforms)
      try tree.set("/files/boot/grub/menu.lst/title[1]/kernel/amd_iommu", "on")
      try tree.set("/files/etc/ksmtuned.conf/KSM_MONITOR_INTERVAL", "30")
      // libaugeas frees a lens's compiled expressions after each put: every preview compiles them again.
      var files = ""
      for _ in 0..<3 {
        files += try tree.preview(file: "/boot/grub/menu.lst") + tree.preview(file: "/etc/ksmtuned.conf")
      }
      try tree.parseText("ro quiet iommu=pt", lens: "Cmdline.lns", into: "/cmdline")
      return files + (try tree.children(of: "/cmdline").map(\.label).joined(separator: " "))
    }
    let expected = try render()
    let results = Mutex<[String]>([])
    DispatchQueue.concurrentPerform(iterations: 24) { _ in
      let text = (try? render()) ?? "failed"
      results.withLock { $0.append(text) }
    }
    let all = results.withLock { $0 }
    #expect(all.count == 24)
    #expect(all.filter { $0 != expected }.count == 0)
    withExtendedLifetime(root) {}
  }
}

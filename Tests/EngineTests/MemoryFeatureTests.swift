import Foundation
import TestSupport
import Testing

@testable import Engine

/// Issue 30, item 5: `memory: {transparent_hugepages: ...}` built as a feature of its own:
/// the kernel argument for every boot and the running kernel's mode, read from the file
/// that lists every mode with the current one in brackets.
@Suite struct MemoryFeatureTests {
  static let spec = "memory:\n  transparent_hugepages: madvise\n"
  static let file = MemoryFeature.enabledFile

  private func host(running mode: String = "[always] madvise never") throws -> ExampleHost {
    let host = try ExampleHost("gpu-passthrough")
    try host.root.write(Self.file, mode + "\n")
    return host
  }

  @Test func theArgumentAndTheRunningModeArePlanned() throws {
    let host = try host()
    let plan = try host.plan(Self.spec)
    let kernel = try #require(plan.changes.first { $0.address.kind == .kernelArgs })
    #expect(kernel.after == "transparent_hugepage=madvise" && kernel.origin == "memory.transparent_hugepages")
    let live = try #require(plan.changes.first { $0.address == ResourceAddress(.sysfs, Self.file) })
    #expect(live.before == "always" && live.after == "madvise")
    #expect(live.operations == [.writeLive(LiveWrite(path: Self.file, value: "madvise"))])
  }

  @Test func theModeTheKernelRunsIsInSync() throws {
    let host = try host(running: "always [madvise] never")
    let plan = try host.plan(Self.spec)
    let live = try #require(plan.changes.first { $0.address == ResourceAddress(.sysfs, Self.file) })
    #expect(!live.isChange && live.before == "madvise")
  }

  @Test func anotherValueOnTheCommandLineIsReplaced() throws {
    let host = try host()
    let grub = try String(contentsOfFile: host.root.path + "/etc/default/grub", encoding: .utf8)
    try host.root.write(
      "/etc/default/grub",
      grub.replacingOccurrences(
        of: "GRUB_CMDLINE_LINUX=\"\"", with: "GRUB_CMDLINE_LINUX=\"transparent_hugepage=never\""))
    let plan = try host.plan(Self.spec)
    let kernel = try #require(plan.changes.first { $0.address.kind == .kernelArgs })
    #expect(kernel.before == "transparent_hugepage=never" && kernel.after == "transparent_hugepage=madvise")
  }

  /// The kernel refuses `[always] madvise never` written back: rollback restores the bracketed choice.
  @Test func rollbackWritesBackTheChoiceThatRan() throws {
    let host = try host()
    _ = try host.engine.apply(try host.plan(Self.spec))
    #expect(try host.root.text(Self.file) == "madvise\n")
    _ = try host.engine.rollback()
    #expect(try host.root.text(Self.file) == "always\n")
  }

  @Test func anUnknownModeIsRefusedAtItsLine() throws {
    let error = #expect(throws: SpecError.self) {
      try SpecParser.parse("memory:\n  transparent_hugepages: sometimes\n", file: "h.yaml")
    }
    #expect(error?.diagnostics.map { $0.location?.description ?? "-" } == ["h.yaml:2:26"])
    #expect(error?.diagnostics.first?.keyPath == "memory.transparent_hugepages")
  }
}

import Foundation
import RootFS
import TestSupport
import Testing

@testable import Engine

/// The fast path covers every read: after a converged apply, each file the full plan
/// reads (in the traced providers and while host.yaml is expanded: tuned, irqbalance,
/// systemd's files, the page sizes, the next kernel, /proc and /sys) is changed, then
/// removed, one at a time, and the plan that stands on the trace must say what the plan that reads every
/// file says; likewise a name added to each folder the full plan lists. A read outside the
/// recorder and the facts digest would let the trace outlive a change of it.
@Suite struct FastPathPropertyTests {
  /// Every read the full plan makes of the root, the traced providers' and the others.
  private static func everyRead(_ host: ExampleHost, spec: String) throws -> [ReadTrace.Record] {
    var planner = host.engine.planner
    planner.usesTrace = false
    planner.recordsTrace = true
    let recorder = ReadRecorder(root: host.root.host)
    let plan = try recorder.recording { Result { try planner.plan(specText: spec, specFile: "host.yaml") } }.get()
    let traced = plan.trace?.reads.records ?? []
    return (recorder.trace.records + traced).filter { !$0.probe.description.contains("/var/lib/virthost") }
  }

  @Test(arguments: ConvergedTraceTests.examples) func everyFileTheFullPlanReadsChangedOneAtATimeKeepsFastEqualToFull(
    _ name: String
  ) throws {
    let host = try ExampleHost(name)
    guard try ConvergedTraceTests.converge(host) else { return }
    try Self.mutateEveryRead(host, spec: host.specText)
  }

  /// A GRUB legacy host (its apply converges offline: no boot loader to regenerate) with
  /// the two-node example's CPUs and memory, tuned's profile active, `hugepages:` and
  /// `cpu.isolated`: the keys whose expansion reads tuned, the CPUs, the page sizes and
  /// the next kernel outside the traced providers. The trace was kept while tuned's
  /// profile changed under it (a converged plan while `--no-cache` added isolcpus).
  @Test func aConvergedHostWithTunedHugePagesAndCPUIsolationKeepsFastEqualToFull() throws {
    let host = try ExampleHost("centos6-amd")
    let twoNodes = FixtureRoot.repository.appendingPathComponent("examples/numa-pinned/root").path
    for entry in [
      "sys/devices/system/cpu", "sys/devices/system/node", "sys/kernel/mm/hugepages", "proc/meminfo", "proc/cpuinfo",
      "proc/sys/kernel/numa_balancing", "proc/sys/vm/nr_hugepages",
    ] {
      let target = host.root.path + "/" + entry
      try? FileManager.default.removeItem(atPath: target)
      try FileManager.default.createDirectory(
        atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
      try FileManager.default.copyItem(atPath: twoNodes + "/" + entry, toPath: target)
    }
    try host.root.write("/etc/tuned/active_profile", "virtual-host\n")
    try host.root.write(
      "/etc/tuned/bootcmdline", "TUNED_BOOT_CMDLINE=\"isolcpus=1-3,5-7 nohz_full=1-3,5-7 rcu_nocbs=1-3,5-7\"\n")
    let spec =
      host.specText + "hugepages:\n  size: 2M\n  count: 512\ncpu:\n  isolated: \"1-3,5-7\"\n"
      + "sysctl:\n  kernel.numa_balancing: 0\n"
    let report = try host.engine.apply(try host.plan(spec))
    #expect(report.pendingRegeneration == nil)
    #expect(host.root.host.isFile(ConvergedTrace.path), "the apply converged and kept a trace")
    try Self.mutateEveryRead(host, spec: spec)
  }

  /// Changes each file the full plan of `spec` reads, one at a time, and adds a name to
  /// each folder it lists; after each, the fast and full plans must agree.
  private static func mutateEveryRead(_ host: ExampleHost, spec: String) throws {
    let name = host.name
    #expect(try ConvergedTraceTests.agree(host, spec: spec, "converged"))
    let reads = try Self.everyRead(host, spec: spec)
    var files = Set<String>()
    var folders = Set<String>()
    for record in reads {
      switch record.probe {
      case .read(let path) where record.answer.hasPrefix("sha256:"): files.insert(path)
      case .list(let path, _) where record.answer.hasPrefix("names:"): folders.insert(path)
      default: continue
      }
    }
    #expect(files.count > 3, "\(name): the full plan reads files")
    var random = SeededGenerator(label: "FastPathPropertyTests.\(name)")
    for file in files.sorted() {
      let url = try ConvergedTraceTests.inside(host, file)
      guard let original = try? Data(contentsOf: url),
        let mode = try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions]
      else { continue }
      var changed = original.isEmpty ? Data("0\n".utf8) : original
      if !original.isEmpty {
        let offset = Int(random.next() % UInt64(changed.count))
        changed[offset] = changed[offset] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
      }
      try changed.write(to: url)
      try ConvergedTraceTests.agree(host, spec: spec, "\(file) changed")
      try FileManager.default.removeItem(at: url)
      try ConvergedTraceTests.agree(host, spec: spec, "\(file) removed")
      try original.write(to: url)
      try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }
    for folder in folders.sorted() {
      let added = try ConvergedTraceTests.inside(host, folder).appendingPathComponent("zz-virthost-probe.conf")
      guard (try? Data("# added by a test\n".utf8).write(to: added)) != nil else { continue }
      try ConvergedTraceTests.agree(host, spec: spec, "a file added to \(folder)")
      try FileManager.default.removeItem(at: added)
    }
    #expect(try ConvergedTraceTests.agree(host, spec: spec, "every file back"))
  }
}

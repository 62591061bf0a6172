import Foundation
import TestSupport
import Testing

@testable import Engine

/// `kvm:` on the gpu-passthrough example's Intel host: the options file, the live value beside
/// the configured one, and what outranks the file.
@Suite struct KVMOptionsTests {
  private func plan(_ yaml: String, _ prepare: (FixtureRoot) throws -> Void = { _ in }) throws -> Plan {
    let host = try ExampleHost("gpu-passthrough")
    try prepare(host.root)
    return try host.engine.plan(specText: yaml, specFile: "host.yaml")
  }

  @Test func nestedAndOptionsAreWrittenForTheCPUVendorsModule() throws {
    let plan = try plan(
      "kvm:\n  nested: true\n  options:\n    kvm: {ignore_msrs: 1}\n    kvm_intel: {enable_apicv: Y}\n")
    let change = try #require(plan.changes.first { $0.origin == "kvm" })
    #expect(change.address.description == "file[\"/etc/modprobe.d/virthost-kvm.conf\"]")
    #expect(
      change.before
        == "kvm_intel.nested=unset (live N) kvm.ignore_msrs=unset (live N) kvm_intel.enable_apicv=unset (live Y)")
    #expect(
      String(decoding: change.files.first?.after ?? Data(), as: UTF8.self)
        == "# KVM module options, written by virthost.\noptions kvm ignore_msrs=1\n"
        + "options kvm_intel nested=1 enable_apicv=Y\n")
    #expect(
      plan.diagnostics.filter { $0.code == .moduleReload }.map { "\($0.location?.description ?? "-"): \($0.summary)" }
        == [
          "host.yaml:1:1: kvm_intel.nested is N in the running module and 1 in the file: it takes effect when the "
            + "host loads kvm_intel (at its next boot)",
          "host.yaml:1:1: kvm.ignore_msrs is N in the running module and 1 in the file: it takes effect when the "
            + "host loads kvm (at its next boot)",
        ])
  }

  /// After apply the running module lacks the option: pending (a reload or the next boot
  /// applies it) while the host has not booted since the file was written; once it has
  /// (`btime` of /proc/stat after the file's time) and the module still says N, the effect
  /// differs: `check` says drifted, not OK.
  @Test func aModuleStillWithoutItsOptionAfterTheBootIsAnEffectThatDiffers() throws {
    let host = try ExampleHost("gpu-passthrough")
    let spec = "kvm:\n  nested: true\n"
    _ = try host.engine.apply(try host.engine.plan(specText: spec, specFile: "host.yaml"))
    let written = try #require(host.root.host.status("/etc/modprobe.d/virthost-kvm.conf")?.modified) / 1_000_000_000
    func codes() throws -> [String] {
      try host.engine.plan(specText: spec, specFile: "host.yaml").diagnostics.filter {
        $0.code == .moduleReload || $0.code == .effectDiffers
      }.map { "\($0.code.rawValue) \($0.code.contribution): \($0.summary)" }
    }
    try host.root.write("/proc/stat", "cpu  1 2 3 4\nbtime \(written - 60)\n")
    #expect(
      try codes() == [
        "module-reload pending: kvm_intel.nested is N in the running module and 1 in the file: it takes effect "
          + "when the host loads kvm_intel (at its next boot)"
      ])
    try host.root.write("/proc/stat", "cpu  1 2 3 4\nbtime \(written + 60)\n")
    #expect(
      try codes() == [
        "effect-differs drifted: kvm_intel.nested is N in the running module (/sys/module/kvm_intel/parameters), "
          + "though /etc/modprobe.d/virthost-kvm.conf has 1 since before the host booted"
      ])
  }

  @Test func theOtherVendorsModuleIsRefused() throws {
    let plan = try plan("kvm:\n  options:\n    kvm_amd: {avic: 1}\n")
    #expect(
      plan.diagnostics.filter { $0.severity == .error }.map { "\($0.location?.description ?? "-"): \($0.summary)" } == [
        "host.yaml:3:5: kvm_amd is the module of AMD CPUs; this CPU's is kvm_intel"
      ])
  }

  @Test func aLaterFileAndTheCommandLineOutrankTheFile() throws {
    let plan = try plan("kvm:\n  nested: true\n") { root in
      try root.write("/etc/modprobe.d/zz-nested.conf", "options kvm-intel nested=0\n")
      try root.write(
        "/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-28-amd64 root=/dev/nvme0n1p2 ro kvm_intel.nested=0\n")
    }
    #expect(
      plan.diagnostics.filter { $0.code == .moduleConfigConflict }.map(\.summary) == [
        "/etc/modprobe.d/zz-nested.conf sets kvm_intel.nested=0 and is read after /etc/modprobe.d/virthost-kvm.conf: "
          + "its value wins",
        "the kernel command line has kvm_intel.nested=0, which wins over /etc/modprobe.d/virthost-kvm.conf's 1",
      ])
  }

  /// tuned's realtime-virtual-host profile writes `/etc/modprobe.d/kvm.rt.tuned.conf`
  /// (`kvmclock_periodic_sync`, `ple_gap`): another owner of kvm options, read before
  /// virthost's file, so virthost's value wins at the load and tuned's next apply may write
  /// its own again; the option in agreement is not reported.
  @Test func tunedsRealtimeFileIsAnotherOwnerOfKVMOptions() throws {
    let plan = try plan("kvm:\n  options:\n    kvm: {kvmclock_periodic_sync: 0}\n    kvm_intel: {ple_gap: 128}\n") {
      root in
      try root.write(
        "/etc/modprobe.d/kvm.rt.tuned.conf", "options kvm kvmclock_periodic_sync=0\noptions kvm_intel ple_gap=0\n")
    }
    #expect(!plan.hasErrors)
    #expect(
      plan.diagnostics.filter { $0.code == .moduleConfigConflict }.map(\.summary) == [
        "/etc/modprobe.d/kvm.rt.tuned.conf sets kvm_intel.ple_gap=0 (tuned's realtime-virtual-host profile); "
          + "/etc/modprobe.d/virthost-kvm.conf is read after it, and its 128 wins"
      ])
  }
}

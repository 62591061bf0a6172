import Editors
import Foundation
import TestSupport
import Testing

@testable import Commands
@testable import Engine

/// Plans on the boot-loader family fixtures of `Tests/BootLoaderTests/Fixtures`:
/// what the plan says, in its diagnostics and its renderers, beyond the planned bytes.
@Suite struct BootLoaderFamilyPlanTests {
  static let fixtures = "Tests/BootLoaderTests/Fixtures"

  /// Plans `spec` on a copy of the fixture `family`'s root.
  static func plan(_ family: String, _ spec: String, edit: ((FixtureRoot) throws -> Void)? = nil) throws -> (
    Plan, FixtureRoot
  ) {
    let root = try FixtureRoot("\(fixtures)/\(family)/root")
    try edit?(root)
    let planner = Planner(root: root.host)
    return (try planner.plan(specText: spec, specFile: "host.yaml"), root)
  }

  // Case 7: grubby's semantics remove the admin's other values of a requested key; the
  // plan shows each one on a line of its own, as a warning every renderer shows.
  @Test func everyValueRemovedWithoutBeingAskedIsAWarningOfItsOwn() throws {
    let (plan, _) = try Self.plan(
      "legacy-multi", "kernel:\n  args:\n    present: [amd_iommu=on, intel_iommu=on]\n"
    ) { root in
      let file = "/boot/grub/grub.conf"
      var text = try root.text(file)
      text = text.replacingOccurrences(
        of: "console=tty0 console=ttyS0,115200 rhgb quiet",
        with:
          "console=tty0 console=ttyS0,115200 rhgb quiet amd_iommu=off amd_iommu=fullflush intel_iommu=on intel_iommu=igfx_off"
      )
      try root.write(file, text)
    }
    let removals = plan.diagnostics.filter { $0.code == .removedKernelArgumentValue }
    let entry = "in /boot/grub/grub.conf, entry 'CentOS (2.6.32-754.35.1.el6.x86_64)'"
    #expect(
      removals.map(\.summary) == [
        "- kernel argument amd_iommu=off (replaced by amd_iommu=on) \(entry)",
        "- kernel argument amd_iommu=fullflush (replaced by amd_iommu=on) \(entry)",
        "- kernel argument intel_iommu=igfx_off (replaced by intel_iommu=on) \(entry)",
      ])
    #expect(removals.allSatisfy { $0.severity == .warning })
    let text = PlanTextRenderer().render(plan)
    let markdown = PlanMarkdownRenderer().render(plan)
    let json = PlanDocument(plan).json()
    for removal in removals {
      #expect(text.contains("warning: " + removal.summary + "\n"))
      #expect(markdown.contains(removal.summary))
      #expect(json.contains(removal.summary))
    }
  }

  @Test func aRequestThatRemovesNothingElseWarnsOfNothing() throws {
    let (plan, _) = try Self.plan("legacy-multi", "kernel:\n  args:\n    present: [amd_iommu=on]\n")
    #expect(plan.hasChanges)
    #expect(!plan.diagnostics.contains { $0.code == .removedKernelArgumentValue })
  }
}

extension BootLoaderFamilyPlanTests {
  // Case 4: on a Xen dom0 the argument goes on the module line, and the plan says that the
  // IOMMU there is the hypervisor's.
  @Test func xenDom0IOMMUArgumentIsReportedAsTheHypervisorsBusiness() throws {
    let (plan, _) = try Self.plan("xen-dom0-legacy", "kernel:\n  args:\n    present: [amd_iommu=on]\n")
    #expect(
      plan.diagnostics.filter { $0.code == .xenDom0Argument }.map(\.summary) == [
        "amd_iommu=on on the dom0 of 'CentOS (2.6.18-419.el5xen)' (/boot/grub/grub.conf) is ineffective: under Xen the IOMMU is the hypervisor's; set iommu= on its line (kernel /xen.gz-2.6.18-419.el5)"
      ])
  }
}

extension BootLoaderFamilyPlanTests {
  /// An engine for `root`, running the live-host commands when `live` (the programs are the
  /// root's own stand-ins, which only record their arguments).
  static func engine(_ root: FixtureRoot, live: Bool = false) -> Engine {
    Engine(planner: Planner(root: root.host), lockWait: .milliseconds(200), runsCommands: live)
  }

  /// A stand-in for `program` under the root's /usr/sbin that writes its arguments, one a
  /// line, to `/usr/sbin/<program>.args` beside itself, and touches nothing else.
  static func standIn(_ program: String, in root: FixtureRoot) throws {
    try root.writeRecordingProgram("/usr/sbin/" + program)
  }

  // Case 5 and What to build 3: tuned's argument is satisfied with a note; its profile's
  // KSM stop is a conflict naming both owners.
  @Test func tunedOwnsItsArgumentsAndItsKSMStopIsAConflict() throws {
    let spec = "ksm:\n  enabled: true\nkernel:\n  args:\n    present: [transparent_hugepage=never]\n"
    let (plan, _) = try Self.plan("rocky9-tuned", spec)
    #expect(!plan.changes.contains { $0.address.kind == .kernelArgs && $0.isChange })
    let owner = "tuned profile kvm-host-hugepages (/etc/tuned/bootcmdline, /boot/grub2/grubenv)"
    #expect(
      plan.diagnostics.filter { $0.code == .tunedOwnsArgument }.map(\.summary) == [
        "transparent_hugepage=never is set by \(owner): virthost adds nothing"
      ])
    #expect(
      plan.diagnostics.filter { $0.code == .tunedConflict }.map(\.summary) == [
        "tuned profile kvm-host-hugepages (/etc/tuned/kvm-host-hugepages/tuned.conf) stops KSM (/sys/kernel/mm/ksm/run=0), but virthost's ksm.enabled: true starts it"
      ])
  }

  // Case 6 end to end: offline, the rendered grubenv block is written (1024 bytes, what
  // grub-editenv writes) with /etc/default/grub; a second plan is empty.
  @Test func rhel8OfflineApplyWritesTheGrubenvBlockAndConverges() throws {
    let spec = "kernel:\n  args:\n    present: [amd_iommu=on]\n"
    let (plan, root) = try Self.plan("rhel8", spec)
    #expect(plan.fileOperations.map(\.path) == ["/boot/grub2/grubenv", "/etc/default/grub", "/boot/grub2/grub.cfg"])
    #expect(
      PlanTextRenderer().render(plan).contains(
        "update /boot/grub2/grubenv  (live host: by grub2-editenv /boot/grub2/grubenv set 'kernelopts=root="))
    _ = try Self.engine(root).apply(plan)
    let block = try root.bytes("/boot/grub2/grubenv")
    #expect(block.count == 1024)
    #expect(String(decoding: block, as: UTF8.self).contains("rhgb quiet amd_iommu=on \n"))
    #expect(!(try Planner(root: root.host).plan(specText: spec, specFile: "host.yaml").hasChanges))
  }

  // On the live host grub2-editenv sets kernelopts; virthost does not write grubenv itself.
  // The stand-in records its arguments and runs the real grub-editenv on the root's copy.
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/grub-editenv")))
  func onTheLiveHostGrub2EditenvSetsKernelopts() throws {
    let spec = "kernel:\n  args:\n    present: [amd_iommu=on]\n"
    let (plan, root) = try Self.plan("rhel8", spec)
    try Self.standIn("grub2-editenv", in: root)
    let script = root.path + "/usr/sbin/grub2-editenv"
    let recorder = try String(contentsOfFile: script, encoding: .utf8)
    try
      (recorder
      + "top=$(cd \"$(dirname \"$0\")/../..\" && pwd)\nfile=$1\nshift\nexec /usr/bin/grub-editenv \"$top$file\" \"$@\"\n")
      .write(toFile: script, atomically: false, encoding: .utf8)
    let planned = try #require(plan.fileOperations.first { $0.path == "/boot/grub2/grubenv" }?.after)
    let report = try Self.engine(root, live: true).apply(plan)
    #expect(
      report.applied.first
        == "run grub2-editenv /boot/grub2/grubenv set 'kernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet amd_iommu=on ' (write /boot/grub2/grubenv)"
    )
    #expect(
      try root.text("/usr/sbin/grub2-editenv.args")
        == "/boot/grub2/grubenv\nset\nkernelopts=root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet amd_iommu=on \n"
    )
    #expect(try root.bytes("/boot/grub2/grubenv") == planned, "grub-editenv wrote the bytes the plan showed")
  }

  // Proxmox: only /etc/kernel/cmdline; offline, proxmox-boot-tool refresh is pending; live, it runs.
  @Test func proxmoxWritesKernelCmdlineThenRefreshesOrReportsPending() throws {
    let spec = "kernel:\n  args:\n    present: [amd_iommu=on]\n"
    let (plan, root) = try Self.plan("proxmox-systemd-boot", spec)
    #expect(plan.fileOperations.map(\.path) == ["/etc/kernel/cmdline"])
    let report = try Self.engine(root).apply(plan)
    #expect(
      report.skipped == [
        "run proxmox-boot-tool refresh: the root is not /; pending: run `proxmox-boot-tool refresh` on the host itself"
      ])
    #expect(try root.text("/etc/kernel/cmdline") == "root=ZFS=rpool/ROOT/pve-1 boot=zfs amd_iommu=on\n")
    #expect(report.pendingCommands == [HostCommand(["proxmox-boot-tool", "refresh"], role: .afterWrite)])

    let (live, liveRoot) = try Self.plan("proxmox-systemd-boot", spec)
    try Self.standIn("proxmox-boot-tool", in: liveRoot)
    let liveReport = try Self.engine(liveRoot, live: true).apply(live)
    #expect(liveReport.applied == ["write /etc/kernel/cmdline", "run proxmox-boot-tool refresh"])
    #expect(try liveRoot.text("/usr/sbin/proxmox-boot-tool.args") == "refresh\n")
  }
}

extension BootLoaderFamilyPlanTests {
  // What to build 2 (BLS): the default entry alone gets the argument; kernels installed
  // later are built from /etc/kernel/cmdline, which lacks it: a coverage warning.
  @Test func anArgumentOnTodaysEntryButNotTheNextKernelsIsACoverageWarning() throws {
    let (plan, _) = try Self.plan("bls-rhel9", "kernel:\n  entries: default\n  args:\n    present: [amd_iommu=on]\n")
    #expect(
      plan.diagnostics.filter { $0.code == .kernelArgumentCoverage }.map(\.summary) == [
        "amd_iommu=on reaches today's entries but not the next kernel's: /etc/kernel/cmdline lacks it"
      ])
    let (all, _) = try Self.plan("bls-rhel9", "kernel:\n  args:\n    present: [amd_iommu=on]\n")
    #expect(!all.diagnostics.contains { $0.code == .kernelArgumentCoverage })
  }
}

extension BootLoaderFamilyPlanTests {
  // `virthost apply` on an offline Proxmox root: the file is written, the refresh is
  // pending, and the exit status says so (3: neither converged nor failed).
  @Test func applyExitsPendingWhenTheRefreshIsLeftToTheHost() throws {
    let root = try FixtureRoot("\(Self.fixtures)/proxmox-systemd-boot/root")
    let spec = root.path + "/../host.yaml"
    try "kernel:\n  args:\n    present: [amd_iommu=on]\n".write(toFile: spec, atomically: true, encoding: .utf8)
    let run = try ProgramRun.virthost(["apply", spec, "--root", root.path])
    #expect(run.status == 3, "\(run.transcript)")
    #expect(run.output.hasSuffix("pending: run proxmox-boot-tool refresh on the host itself\n"), "\(run.transcript)")
    #expect(try root.text("/etc/kernel/cmdline") == "root=ZFS=rpool/ROOT/pve-1 boot=zfs amd_iommu=on\n")
  }
}

import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// `$tuned_params` kept as an opaque token and tuned's arguments
/// owned by tuned (case 5, rocky9-tuned), `options $kernelopts` edited in grubenv (case 6,
/// rhel8), Proxmox's `/etc/kernel/cmdline` (proxmox-systemd-boot) and a kernel-install host
/// without `/etc/kernel/cmdline`.
@Suite struct BLSFamilyTests {
  static let rocky = fixtures + "/rocky9-tuned/root"
  static let rhel8 = fixtures + "/rhel8/root"
  static let proxmox = fixtures + "/proxmox-systemd-boot/root"
  static let rhel9 = fixtures + "/bls-rhel9/root"

  static func request(_ entries: EntrySelection, _ present: [String], _ absent: [String] = []) throws
    -> KernelArgsRequest
  {
    KernelArgsRequest(entries: entries, present: try present.map(args), absent: try absent.map(args))
  }

  static func args(_ text: String) throws -> KernelArgument { try KernelArgument(parsing: text) }

  static func plan(_ fixture: String, _ request: KernelArgsRequest, edit: ((FixtureRoot) throws -> Void)? = nil)
    throws -> ([FileChange], FixtureRoot)
  {
    try planChanges(fixture, request, edit: edit)
  }

  // MARK: case 5, tuned

  static let rockyEntries = "/boot/loader/entries/3e9d7c5b1a2f4e6d8c0b9a7f5e3d1c2b-"
  static let rockyOptions =
    "options root=/dev/mapper/rl-root ro crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M resume=/dev/mapper/rl-swap rd.lvm.lv=rl/root rd.lvm.lv=rl/swap"

  @Test func tunedParamsStaysLastAndNewArgumentsGoBeforeIt() throws {
    let (changes, root) = try Self.plan(Self.rocky, try Self.request(.all, ["amd_iommu=on"]))
    let kernels = ["5.14.0-427.13.1.el9_4.x86_64.conf", "5.14.0-362.8.1.el9_3.x86_64.conf"].map {
      Self.rockyEntries + $0
    }
    let rescue = Self.rockyEntries + "0-rescue.conf"
    #expect(changes.map(\.path).sorted() == ([rescue, "/etc/kernel/cmdline"] + kernels).sorted())
    for file in kernels {
      let expected = try root.text(file).replacingOccurrences(
        of: Self.rockyOptions + " $tuned_params\n", with: Self.rockyOptions + " amd_iommu=on $tuned_params\n")
      #expect(changes.first { $0.path == file }?.after == expected, "\(file)")
    }
    let expectedRescue = try root.text(rescue).replacingOccurrences(
      of: Self.rockyOptions + "\n", with: Self.rockyOptions + " amd_iommu=on\n")
    #expect(changes.first { $0.path == rescue }?.after == expectedRescue)
    #expect(
      changes.first { $0.path == "/etc/kernel/cmdline" }?.after
        == (try root.text("/etc/kernel/cmdline")).replacingOccurrences(of: "rl/swap\n", with: "rl/swap amd_iommu=on\n"))
    #expect(!changes.contains { $0.path.hasPrefix("/etc/tuned") || $0.path.hasSuffix("grubenv") })
  }

  @Test func anArgumentTunedSetsIsSatisfiedAndNotDuplicated() throws {
    let (changes, _) = try Self.plan(Self.rocky, try Self.request(.all, ["transparent_hugepage=never"]))
    #expect(changes.isEmpty)
    let copy = try FixtureRoot(Self.rocky)
    let entries = try BootLoaderEditor(root: copy.path).entries()
    let newest = try #require(entries.first)
    #expect(
      newest.arguments.suffix(4).map(\.description) == [
        "default_hugepagesz=1G", "hugepagesz=1G", "hugepages=16", "transparent_hugepage=never",
      ])
  }

  @Test(arguments: [(["transparent_hugepage=always"], [String]()), ([], ["hugepages"])])
  func contradictingTunedIsRefusedNamingBothOwners(_ present: [String], _ absent: [String]) throws {
    let error = #expect(throws: EditorError.self) {
      _ = try Self.plan(Self.rocky, try Self.request(.all, present, absent))
    }
    let owner = "tuned profile kvm-host-hugepages (/etc/tuned/bootcmdline, /boot/grub2/grubenv)"
    let expected =
      present.isEmpty
      ? "kernel argument 'hugepages' is to be absent (virthost), but \(owner) sets 'hugepages=16': virthost does not edit tuned's arguments; change the profile or the desired state"
      : "kernel argument 'transparent_hugepage=always' (virthost) conflicts with 'transparent_hugepage=never', which \(owner) sets: virthost does not edit tuned's arguments; change the profile or the desired state"
    #expect(error?.description == expected)
  }

  @Test func tunedIsReadFromItsFiles() throws {
    let root = try FixtureRoot(Self.rocky)
    let tuned = try #require(try Tuned.read(root.host, tunedParams: nil))
    #expect(tuned.profile == "kvm-host-hugepages")
    #expect(
      tuned.arguments.map(\.description) == [
        "default_hugepagesz=1G", "hugepagesz=1G", "hugepages=16", "transparent_hugepage=never",
      ])
    #expect(tuned.ksmDisabledBy == "/etc/tuned/kvm-host-hugepages/tuned.conf")
    try root.write("/etc/tuned/active_profile", "")
    #expect(try Tuned.read(root.host, tunedParams: nil) == nil)
  }

  // MARK: case 6, $kernelopts

  static let kernelopts =
    "root=/dev/mapper/rhel-root ro crashkernel=auto resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet"

  @Test func kerneloptsIsEditedInGrubenvAndGrubCmdlineLinuxInStep() throws {
    let (changes, root) = try Self.plan(Self.rhel8, try Self.request(.all, ["amd_iommu=on", "iommu=pt"]))
    #expect(changes.map(\.path) == ["/boot/grub2/grubenv", "/etc/default/grub", "/boot/grub2/grub.cfg"])
    // The edited value keeps the blank grub2-mkconfig leaves at its end.
    let value = Self.kernelopts + " amd_iommu=on iommu=pt "
    // grub.cfg's fallback, used when grubenv has no kernelopts, says the same.
    #expect(
      changes.last?.after
        == (try root.text("/boot/grub2/grub.cfg")).replacingOccurrences(
          of: "  set kernelopts=\"\(Self.kernelopts) \"\n", with: "  set kernelopts=\"\(value)\"\n"))
    let grubenv = try #require(changes.first)
    #expect(grubenv.before == (try root.text("/boot/grub2/grubenv")))
    #expect(grubenv.after?.utf8.count == 1024)
    #expect(
      grubenv.command
        == HostCommand(["grub2-editenv", "/boot/grub2/grubenv", "set", "kernelopts=\(value)"], role: .insteadOfWrite))
    // grub-editenv, given the same value, writes the same block.
    if FileManager.default.isExecutableFile(atPath: GrubEnvTests.editenv) {
      let run = try ProgramRun.run(
        GrubEnvTests.editenv, [root.path + "/boot/grub2/grubenv", "set", "kernelopts=\(value)"])
      #expect(run.status == 0)
      #expect(grubenv.after == (try root.text("/boot/grub2/grubenv")))
    }
    let defaults = try root.text("/etc/default/grub").replacingOccurrences(
      of: "rhel/swap rhgb quiet\"", with: "rhel/swap rhgb quiet amd_iommu=on iommu=pt\"")
    #expect(changes[1].after == defaults)
  }

  @Test func aKerneloptsThatWouldNotFitIsRefusedAndNothingIsWritten() throws {
    let long = (0..<60).map { "virthost_padding_\($0)=1" }
    let root = try FixtureRoot(Self.rhel8)
    let before = try root.snapshot()
    let error = #expect(throws: EditorError.self) {
      let editor = try BootLoaderEditor(root: root.path)
      try editor.ensure(try Self.request(.all, long))
      _ = try editor.pendingChanges()
    }
    // What is left of the block after its variables, less what the request adds.
    let padding = try GrubEnvTests.block().rendered().utf8.reversed().prefix { $0 == UInt8(ascii: "#") }.count
    let added = long.map { $0.utf8.count + 1 }.reduce(0, +)
    let needed = 1024 - padding + added
    #expect(
      error?.description
        == "/boot/grub2/grubenv: grubenv would need \(needed) bytes (1024 available): kernelopts does not fit; nothing is truncated, shorten the value or remove other variables"
    )
    #expect(try root.snapshot() == before)
  }

  @Test func theDefaultEntryAloneCannotChangeASharedKernelopts() throws {
    let error = #expect(throws: EditorError.self) {
      _ = try Self.plan(Self.rhel8, try Self.request(.default, ["amd_iommu=on"]))
    }
    #expect(
      error?.description
        == "/boot/grub2/grubenv: the default entry takes its arguments from $kernelopts in grubenv, which every entry shares: select all entries"
    )
  }

  @Test func kerneloptsEntriesReportGrubenvsArguments() throws {
    let copy = try FixtureRoot(Self.rhel8)
    let entries = try BootLoaderEditor(root: copy.path).entries()
    #expect(entries.count == 2)
    #expect(entries.allSatisfy { $0.arguments.map(\.description).joined(separator: " ") == Self.kernelopts })
  }

  // MARK: Proxmox and kernel-install

  @Test func proxmoxIsSystemdBootAndOnlyKernelCmdlineIsWrittenThenRefreshed() throws {
    let root = try FixtureRoot(Self.proxmox)
    #expect(try BootLoaderKind.detect(in: root.host) == .bls)
    for selection in EntrySelection.allCases {
      let (changes, _) = try Self.plan(Self.proxmox, try Self.request(selection, ["amd_iommu=on"]))
      var expected = FileChange(
        path: "/etc/kernel/cmdline", before: "root=ZFS=rpool/ROOT/pve-1 boot=zfs\n",
        after: "root=ZFS=rpool/ROOT/pve-1 boot=zfs amd_iommu=on\n")
      expected.command = HostCommand(["proxmox-boot-tool", "refresh"], role: .afterWrite)
      #expect(changes == [expected], "\(selection)")
    }
  }

  @Test func aKernelInstallHostWithoutKernelCmdlineGetsOne() throws {
    let (changes, root) = try Self.plan(Self.rhel9, try Self.request(.all, ["amd_iommu=on"])) { root in
      try FileManager.default.removeItem(atPath: root.path + "/etc/kernel/cmdline")
      try FileManager.default.createDirectory(atPath: root.path + "/usr/bin", withIntermediateDirectories: true)
      try root.write("/usr/bin/kernel-install", "#!/bin/sh\n")
    }
    let created = try #require(changes.first { $0.path == "/etc/kernel/cmdline" })
    #expect(created.before == nil)
    #expect(
      created.after
        == "root=/dev/mapper/rhel-root ro crashkernel=1G-4G:192M,4G-64G:256M,64G-:512M resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap rhgb quiet amd_iommu=on\n"
    )
    _ = root
  }
}

import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// Issue 34, Proxmox VE: the boot loader `proxmox-boot-tool` runs on each ESP (GRUB when it
/// holds `EFI/proxmox/grubx64.efi` or the host is booted with legacy BIOS, else
/// systemd-boot), and in GRUB mode the edit of `/etc/default/grub` with
/// `proxmox-boot-tool refresh` as the regeneration (fixtures `proxmox-grub`,
/// `proxmox-systemd-boot`).
@Suite struct ProxmoxModeTests {
  static let grub = fixtures + "/proxmox-grub/root"
  static let systemdBoot = fixtures + "/proxmox-systemd-boot/root"
  static let espA = "/var/tmp/espmounts/4A2C-77E1"
  static let espB = "/var/tmp/espmounts/4A2C-8B03"
  static let iommu = KernelArgsRequest(
    entries: .all, present: [try! KernelArgument(parsing: "amd_iommu=on")], absent: [])

  // MARK: the mode per ESP

  @Test func anESPWithGrubx64IsGRUBAndTheHostIsGRUB2() throws {
    let root = try FixtureRoot(Self.grub)
    let proxmox = try #require(ProxmoxBoot.read(root.host))
    #expect(
      proxmox.esps == [
        ProxmoxBoot.ESP(
          uuid: "4A2C-77E1", line: 1, mode: .grub, decidedBy: "\(Self.espA) holds EFI/proxmox/grubx64.efi"),
        ProxmoxBoot.ESP(
          uuid: "4A2C-8B03", line: 2, mode: .grub, decidedBy: "\(Self.espB) holds EFI/proxmox/grubx64.efi"),
      ])
    #expect(try BootLoaderKind.detect(in: root.host) == .grub2)
  }

  @Test func anESPWithLoaderConfAndNoGrubFolderIsSystemdBoot() throws {
    let root = try FixtureRoot(Self.systemdBoot)
    let proxmox = try #require(ProxmoxBoot.read(root.host))
    #expect(proxmox.esps.map(\.mode) == [.systemdBoot, .systemdBoot])
    #expect(
      proxmox.esps[0].decidedBy
        == "/var/tmp/espmounts/7D5C-1E32 holds loader/loader.conf and no grub folder")
    #expect(try BootLoaderKind.detect(in: root.host) == .bls)
  }

  @Test func withoutTheESPsUnderTheRootTheModeIsRefusedNamingTheLineAndHowToShowThem() throws {
    let root = try FixtureRoot(Self.grub)
    try FileManager.default.removeItem(atPath: root.path + "/var/tmp/espmounts")
    #expect {
      try BootLoaderKind.detect(in: root.host)
    } throws: { error in
      (error as? ConfigFileError)?.description
        == "/etc/kernel/proxmox-boot-uuids:1: cannot tell whether proxmox-boot-tool boots this ESP with GRUB or "
        + "systemd-boot: ESP 4A2C-77E1: its contents are not under the root at /var/tmp/espmounts/4A2C-77E1; "
        + "mount it read-only at /var/tmp/espmounts/4A2C-77E1 under the root "
        + "(mount -o ro /dev/disk/by-uuid/4A2C-77E1 …) so that virthost can read it, "
        + "or set boot.proxmox_mode (grub or systemd-boot) in host.yaml"
    }
    #expect(throws: (any Error).self) { try BootLoaderEditor(root: root.host) }
  }

  @Test func mixedModesAreRefusedNamingEachESP() throws {
    let root = try FixtureRoot(Self.grub)
    try FileManager.default.removeItem(atPath: root.path + Self.espB + "/EFI/proxmox/grubx64.efi")
    try FileManager.default.removeItem(atPath: root.path + Self.espB + "/grub")
    try FileManager.default.createDirectory(
      atPath: root.path + Self.espB + "/loader", withIntermediateDirectories: true)
    try root.write(Self.espB + "/loader/loader.conf", "timeout 3\ndefault proxmox-*\n")
    #expect {
      try BootLoaderKind.detect(in: root.host)
    } throws: { error in
      (error as? ConfigFileError)?.description
        == "/etc/kernel/proxmox-boot-uuids:2: the ESPs boot with different boot loaders (4A2C-77E1 grub, "
        + "4A2C-8B03 systemd-boot): GRUB reads /etc/default/grub, systemd-boot /etc/kernel/cmdline, and "
        + "virthost edits one; make them the same (proxmox-boot-tool init DEVICE [grub])"
    }
  }

  @Test func systemdBootModeWithoutKernelCmdlineIsRefusedNotTakenForGRUB() throws {
    let root = try FixtureRoot(Self.systemdBoot)
    try FileManager.default.removeItem(atPath: root.path + "/etc/kernel/cmdline")
    #expect {
      try BootLoaderKind.detect(in: root.host)
    } throws: { error in
      (error as? ConfigFileError)?.description
        == "/etc/kernel/cmdline: not found, but proxmox-boot-tool boots the ESPs with systemd-boot "
        + "(/var/tmp/espmounts/7D5C-1E32 holds loader/loader.conf and no grub folder) and takes their command "
        + "line from it (else from the running kernel's /proc/cmdline): create it with the command line the host "
        + "boots with"
    }
  }

  @Test func anESPListThatIsNotTextIsAnErrorWithItsLine() throws {
    let root = try FixtureRoot(Self.grub)
    try root.write("/etc/kernel/proxmox-boot-uuids", "4A2C-77E1\n4A2C-\u{0}8B03\n")
    #expect {
      try BootLoaderKind.detect(in: root.host)
    } throws: { error in
      let error = error as? ConfigFileError
      return error?.file == "/etc/kernel/proxmox-boot-uuids" && error?.line == 2
    }
  }

  // MARK: the live host's `proxmox-boot-tool status`

  static let statusUEFI = """
    Re-executing '/usr/sbin/proxmox-boot-tool' in new private mount namespace..
    System currently booted with uefi
    4A2C-77E1 is configured with: grub (versions: 6.8.12-4-pve, 6.8.8-2-pve)
    4A2C-8B03 is configured with: uefi (versions: 6.8.12-4-pve, 6.8.8-2-pve), grub (versions: 6.8.12-4-pve)
    """

  @Test func theStatusDecidesWhereItTellsAndSaysWhyWhereItCannot() throws {
    let root = try FixtureRoot(Self.grub)
    try FileManager.default.removeItem(atPath: root.path + "/var/tmp/espmounts")
    let uefi = try #require(ProxmoxBoot.read(root.host, status: ProxmoxBootStatus(output: Self.statusUEFI)))
    #expect(uefi.esps[0].mode == .grub)
    #expect(uefi.esps[0].decidedBy == "proxmox-boot-tool status holds a grub folder and no loader/loader.conf")
    #expect(uefi.esps[1].mode == nil)
    #expect(
      uefi.esps[1].decidedBy
        == "ESP 4A2C-8B03: proxmox-boot-tool status holds both loader/loader.conf and grub, and whether it holds "
        + "EFI/proxmox/grubx64.efi is not known")

    let bios = "System currently booted with legacy bios\n4A2C-77E1 is configured with: uefi (versions: 6.8.12-4-pve)\n"
    let legacy = try #require(ProxmoxBoot.read(root.host, status: ProxmoxBootStatus(output: bios)))
    #expect(legacy.esps.map(\.mode) == [.grub, .grub])
    #expect(legacy.esps[1].decidedBy == "the host is booted with legacy BIOS (proxmox-boot-tool status)")
    #expect(try legacy.mode() == .grub)

    let onlyUEFI = "System currently booted with uefi\n4A2C-77E1 is configured with: uefi (versions: 6.8.12-4-pve)\n"
    let systemd = try #require(ProxmoxBoot.read(root.host, status: ProxmoxBootStatus(output: onlyUEFI)))
    #expect(systemd.esps[0].mode == .systemdBoot)
    #expect(systemd.esps[1].mode == nil)
    #expect(systemd.esps[1].decidedBy == "ESP 4A2C-8B03: proxmox-boot-tool status says nothing of it")
  }

  @Test func theESPsContentsUnderTheRootWinOverTheStatus() throws {
    let root = try FixtureRoot(Self.grub)
    let status = ProxmoxBootStatus(output: Self.statusUEFI)
    let proxmox = try #require(ProxmoxBoot.read(root.host, status: status))
    #expect(proxmox.esps.map(\.mode) == [.grub, .grub])
    #expect(proxmox.esps[1].decidedBy == "\(Self.espB) holds EFI/proxmox/grubx64.efi")
  }

  // MARK: GRUB mode: /etc/default/grub, proxmox-boot-tool refresh, the ESPs' grub.cfg

  @Test func grubModeEditsEtcDefaultGrubNeverKernelCmdlineAndRegeneratesWithTheRefresh() throws {
    let (changes, root) = try planChanges(Self.grub, Self.iommu)
    #expect(changes.map(\.path) == ["/etc/default/grub"])
    #expect(
      changes.first?.after
        == (try root.text("/etc/default/grub")).replacingOccurrences(
          of: "GRUB_CMDLINE_LINUX=\"root=ZFS=rpool/ROOT/pve-1 boot=zfs\"",
          with: "GRUB_CMDLINE_LINUX=\"root=ZFS=rpool/ROOT/pve-1 boot=zfs amd_iommu=on\""))
    #expect(changes.first?.command == nil)
    let editor = try BootLoaderEditor(root: root.host)
    try editor.ensure(Self.iommu)
    let regeneration = try #require(editor.regeneration())
    #expect(
      regeneration
        == Regeneration(
          program: "proxmox-boot-tool", outputs: [Self.espA + "/grub/grub.cfg", Self.espB + "/grub/grub.cfg"],
          invocation: .writesOutputs(arguments: ["refresh"])))
    #expect(regeneration.command == ["proxmox-boot-tool", "refresh"])
  }

  @Test func pendingRegenerationIsJudgedFromEachESPsGrubCfg() throws {
    let root = try FixtureRoot(Self.grub)
    let defaults = try root.text("/etc/default/grub")
    try root.write(
      "/etc/default/grub", defaults.replacingOccurrences(of: "boot=zfs\"", with: "boot=zfs amd_iommu=on\""))
    let editor = try BootLoaderEditor(root: root.host)
    try editor.ensure(Self.iommu)
    #expect(try editor.pendingChanges().isEmpty)
    let stale = editor.staleGeneratedLines(comparing: ["amd_iommu"])
    #expect(stale.count == 10, "5 Linux lines on each ESP")
    #expect(
      stale.first == "\(Self.espA)/grub/grub.cfg:119 (normal entries) has none of them; the defaults give amd_iommu=on")
    #expect(stale.filter { $0.hasPrefix(Self.espB) }.count == 5)
    #expect(editor.unreadGeneratedConfigurations().isEmpty)
  }

  @Test func anESPWhoseGrubCfgIsNotUnderTheRootIsUnknownWithTheReason() throws {
    let root = try FixtureRoot(Self.grub)
    try FileManager.default.removeItem(atPath: root.path + Self.espB + "/grub/grub.cfg")
    let editor = try BootLoaderEditor(root: root.host)
    #expect(
      editor.unreadGeneratedConfigurations() == [
        "\(Self.espB)/grub/grub.cfg (ESP 4A2C-8B03) is not under the root: proxmox-boot-tool mounts the ESP only while it runs"
      ])
  }

  @Test func theNextBootIsReadFromTheFirstESPsGrubCfg() throws {
    let root = try FixtureRoot(Self.grub)
    guard case .found(let next) = NextBootEntry.read(root.host) else {
      Issue.record("no next boot entry")
      return
    }
    #expect(next.file == Self.espA + "/grub/grub.cfg")
    #expect(next.kernel == "6.8.12-4-pve")
  }

  @Test func grubRebootOnTheESPIsFollowedNotTheRootsGrubenv() throws {
    let root = try FixtureRoot(Self.grub)
    func block(_ variables: String) -> String {
      let text = "# GRUB Environment Block\n" + variables
      return text + String(repeating: "#", count: 1024 - text.utf8.count)
    }
    try root.write(Self.espA + "/grub/grubenv", block("next_entry=1>2\n"))
    try FileManager.default.createDirectory(atPath: root.path + "/boot/grub", withIntermediateDirectories: true)
    try root.write("/boot/grub/grubenv", block("next_entry=1>0\n"))
    guard case .found(let next) = NextBootEntry.read(root.host) else {
      Issue.record("no next boot entry")
      return
    }
    #expect(next.kernel == "6.8.8-2-pve")
    #expect(next.decidedBy == "next_entry=1>2 in \(Self.espA)/grub/grubenv (one boot only)")
  }
}

import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// The entry the boot loader starts next, read from the files each boot loader reads,
/// made by the real tools (see Fixtures/next-boot/README.md): grub-mkconfig, grub-reboot,
/// grub-set-default, kernel-install's 90-loaderentry.install.
@Suite struct NextBootEntryTests {
  static let nextBoot = fixtures + "/next-boot"
  static let uuid = "0d3b7f7e-1c2a-4b6e-9f3a-2a1b0c9d8e7f"
  static let machineID = "5e0b2f0c8a5d4c3b9a1f2e3d4c5b6a79"

  static func entry(_ root: FixtureRoot) throws -> NextBootEntry {
    switch NextBootEntry.read(root.host) {
    case .found(let entry): return entry
    case .unknown(let reason): throw Unknown(reason: reason)
    }
  }

  static func reason(_ root: FixtureRoot) -> String? {
    if case .unknown(let reason) = NextBootEntry.read(root.host) { return reason }
    return nil
  }

  struct Unknown: Error { var reason: String }

  @Test(arguments: [
    ("grub-default-0", "6.12.9+bpo-amd64", "Debian GNU/Linux", "GRUB_DEFAULT=0 (/boot/grub/grub.cfg line 19)"),
    (
      "grub-default-submenu", "6.1.0-28-amd64", "Debian GNU/Linux, with Linux 6.1.0-28-amd64",
      "GRUB_DEFAULT=1>2 (/boot/grub/grub.cfg line 19)"
    ),
    (
      "grub-default-title", "6.1.0-28-amd64", "Debian GNU/Linux, with Linux 6.1.0-28-amd64",
      "GRUB_DEFAULT=Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux 6.1.0-28-amd64 (/boot/grub/grub.cfg line 19)"
    ),
    (
      "grub-default-saved", "6.1.0-28-amd64", "Debian GNU/Linux, with Linux 6.1.0-28-amd64",
      "GRUB_DEFAULT=saved, saved_entry=gnulinux-advanced-\(uuid)>gnulinux-6.1.0-28-amd64-advanced-\(uuid) in /boot/grub/grubenv"
    ),
    (
      "grub-next-entry", "6.1.0-28-amd64", "Debian GNU/Linux, with Linux 6.1.0-28-amd64",
      "next_entry=1>2 in /boot/grub/grubenv (one boot only)"
    ),
  ])
  func grub2FollowsItsDefaultNotTheNewestKernel(_ name: String, _ kernel: String, _ title: String, _ decider: String)
    throws
  {
    let root = try FixtureRoot("\(Self.nextBoot)/\(name)/root")
    let entry = try Self.entry(root)
    #expect(entry.kernel == kernel)
    #expect(entry.title == title)
    #expect(entry.image == .linux)
    #expect(entry.file == "/boot/grub/grub.cfg")
    #expect(entry.decidedBy == decider)
  }

  @Test func aDefaultNamingTheSubmenuIsUnknownWithTheReason() throws {
    let root = try FixtureRoot("\(Self.nextBoot)/grub-default-submenu-only/root")
    #expect(
      Self.reason(root)
        == "/boot/grub/grub.cfg: the default \"1\" names the submenu \"Advanced options for Debian GNU/Linux\", not an entry: GRUB opens it (GRUB_DEFAULT=1 (/boot/grub/grub.cfg line 19))"
    )
  }

  @Test func aDefaultNamingNoEntryIsUnknown() throws {
    let root = try FixtureRoot("\(Self.nextBoot)/grub-default-0/root")
    let cfg = try root.text("/boot/grub/grub.cfg").replacingOccurrences(
      of: "set default=\"0\"", with: "set default=\"7\"")
    try root.write("/boot/grub/grub.cfg", cfg)
    #expect(Self.reason(root)?.hasPrefix("/boot/grub/grub.cfg: the default \"7\" names no menu entry") == true)
  }

  @Test func withoutAGeneratedMenuGrub2IsUnknown() throws {
    let root = try FixtureRoot("\(Self.nextBoot)/grub-default-0/root")
    try FileManager.default.removeItem(atPath: root.path + "/boot/grub/grub.cfg")
    #expect(Self.reason(root)?.hasPrefix("no generated grub.cfg") == true)
  }

  @Test func grubLegacyFollowsDefaultAndSavedefault() throws {
    let root = try FixtureRoot(fixtures + "/legacy-multi/root")
    var entry = try Self.entry(root)
    #expect(entry.kernel == "2.6.32-642.el6.x86_64")
    #expect(entry.title == "CentOS (2.6.32-642.el6.x86_64)")
    #expect(entry.decidedBy == "default 2 in /boot/grub/grub.conf")
    for file in ["/boot/grub/grub.conf", "/boot/grub/menu.lst"] {
      try root.write(file, try root.text(file).replacingOccurrences(of: "default=2", with: "default=saved"))
    }
    try root.write("/boot/grub/default", "1\n#\n")
    entry = try Self.entry(root)
    #expect(entry.kernel == "2.6.32-696.30.1.el6.x86_64")
    #expect(entry.decidedBy == "default saved in /boot/grub/grub.conf: 1 in /boot/grub/default")
  }

  @Test func blsUnderGrubFollowsSavedEntry() throws {
    let root = try FixtureRoot(fixtures + "/bls-rhel9/root")
    let entry = try Self.entry(root)
    #expect(entry.kernel == "5.14.0-70.13.1.el9_0.x86_64")
    #expect(entry.title == "Red Hat Enterprise Linux (5.14.0-70.13.1.el9_0.x86_64) 9.0 (Plow)")
    #expect(
      entry.decidedBy
        == "GRUB_DEFAULT=saved, saved_entry=5f1c2e3d4b5a69788796a5b4c3d2e1f0-5.14.0-70.13.1.el9_0.x86_64 in /boot/grub2/grubenv"
    )
  }

  @Test func systemdBootStartsTheFirstEntryInItsOrder() throws {
    let root = try FixtureRoot("\(Self.nextBoot)/systemd-boot/root")
    let entry = try Self.entry(root)
    // Both entries have `sort-key debian` and one machine id: the newest version first.
    #expect(entry.kernel == "6.12.9+bpo-amd64")
    #expect(entry.file == "/boot/efi/loader/entries/\(Self.machineID)-6.12.9+bpo-amd64.conf")
    #expect(entry.decidedBy == "no default set: the first entry in systemd-boot's order")
  }

  @Test func systemdBootFollowsLoaderConfThenItsEFIVariables() throws {
    let root = try FixtureRoot("\(Self.nextBoot)/systemd-boot/root")
    try root.write("/boot/efi/loader/loader.conf", "timeout 3\ndefault *-6.1.0-28-amd64.conf\n")
    var entry = try Self.entry(root)
    #expect(entry.kernel == "6.1.0-28-amd64")
    #expect(entry.decidedBy == "default *-6.1.0-28-amd64.conf in /boot/efi/loader/loader.conf")
    // `bootctl set-default` wins over loader.conf, `bootctl set-oneshot` over both.
    let vars = "/sys/firmware/efi/efivars"
    try FileManager.default.createDirectory(atPath: root.path + vars, withIntermediateDirectories: true)
    let newest = "\(Self.machineID)-6.12.9+bpo-amd64.conf"
    try Self.efiVariable(newest).write(to: root.url("\(vars)/LoaderEntryDefault-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"))
    entry = try Self.entry(root)
    #expect(entry.kernel == "6.12.9+bpo-amd64")
    #expect(entry.decidedBy == "LoaderEntryDefault=\(newest) (EFI variable, bootctl set-default)")
    let older = "\(Self.machineID)-6.1.0-28-amd64.conf"
    try Self.efiVariable(older).write(to: root.url("\(vars)/LoaderEntryOneShot-4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"))
    entry = try Self.entry(root)
    #expect(entry.kernel == "6.1.0-28-amd64")
    #expect(entry.decidedBy == "LoaderEntryOneShot=\(older) (EFI variable, one boot only)")
  }

  @Test func aUnifiedKernelImageIsNamedAsSuch() throws {
    let root = try FixtureRoot("\(Self.nextBoot)/systemd-boot/root")
    try FileManager.default.createDirectory(
      atPath: root.path + "/boot/efi/EFI/Linux", withIntermediateDirectories: true)
    try root.write("/boot/efi/EFI/Linux/debian-6.13.0-uki.efi", "")
    try root.write("/boot/efi/loader/loader.conf", "default debian-*.efi\n")
    let entry = try Self.entry(root)
    #expect(entry.image == .uki)
    #expect(entry.kernel == nil)
    #expect(entry.file == "/boot/efi/EFI/Linux/debian-6.13.0-uki.efi")
  }

  /// An EFI variable's bytes as efivarfs shows them: 4 bytes of attributes, UTF-16LE, NUL.
  static func efiVariable(_ text: String) -> Data {
    var bytes: [UInt8] = [0x06, 0, 0, 0]
    for unit in text.utf16 + [0] { bytes += [UInt8(unit & 0xff), UInt8(unit >> 8)] }
    return Data(bytes)
  }

  @Test func versionsSortAsSystemdSortsThem() {
    let versions = ["6.1.0-28", "6.12.9", "6.1.0-9", "6.1.0~rc1", "6.1.0"]
    #expect(
      versions.sorted { VersionOrder.compare($0, $1) < 0 } == [
        "6.1.0~rc1", "6.1.0", "6.1.0-9", "6.1.0-28", "6.12.9",
      ])
  }
}

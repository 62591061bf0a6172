import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// Issue 34, Proxmox VE: an ESP whose contents are not under the root is read through a
/// ``ProxmoxESPReader``: on the live host its partition mounted read-only in a private folder
/// under `/run/virthost` (``ProxmoxESPMounter``), in a test the fixture's ESP folders, and,
/// where this machine can loop-mount, a real ext4 image of an ESP's contents.
@Suite struct ProxmoxESPMountTests {
  static let uuids = ["4A2C-77E1", "4A2C-8B03"]

  /// The `proxmox-grub` fixture with its ESPs moved out of the root into `esps/UUID` beside
  /// it, as on a host where proxmox-boot-tool has them unmounted.
  static func rootWithoutESPs() throws -> (FixtureRoot, esps: String) {
    let root = try FixtureRoot(ProxmoxModeTests.grub)
    let esps = (root.path as NSString).deletingLastPathComponent + "/esps"
    try FileManager.default.moveItem(atPath: root.path + ProxmoxBoot.mountRoot, toPath: esps)
    return (root, esps)
  }

  @Test func theESPsReadElsewhereDecideTheModeAndGiveTheirGrubCfg() throws {
    let (root, esps) = try Self.rootWithoutESPs()
    let reader = ProxmoxESPFolders(Dictionary(uniqueKeysWithValues: Self.uuids.map { ($0, esps + "/" + $0) }))
    let proxmox = try #require(ProxmoxBoot.read(root.host, esps: reader))
    #expect(
      proxmox.esps == [
        ProxmoxBoot.ESP(
          uuid: "4A2C-77E1", line: 1, mode: .grub, decidedBy: "\(esps)/4A2C-77E1 holds EFI/proxmox/grubx64.efi"),
        ProxmoxBoot.ESP(
          uuid: "4A2C-8B03", line: 2, mode: .grub, decidedBy: "\(esps)/4A2C-8B03 holds EFI/proxmox/grubx64.efi"),
      ])
    #expect(try proxmox.mode() == .grub)
    let config = try String(contentsOfFile: esps + "/4A2C-77E1/grub/grub.cfg", encoding: .utf8)
    #expect(proxmox.readGrubConfigs == ["4A2C-77E1": config, "4A2C-8B03": config])

    // The grub.cfg files read off the root are the generated ones "pending regeneration"
    // compares, named where the tool mounts them; none is unread.
    let locations = Grub2GeneratedConfig.locations(in: root.host, esps: reader)
    #expect(locations.files.isEmpty)
    #expect(locations.unread.isEmpty)
    #expect(locations.readOffRoot.map(\.file) == Self.uuids.map(ProxmoxBoot.grubConfig(of:)))
    #expect(locations.readOffRoot.map(\.text) == [config, config])
  }

  @Test func anESPThatCannotBeReadIsRefusedWithWhy() throws {
    let (root, esps) = try Self.rootWithoutESPs()
    let reader = ProxmoxESPFolders(["4A2C-77E1": esps + "/4A2C-77E1"])
    let proxmox = try #require(ProxmoxBoot.read(root.host, esps: reader))
    #expect(proxmox.esps.map(\.mode) == [.grub, nil])
    #expect {
      try proxmox.mode()
    } throws: { error in
      (error as? ConfigFileError)?.description
        == "/etc/kernel/proxmox-boot-uuids:2: cannot tell whether proxmox-boot-tool boots this ESP with GRUB or "
        + "systemd-boot: ESP 4A2C-8B03: its contents are not under the root at /var/tmp/espmounts/4A2C-8B03; "
        + "no folder holds ESP 4A2C-8B03; mount it read-only at /var/tmp/espmounts/4A2C-8B03 under the root "
        + "(mount -o ro /dev/disk/by-uuid/4A2C-8B03 …) so that virthost can read it, "
        + "or set boot.proxmox_mode (grub or systemd-boot) in host.yaml"
    }
  }

  @Test func onAnotherRootNothingIsMountedWithoutAReader() throws {
    let (root, _) = try Self.rootWithoutESPs()
    let proxmox = try #require(ProxmoxBoot.read(root.host))
    #expect(proxmox.esps.map(\.mode) == [nil, nil])
    #expect(proxmox.readGrubConfigs.isEmpty)
  }

  // MARK: the mount itself, on a loop-mounted ext4 image (vfat has no module on this machine)

  /// Whether this machine lets a test mount an image file: root, and a free loop device.
  static let canLoopMount: Bool = {
    guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/sbin/mkfs.ext4") else { return false }
    return (try? ProgramRun.run("/usr/sbin/losetup", ["-f"]).status) == 0
  }()

  /// A folder with `dev/UUID`, an ext4 image of the fixture's first ESP (`mkfs.ext4 -d`, no
  /// mount), and `run`, not yet made, where the mounter makes its folders.
  static func imageFolder() throws -> (root: FixtureRoot, folder: String, config: String) {
    let (root, esps) = try rootWithoutESPs()
    let folder = (root.path as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: folder + "/dev", withIntermediateDirectories: true)
    let image = folder + "/dev/4A2C-77E1"
    #expect(FileManager.default.createFile(atPath: image, contents: nil))
    try FileHandle(forWritingAtPath: image).map { try $0.truncate(atOffset: 8 << 20) }
    let made = try ProgramRun.run("/usr/sbin/mkfs.ext4", ["-q", "-d", esps + "/4A2C-77E1", image])
    #expect(made.status == 0, "\(made.transcript)")
    return (root, folder, try String(contentsOfFile: esps + "/4A2C-77E1/grub/grub.cfg", encoding: .utf8))
  }

  /// The lines of this process's mount table that name `folder`.
  static func mounts(under folder: String) throws -> [String] {
    try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8).split(separator: "\n")
      .filter { $0.contains(folder) }.map(String.init)
  }

  /// A line of proxmox-boot-uuids that is no UUID names no partition of that UUID: it is not
  /// mounted, and no private folder is made for it, even where the path it reaches exists.
  @Test func aLineThatIsNoUUIDIsNeverMounted() throws {
    let folder = try FixtureRoot()
    try folder.write("/sda1", "a device the line reaches with ../\n")
    try FileManager.default.createDirectory(atPath: folder.path + "/dev/disk", withIntermediateDirectories: true)
    let mounter = ProxmoxESPMounter(deviceFolder: folder.path + "/dev/disk", runFolder: folder.path + "/run")
    for line in ["../../sda1", "4A2C 77E1", ""] {
      #expect(
        mounter.read(line).failure?.description
          == "'\(line)' is not a file-system UUID (hex digits and dashes): not mounted")
    }
    #expect(!FileManager.default.fileExists(atPath: folder.path + "/run"))
  }

  @Test(.enabled(if: canLoopMount, "needs root and a free loop device (losetup -f) to mount an ext4 image"))
  func theMounterReadsTheESPReadOnlyAndLeavesNothingMounted() throws {
    let (root, folder, config) = try Self.imageFolder()
    defer { withExtendedLifetime(root) {} }
    let mounter = ProxmoxESPMounter(deviceFolder: folder + "/dev", runFolder: folder + "/run")
    let snapshot = try mounter.read("4A2C-77E1").get()
    let device = folder + "/dev/4A2C-77E1"
    #expect(
      snapshot.contents
        == ProxmoxBoot.Contents(
          grubEFI: true, loaderConf: false, grubFolder: true, source: "\(device) (mounted read-only)"))
    #expect(snapshot.grubConfig == config)
    #expect(try Self.mounts(under: folder).isEmpty, "unmounted")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/run").isEmpty, "its folder removed")
    let mode = try FileManager.default.attributesOfItem(atPath: folder + "/run")[.posixPermissions] as? Int
    #expect(mode == 0o700)
  }

  @Test(.enabled(if: canLoopMount, "needs root and a free loop device (losetup -f) to mount an ext4 image"))
  func aPartitionThatDoesNotMountIsAFailureAndLeavesNothingBehind() throws {
    let (root, folder, _) = try Self.imageFolder()
    defer { withExtendedLifetime(root) {} }
    // Not a file system: mount refuses it.
    try Data(count: 1 << 20).write(to: URL(fileURLWithPath: folder + "/dev/4A2C-8B03"))
    let mounter = ProxmoxESPMounter(deviceFolder: folder + "/dev", runFolder: folder + "/run")
    let failure = try #require(mounter.read("4A2C-8B03").failure)
    let prefix = "mount -o ro,nosuid,nodev,noexec \(folder)/dev/4A2C-8B03 \(folder)/run/esp."
    #expect(failure.description.hasPrefix(prefix), "\(failure)")
    #expect(failure.description.contains(" failed (exit 32): "), "\(failure)")
    #expect(try Self.mounts(under: folder).isEmpty)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder + "/run").isEmpty)
    #expect(
      mounter.read("4A2C-0000").failure?.description
        == "\(folder)/dev/4A2C-0000 does not exist (no partition has this UUID)")
  }
}

extension Result {
  fileprivate var failure: Failure? {
    if case .failure(let failure) = self { return failure }
    return nil
  }
}

import Foundation
import RootFS

extension NextBootEntry {
  /// BLS entries: started by GRUB's `blscfg` where `/etc/default/grub` exists (its grub.cfg
  /// header chooses, as for GRUB 2, among the entries by id, title or position), else by
  /// systemd-boot (see ``fromSystemdBoot(_:_:)``).
  static func fromBLS(_ root: HostRoot) throws(ConfigFileError) -> Reading {
    let bls = try BLS.read(root)
    if bls.entryFiles.isEmpty {
      return .unknown(
        "proxmox-boot-tool keeps the entries on ESPs that are not mounted; \(BLS.kernelCmdlineName) is their command line"
      )
    }
    let entries = try blsEntries(bls) + unifiedImages(root)
    if root.isFile(Grub2.defaultsName) { return try fromBLSByGrub(root, bls, entries: entries) }
    return try fromSystemdBoot(root, entries: entries)
  }

  /// GRUB with `blscfg`: the entries newest first (as ``BLS/orderedEntryFiles``), the
  /// default from the grub.cfg header and grubenv (`saved_entry` names an entry by its file
  /// name without `.conf`).
  static func fromBLSByGrub(_ root: HostRoot, _ bls: BLS, entries: [BLSEntry]) throws(ConfigFileError) -> Reading {
    var menuText: String?
    if let file = Grub2GeneratedConfig.files(in: root).first {
      do { menuText = try root.text(file) ?? "" } catch { throw ConfigFileError(error, reading: file) }
    }
    var menu = GrubMenu(text: menuText ?? "")
    if menuText == nil { menu.configuredDefault = ("${saved_entry}", 0) }
    let (value, decidedBy) = grub2Default(menu, file: "grub.cfg", grubEnv: bls.grubEnv)
    let ordered = bls.orderedEntryFiles.compactMap { file in entries.first { $0.file == file } }
    let found: BLSEntry?
    if let position = Int(value) {
      found = position >= 0 && position < ordered.count ? ordered[position] : nil
    } else {
      found = ordered.first { $0.id == value || $0.id == value + ".conf" || $0.title == value }
    }
    guard let found else { return .unknown("the default \"\(value)\" (\(decidedBy)) names no BLS entry") }
    return .found(found.nextBoot(decidedBy: decidedBy))
  }

  /// One BLS entry as the next-boot reader needs it.
  struct BLSEntry: Sendable, Equatable {
    /// The file name (`…-6.1.0-28-amd64.conf`, or a UKI's `….efi`): systemd-boot's id.
    var id: String
    /// The file (a real path from the root).
    var file: String
    var title: String?
    var version: String?
    var sortKey: String?
    var machineID: String?
    /// The `linux` image, for a type 1 entry that boots Linux.
    var linux: String?
    /// Whether it starts a unified kernel image (type 2, or a type 1 `uki` key).
    var isUnified: Bool

    func nextBoot(decidedBy: String) -> NextBootEntry {
      let kernel = isUnified ? nil : linux.flatMap(NextBootEntry.release(ofImage:)) ?? (linux == nil ? nil : version)
      let image: NextBootEntry.Image = isUnified ? .uki : linux == nil ? .other : .linux
      return NextBootEntry(title: title ?? id, kernel: kernel, image: image, file: file, decidedBy: decidedBy)
    }
  }

  /// The type 1 entries, with the keys the order and the image depend on.
  static func blsEntries(_ bls: BLS) throws(ConfigFileError) -> [BLSEntry] {
    try ConfigFileError.catching { () throws -> [BLSEntry] in
      try bls.entryFiles.map { file in
        let base = bls.tree.path(of: file)
        func key(_ name: String) throws -> String? { try bls.tree.augeas.get(base + "/" + name) }
        return BLSEntry(
          id: (file as NSString).lastPathComponent, file: file, title: try key("title"), version: try key("version"),
          sortKey: try key("sort-key"), machineID: try key("machine-id"), linux: try key("linux"),
          isUnified: try key("uki") != nil)
      }
    }
  }

  /// The type 2 entries: unified kernel images in `EFI/Linux` of the partitions BLS boot loaders read.
  static func unifiedImages(_ root: HostRoot) -> [BLSEntry] {
    root.realFiles(["/boot", "/efi", "/boot/efi"].flatMap { root.glob($0 + "/EFI/Linux", suffix: ".efi") }).map {
      BLSEntry(
        id: ($0 as NSString).lastPathComponent, file: $0, title: nil, version: nil, sortKey: nil, machineID: nil,
        linux: nil, isUnified: true)
    }
  }
}

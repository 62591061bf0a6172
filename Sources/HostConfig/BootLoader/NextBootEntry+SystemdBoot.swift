import Foundation
import RootFS

extension NextBootEntry {
  /// The EFI variables' vendor GUID of systemd-boot (the Boot Loader Interface).
  static let loaderVendor = "4a67b082-0a4c-41cf-b6c7-440b29bb8c4f"
  /// Where `loader.conf` may stand: the ESP mounted at `/efi`, `/boot/efi` or `/boot`.
  static let loaderConfNames = ["/efi/loader/loader.conf", "/boot/efi/loader/loader.conf", "/boot/loader/loader.conf"]

  /// systemd-boot: its sorted menu and its default as `config_select_default_entry` picks
  /// it: the first entry matching `LoaderEntryOneShot` (one boot only), else
  /// `LoaderEntryDefault` (both EFI variables, read where the root has
  /// `/sys/firmware/efi/efivars`), else `loader.conf`'s `default` glob; else the first
  /// entry. `default @saved` follows `LoaderEntryLastBooted`, which only the live host has.
  static func fromSystemdBoot(_ root: HostRoot, entries: [BLSEntry]) throws(ConfigFileError) -> Reading {
    let sorted = entries.sorted(by: sdBootPrecedes)
    var choices: [(pattern: String, decidedBy: String)] = []
    if let oneShot = efiVariable(root, "LoaderEntryOneShot") {
      choices.append((oneShot, "LoaderEntryOneShot=\(oneShot) (EFI variable, one boot only)"))
    }
    if let chosen = efiVariable(root, "LoaderEntryDefault") {
      choices.append((chosen, "LoaderEntryDefault=\(chosen) (EFI variable, bootctl set-default)"))
    }
    if let (file, pattern) = try loaderConfDefault(root) {
      if pattern == "@saved" {
        guard let last = efiVariable(root, "LoaderEntryLastBooted") else {
          return .unknown("\(file) says default @saved, and LoaderEntryLastBooted cannot be read under \(root.path)")
        }
        choices.append((last, "default @saved in \(file): LoaderEntryLastBooted=\(last)"))
      } else {
        choices.append((pattern, "default \(pattern) in \(file)"))
      }
    }
    for choice in choices {
      if let match = sorted.first(where: { fnmatch(choice.pattern.lowercased(), $0.id.lowercased(), 0) == 0 }) {
        return .found(match.nextBoot(decidedBy: choice.decidedBy))
      }
    }
    guard let first = sorted.first else { return .unknown("no BLS entry") }
    let none = choices.isEmpty ? "no default set" : "no entry matches \(choices.map(\.pattern).joined(separator: ", "))"
    return .found(first.nextBoot(decidedBy: "\(none): the first entry in systemd-boot's order"))
  }

  /// systemd-boot's menu order: entries with a `sort-key` first, by sort key, machine id,
  /// then version newest first; then the others; ties by id, newest first.
  static func sdBootPrecedes(_ a: BLSEntry, _ b: BLSEntry) -> Bool {
    if (a.sortKey == nil) != (b.sortKey == nil) { return a.sortKey != nil }
    if let x = a.sortKey, let y = b.sortKey {
      if x != y { return x < y }
      if a.machineID != b.machineID { return (a.machineID ?? "") < (b.machineID ?? "") }
      let version = VersionOrder.compare(a.version ?? "", b.version ?? "")
      if version != 0 { return version > 0 }
    }
    return VersionOrder.compare(a.id, b.id) > 0
  }

  /// `loader.conf`'s `default`, read with the Spacevars lens (its `key value` lines are
  /// BLS entries' syntax), and the file; `nil` when no `loader.conf` sets one.
  static func loaderConfDefault(_ root: HostRoot) throws(ConfigFileError) -> (String, String)? {
    guard let file = root.realFiles(loaderConfNames).first else { return nil }
    let tree = try BootConfigTree(root: root, files: [(file, "Spacevars.lns")])
    let value = try ConfigFileError.catching { () throws in try tree.augeas.get(tree.path(of: file) + "/default") }
    return value.map { (file, $0) }
  }

  /// A systemd-boot EFI variable (4 bytes of attributes, then UTF-16LE text ending in NUL),
  /// under the root's `/sys/firmware/efi/efivars`; `nil` when absent or empty.
  static func efiVariable(_ root: HostRoot, _ name: String) -> String? {
    let path = "/sys/firmware/efi/efivars/\(name)-\(loaderVendor)"
    guard let bytes = (try? root.readIfPresent(path)) ?? nil, bytes.count > 4 else { return nil }
    let body = Array(bytes.dropFirst(4))
    var units: [UInt16] = []
    for index in stride(from: 0, to: body.count - 1, by: 2) {
      let unit = UInt16(body[index]) | UInt16(body[index + 1]) << 8
      if unit == 0 { break }
      units.append(unit)
    }
    let text = String(decoding: units, as: UTF16.self)
    return text.isEmpty ? nil : text
  }
}

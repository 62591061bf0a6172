import Augeas
import Foundation
import RootFS

/// GRUB legacy (0.97, CentOS/RHEL ≤ 6): `title` entries with one `kernel` line each in
/// `menu.lst`/`grub.conf`, read with the Grub lens, whose `kernel` node holds the
/// arguments as its children.
public struct GrubLegacy: BootLoaderConfiguration {
  public static let kind = BootLoaderKind.grubLegacy
  /// Children of a `kernel` node that are not arguments.
  public static let ignored: Set<String> = ["@path", "type", "no-mem-option"]

  public let tree: BootConfigTree

  /// The names a GRUB legacy configuration goes by (often symlinks to one file).
  static func names(_ root: HostRoot) -> [String] {
    ["/boot/grub/menu.lst", "/boot/grub/grub.conf", "/etc/grub.conf"]
      + root.subfolders("/boot/efi/EFI").map { $0 + "/grub.conf" }
  }

  public static func read(_ root: HostRoot) throws(ConfigFileError) -> GrubLegacy {
    let names = names(root)
    let files = root.realFiles(names)
    guard !files.isEmpty else {
      throw ConfigFileError(
        message: "no GRUB legacy configuration under \(root.path): looked for \(names.joined(separator: ", "))")
    }
    var aliases: [String: [String]] = [:]
    for name in names {
      if let real = root.resolve(name), files.contains(real) { aliases[real, default: []].append(name) }
    }
    let tree: BootConfigTree
    do {
      tree = try BootConfigTree(root: root, files: files.map { ($0, "Grub.lns") }, aliases: aliases)
    } catch {
      throw perVersionOptionsError(root, files) ?? error
    }
    let legacy = GrubLegacy(tree: tree)
    try legacy.check()
    return legacy
  }

  /// Refuses a file in which the Grub lens found lines it does not know
  /// (it keeps them as `#error` nodes instead of failing).
  private func check() throws(ConfigFileError) {
    for file in tree.files {
      let unknown: [String]
      do { unknown = try tree.augeas.match(tree.path(of: file) + "//#error") } catch { throw ConfigFileError(error) }
      guard let first = unknown.first else { continue }
      let value = ((try? tree.augeas.get(first)) ?? nil) ?? ""
      // Which occurrence of that text this node is, to find its line.
      let before = unknown.prefix { $0 != first }.count
      let candidates = tree.lineNumbers(in: file) { $0.trimmingCharacters(in: .whitespaces) == value }
      let line = candidates.count > before ? candidates[before] : candidates.first
      var message = "unknown line: \(value)"
      if let keyword = value.split(whereSeparator: { !$0.isLetter }).first {
        message += " (the Grub lens does not know '\(keyword)' here)"
      }
      let names = tree.otherNames(of: file)
      if !names.isEmpty { message += " (the file is also reached as \(names.joined(separator: ", ")))" }
      throw ConfigFileError(file: file, line: line, column: line == nil ? nil : 1, message: message)
    }
  }

  /// The 0-based default entry of `file`: `default` (0 when missing); `nil`
  /// for `default=saved` or a value that is not a number.
  public func defaultIndex(_ file: String) throws(AugeasError) -> Int? {
    guard let value = try tree.augeas.get(tree.path(of: file) + "/default") else { return 0 }
    return Int(value.trimmingCharacters(in: .whitespaces))
  }

  /// The `title` nodes of `file`, in order.
  public func titles(_ file: String) throws(AugeasError) -> [String] {
    try tree.augeas.match(tree.path(of: file) + "/title")
  }

  public func entries() throws(ConfigFileError) -> [BootEntry] {
    do {
      var result: [BootEntry] = []
      for file in tree.files {
        let defaultIndex = try defaultIndex(file)
        for (index, title) in try titles(file).enumerated() {
          // Each Augeas path of an entry (`title[N]/…`) is found by a walk of every title:
          // one look-up fewer per entry is a walk fewer, so the hypervisor is asked once.
          let hypervisor = try hypervisor(of: title)
          var arguments: [KernelArgument] = []
          if let kernel = hypervisor != nil ? title + "/module[1]" : try tree.augeas.match(title + "/kernel").first {
            arguments = try tree.arguments(at: kernel, ignoring: Self.ignored)
          }
          result.append(
            BootEntry(
              title: try tree.augeas.get(title) ?? "", file: file, index: index, isDefault: index == defaultIndex,
              arguments: arguments, hypervisor: hypervisor))
        }
      }
      return result
    } catch {
      throw ConfigFileError(error)
    }
  }
}

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

  public func entries() throws(ConfigFileError) -> [BootEntry] {
    var result: [BootEntry] = []
    for file in tree.files {
      let menu = try menu(file)
      let children = try ConfigFileError.catching { () throws in try linuxNodeChildren(menu) }
      // Without the whole file's children, a walk, not `title[N]`: Augeas finds `title[N]`
      // by counting every title before it.
      let walk = children == nil ? tree.augeas.walk("title", under: tree.path(of: file)) : nil
      try ConfigFileError.catching { () throws in
        for index in menu.titles.indices {
          var arguments: [KernelArgument] = []
          if let children {
            arguments = KernelArgument.list(children[index] ?? [], ignoring: Self.ignored)
          } else if let title = try walk?.next(), let node = menu.linuxNode(index, at: title) {
            arguments = try tree.arguments(at: node, ignoring: Self.ignored)
          }
          result.append(
            BootEntry(
              title: menu.titles[index], file: file, index: index, isDefault: index == menu.defaultIndex,
              arguments: arguments, hypervisor: menu.hypervisors[index]))
        }
      }
    }
    return result
  }
}

import Augeas
import Foundation
import RootFS

/// The entries of one GRUB legacy file as a whole, read with a few Augeas evaluations
/// for the file rather than a few for each entry: Augeas finds `title[N]` by counting
/// every title before it, so a read per entry by index is quadratic in long files.
public struct LegacyMenu: Sendable, Equatable {
  /// The file (a real path from the root).
  public var file: String
  /// The menu titles, in order.
  public var titles: [String]
  /// The 0-based default entry: `default` (0 when missing); `nil` for `default=saved`
  /// or a value that is not a number.
  public var defaultIndex: Int?
  /// The entries without a `kernel` line (chainloader, DOS).
  public var withoutKernel: Set<Int>
  /// The entries that boot the Xen hypervisor with dom0's Linux on a `module` line: a
  /// `kernel` file named `xen…` (`/xen.gz-…`, `/xen-4.1.gz`, `/boot/xen.gz`) followed by
  /// at least one `module`; by position, the hypervisor's file.
  public var hypervisors: [Int: String]

  /// The node holding the Linux kernel's arguments of the entry at `index`, reached at
  /// `title` (a path of that entry, such as a ``SiblingWalk``'s): the first `module`
  /// (dom0's kernel) of a Xen entry, whose `kernel` line is the hypervisor's and never gets
  /// Linux arguments; the `kernel` otherwise; `nil` for an entry without one.
  public func linuxNode(_ index: Int, at title: String) -> String? {
    if withoutKernel.contains(index) { return nil }
    return title + (hypervisors[index] == nil ? "/kernel[1]" : "/module[1]")
  }
}

extension GrubLegacy {
  /// The entries of `file` (see ``LegacyMenu``).
  ///
  /// - Throws: an entry with several `kernel` lines, at its `title` line: GRUB boots the
  ///   last one it loads, and editing one of them would show a change that may not boot.
  public func menu(_ file: String) throws(ConfigFileError) -> LegacyMenu {
    let base = tree.path(of: file)
    return try ConfigFileError.catching { () throws -> LegacyMenu in
      let titles = try tree.augeas.nodes(base + "/title").map { $0.value ?? "" }
      if let path = try tree.augeas.match(base + "/title[count(kernel) > 1]").first {
        let position = Self.position(ofTitle: path)
        let lines = tree.lineNumbers(in: file) { $0.drop { $0 == " " || $0 == "\t" }.hasPrefix("title") }
        throw ConfigFileError(
          file: file, line: position < lines.count ? lines[position] : nil,
          message:
            "entry '\(titles[position])' has \(try tree.augeas.count(path + "/kernel")) kernel lines: GRUB legacy boots the last one it loads; keep one kernel line per entry"
        )
      }
      let withoutKernel = Set(try tree.augeas.match(base + "/title[count(kernel) = 0]").map(Self.position(ofTitle:)))
      var hypervisors: [Int: String] = [:]
      for path in try tree.augeas.match(base + "/title[module]") {
        if let kernel = try tree.augeas.get(path + "/kernel"), (kernel as NSString).lastPathComponent.hasPrefix("xen") {
          hypervisors[Self.position(ofTitle: path)] = kernel
        }
      }
      return LegacyMenu(
        file: file, titles: titles, defaultIndex: try defaultIndex(file), withoutKernel: withoutKernel,
        hypervisors: hypervisors)
    }
  }

  /// The 0-based position of the title at `path`, as Augeas names it (`…/title[3]`, or
  /// `…/title` for the only one).
  static func position(ofTitle path: String) -> Int {
    guard path.hasSuffix("]"), let open = path.lastIndex(of: "[") else { return 0 }
    return (Int(path[path.index(after: open)..<path.index(before: path.endIndex)]) ?? 1) - 1
  }
}

extension GrubLegacy {
  /// The children (label and value, the ignored ones included) of the Linux node of each
  /// entry of `menu` that has one, by position, read with three evaluations for the whole
  /// file: the `kernel` lines with their children in document order, told apart by their
  /// label. `nil` when that cannot be told (a child labelled `kernel`, or a child with
  /// children of its own): the caller then reads entry by entry.
  public func linuxNodeChildren(_ menu: LegacyMenu) throws(AugeasError) -> [Int: [(label: String, value: String?)]]? {
    let base = tree.path(of: menu.file)
    // ``menu(_:)`` refused an entry with several kernel lines: one per entry at most.
    let lines = try tree.augeas.nodes(base + "/title/kernel/descendant-or-self::*")
    let kernels = menu.titles.indices.filter { !menu.withoutKernel.contains($0) }
    let children = try tree.augeas.count(base + "/title/kernel/*")
    guard lines.count == kernels.count + children, lines.count(where: { $0.label == "kernel" }) == kernels.count
    else { return nil }
    var result: [Int: [(label: String, value: String?)]] = [:]
    var entry = -1
    for line in lines {
      if line.label == "kernel" {
        entry += 1
        result[kernels[entry]] = []
      } else {
        result[kernels[entry]]?.append(line)
      }
    }
    // A Xen entry's Linux node is its first module, read on its own (they are few).
    for index in menu.hypervisors.keys {
      if let node = menu.linuxNode(index, at: base + "/title[\(index + 1)]") {
        result[index] = try tree.augeas.children(of: node)
      }
    }
    return result
  }
}

import Augeas
import Foundation
import RootFS

/// Debian's `update-grub` block in a GRUB legacy `menu.lst`: the commented options between
/// `## ## Start Default Options ##` and `## ## End Default Options ##` (the Grub lens's
/// `debian` node: `kopt`, `defoptions`, `xenkopt`, `altoptions`…) and the entries it
/// generates between `### BEGIN AUTOMAGIC KERNELS LIST` and `### END DEBIAN AUTOMAGIC
/// KERNELS LIST`. `update-grub` (run by every kernel package) rewrites those entries from
/// the options: an argument only on the kernel lines is dropped at the next kernel update.
///
/// `update-grub` builds a normal entry from `kopt` then `defoptions`, an alternative one
/// (its title ends in an `altoptions` suffix such as `(single-user mode)`) from `kopt`
/// then the alternative's options, and a Xen entry's dom0 line from `kopt` then `xenkopt`.
public struct Automagic: Sendable, Equatable {
  /// The file holding the block (a real path from the root).
  public var file: String
  /// The Augeas path of the `debian` node.
  public var node: String
  /// The positions (from 0, among the file's `title` nodes) of the entries generated
  /// inside the block, in order.
  public var entries: [Int]
  /// The menu-title suffixes of the alternative entries (`(single-user mode)`).
  public var alternativeSuffixes: [String]

  /// The option keys that hold kernel command lines.
  public enum Option: String, Sendable, CaseIterable {
    /// Every generated entry's arguments.
    case kopt
    /// Added to the normal (non-alternative) entries.
    case defoptions
    /// Added to the dom0 line of the Xen entries.
    case xenkopt
  }

  /// Whether the entry `title` (its menu title) is an alternative one.
  public func isAlternative(_ title: String) -> Bool {
    alternativeSuffixes.contains { title.hasSuffix($0) }
  }
}

extension GrubLegacy {
  /// The comment that opens Debian's generated entries.
  static let automagicBegin = "### BEGIN AUTOMAGIC KERNELS LIST"

  /// What the comments that open and close the generated entries hold (the Grub lens
  /// keeps a comment's text without its first `#`).
  static let automagicMarkers = (begin: "BEGIN AUTOMAGIC KERNELS LIST", end: "END DEBIAN AUTOMAGIC KERNELS LIST")

  /// Debian's AUTOMAGIC block of `file`, when it has one: its entries are the titles after
  /// the first comment holding the begin marker and before the last one holding the end
  /// marker (``automagicMarkers``), found in one read of the file's top-level nodes.
  public func automagic(_ file: String) throws(AugeasError) -> Automagic? {
    let base = tree.path(of: file)
    let nodes = try tree.augeas.children(of: base)
    guard nodes.contains(where: { $0.label == "debian" }) else { return nil }
    let node = base + "/debian[1]"
    func comment(_ text: String) -> (Int, (label: String, value: String?)) -> Bool {
      { $1.label == "#comment" && ($1.value ?? "").contains(text) }
    }
    let begin = nodes.enumerated().first(where: comment(Self.automagicMarkers.begin))?.offset
    let end = nodes.enumerated().reversed().first(where: comment(Self.automagicMarkers.end))?.offset
    var entries: [Int] = []
    var title = 0
    for (position, child) in nodes.enumerated() where child.label == "title" {
      if let begin, let end, begin < position, position < end { entries.append(title) }
      title += 1
    }
    var suffixes: [String] = []
    for option in try tree.augeas.match(node + "/altoptions") {
      guard let value = try tree.augeas.get(option), value.hasPrefix("("), let close = value.firstIndex(of: ")") else {
        continue
      }
      suffixes.append(String(value[...close]))
    }
    return Automagic(file: file, node: node, entries: entries, alternativeSuffixes: suffixes)
  }

  /// The line of `file` (as read) holding the AUTOMAGIC option `key` (`# kopt=…`).
  public func line(of key: Automagic.Option, in file: String) -> Int? {
    tree.lineNumbers(in: file) { line in
      guard line.hasPrefix("#") else { return false }
      let rest = line.dropFirst().drop { $0 == " " || $0 == "\t" }
      return rest.hasPrefix(key.rawValue)
        && rest.dropFirst(key.rawValue.count).drop { $0 == " " || $0 == "\t" }.first == "="
    }.first
  }

  /// Why the Grub lens could not parse `files`: a per-version `# kopt_x_y_z=` line in an
  /// AUTOMAGIC block (which the lens does not know, so it fails the whole block), named
  /// with its file and line; `nil` when no file has one.
  static func perVersionOptionsError(_ root: HostRoot, _ files: [String]) -> ConfigFileError? {
    for file in files {
      guard let text = (try? root.text(file)) ?? nil, text.contains(automagicBegin) else { continue }
      for (offset, line) in text.components(separatedBy: "\n").enumerated() {
        let rest = line.drop { $0 == "#" || $0 == " " || $0 == "\t" }
        guard line.hasPrefix("# ") || line.hasPrefix("#k"), rest.hasPrefix("kopt_"),
          let equals = rest.firstIndex(of: "=")
        else { continue }
        let key = rest[..<equals]
        return ConfigFileError(
          file: file, line: offset + 1, column: 1,
          message:
            "per-version kernel options '\(key)' in the AUTOMAGIC block: update-grub uses them instead of kopt for that kernel, and the Grub lens cannot parse them; merge them into '# kopt=' (or remove them) and plan again"
        )
      }
    }
    return nil
  }
}

extension GrubLegacy {
  /// The entries, and for each AUTOMAGIC block the options `update-grub` builds the next
  /// kernel's normal entry from (`# kopt=` then `# defoptions=`).
  public func commandLineSources(entries: [BootEntry]) throws(ConfigFileError) -> [CommandLineSource] {
    var sources = entries.map(CommandLineSource.init(entry:))
    for file in tree.files {
      let block: Automagic?
      do { block = try automagic(file) } catch { throw ConfigFileError(error) }
      guard let block else { continue }
      var arguments: [KernelArgument] = []
      for option in [Automagic.Option.kopt, .defoptions] {
        let value: String?
        do { value = try tree.augeas.get(block.node + "/" + option.rawValue) } catch { throw ConfigFileError(error) }
        guard let value, !value.isEmpty else { continue }
        arguments += try tree.arguments(ofCommandLine: value, in: file, line: line(of: option, in: file), column: nil)
      }
      sources.append(CommandLineSource(name: "\(file) # kopt= # defoptions=", role: .nextKernels, arguments: arguments))
    }
    return sources
  }
}

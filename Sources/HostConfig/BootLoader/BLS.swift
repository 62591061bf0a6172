import Augeas
import Foundation
import RootFS

/// Boot Loader Specification entries (RHEL 8/9, Fedora): the `options` line of each
/// `/boot/loader/entries/*.conf` (Spacevars lens: `key value` lines and `#` comments,
/// which is the whole BLS syntax; no shipped lens targets BLS entries), its value parsed
/// with `Cmdline.lns`; and `/etc/kernel/cmdline` (Cmdline lens), the arguments of kernels
/// installed later. grubenv's `saved_entry` names the default entry.
public struct BLS: BootLoaderConfiguration {
  public static let kind = BootLoaderKind.bls

  public let tree: BootConfigTree
  /// The entry files (real paths from the root).
  public let entryFiles: [String]
  /// `/etc/kernel/cmdline`, when the root has it.
  public let kernelCmdline: String?
  /// The grubenv read for `saved_entry`, when there is one.
  public let grubenv: String?
  /// grubenv's `saved_entry`: the default entry's file name without `.conf`.
  public let savedEntry: String?

  public var sourceFiles: [String] { tree.files + (grubenv.map { [$0] } ?? []) }

  /// The entry files under the folders BLS boot loaders read, as named there.
  static func entryNames(_ root: HostRoot) -> [String] {
    ["/boot/loader/entries", "/efi/loader/entries", "/boot/efi/loader/entries"].flatMap {
      root.glob($0, suffix: ".conf")
    }
  }

  /// The folder of the entry `file`.
  static func folder(of file: String) -> String { (file as NSString).deletingLastPathComponent }

  public static func read(_ root: HostRoot) throws(ConfigFileError) -> BLS {
    let entryFiles = root.realFiles(entryNames(root))
    guard !entryFiles.isEmpty else {
      throw ConfigFileError(file: "/boot/loader/entries", message: "no BLS entry (*.conf) under \(root.path)")
    }
    let kernelCmdline = root.realFiles(["/etc/kernel/cmdline"]).first
    var grubenv: String?
    var savedEntry: String?
    for name in ["/boot/grub2/grubenv", "/boot/grub/grubenv"] {
      // An unreadable grubenv names no saved entry: the newest entry is the default then.
      guard let real = root.realFiles([name]).first, let text = (try? root.text(real)) ?? nil else { continue }
      grubenv = real
      savedEntry = text.components(separatedBy: "\n").first { $0.hasPrefix("saved_entry=") }.map {
        String($0.dropFirst("saved_entry=".count))
      }
      break
    }
    let files = entryFiles.map { ($0, "Spacevars.lns") } + (kernelCmdline.map { [($0, "Cmdline.lns")] } ?? [])
    let bls = BLS(
      tree: try BootConfigTree(root: root, files: files), entryFiles: entryFiles, kernelCmdline: kernelCmdline,
      grubenv: grubenv, savedEntry: savedEntry)
    for file in entryFiles {
      guard let options = try bls.options(file) else { continue }
      _ = try bls.tree.arguments(ofCommandLine: options.text, in: file, line: options.line, column: options.column)
    }
    return bls
  }

  /// The `options` value of `file` with its line and column, or `nil` when the entry has none.
  ///
  /// - Throws: when the entry has several `options` lines, or uses a GRUB environment
  ///   variable (`$kernelopts`) the editor cannot follow.
  public func options(_ file: String) throws(ConfigFileError) -> (text: String, line: Int?, column: Int?)? {
    let nodes: [String]
    let value: String?
    do {
      nodes = try tree.augeas.match(tree.path(of: file) + "/options")
      value = try nodes.first.flatMap { (node) throws(AugeasError) in try tree.augeas.get(node) }
    } catch {
      throw ConfigFileError(error)
    }
    let lines = tree.lineNumbers(in: file) { $0.hasPrefix("options ") || $0.hasPrefix("options\t") }
    if nodes.count > 1 {
      throw ConfigFileError(
        file: file, line: lines.dropFirst().first,
        message: "the entry has \(nodes.count) options lines; merge them into one")
    }
    guard !nodes.isEmpty else { return nil }
    let text = value ?? ""
    let line = lines.first
    let column = line.flatMap { tree.line($0, of: file) }.flatMap { found in
      found.range(of: text).map { found.distance(from: found.startIndex, to: $0.lowerBound) + 1 }
    }
    if text.contains("$") {
      throw ConfigFileError(
        file: file, line: line, column: column,
        message:
          "options uses a GRUB environment variable (\(text)), as RHEL 8 does with $kernelopts in grubenv; the editor does not edit grubenv: run grub2-mkconfig or grubby once so that entries carry their arguments"
      )
    }
    return (text, line, column)
  }

  /// Whether the entry `file` boots a Linux kernel (has a `linux` line).
  public func bootsLinux(_ file: String) throws(AugeasError) -> Bool {
    try tree.augeas.count(tree.path(of: file) + "/linux") > 0
  }

  /// The entries in boot menu order (newest version first, as GRUB's blscfg
  /// and systemd-boot sort them; approximated by a numeric comparison of file names).
  public var orderedEntryFiles: [String] {
    entryFiles.sorted { a, b in
      let left = (a as NSString).lastPathComponent
      let right = (b as NSString).lastPathComponent
      return left.compare(right, options: [.numeric]) == .orderedDescending
    }
  }

  /// The default entry: grubenv's `saved_entry` when it names an entry, else the first in menu order.
  public var defaultEntryFile: String? {
    let ordered = orderedEntryFiles
    if let savedEntry,
      let match = ordered.first(where: {
        (($0 as NSString).lastPathComponent as NSString).deletingPathExtension == savedEntry
      })
    {
      return match
    }
    return ordered.first
  }

  public func entries() throws(ConfigFileError) -> [BootEntry] {
    let defaultFile = defaultEntryFile
    var result: [BootEntry] = []
    for (index, file) in orderedEntryFiles.enumerated() {
      var arguments: [KernelArgument] = []
      if let options = try options(file) {
        arguments = try tree.arguments(
          ofCommandLine: options.text, in: file, line: options.line, column: options.column)
      }
      let title: String
      do { title = try tree.augeas.get(tree.path(of: file) + "/title") ?? (file as NSString).lastPathComponent } catch {
        throw ConfigFileError(error)
      }
      result.append(
        BootEntry(title: title, file: file, index: index, isDefault: file == defaultFile, arguments: arguments))
    }
    return result
  }
}

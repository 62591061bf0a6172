import Augeas
import Foundation

/// BLS: the `options` line of each `/boot/loader/entries/*.conf` (Spacevars
/// lens: `key value` lines and `#` comments, which is the whole BLS syntax; no
/// shipped lens targets BLS entries), its value parsed with `Cmdline.lns`;
/// and `/etc/kernel/cmdline` (Cmdline lens), the arguments of kernels
/// installed later.
extension BootLoaderEditor {
  private func optionsLines(_ file: String) -> [Int] {
    lineNumbers(in: original[file] ?? "") { $0.hasPrefix("options ") || $0.hasPrefix("options\t") }
  }

  /// The `options` value of `file` with its line and column, or `nil` when the entry has none.
  private func options(_ file: String) throws -> (text: String, line: Int?, column: Int?)? {
    let nodes = try tree.match(filesPath(file) + "/options")
    let lines = optionsLines(file)
    if nodes.count > 1 {
      throw EditorError(
        file: file, line: lines.dropFirst().first,
        message: "the entry has \(nodes.count) options lines; merge them into one")
    }
    guard let node = nodes.first else { return nil }
    let text = try tree.get(node) ?? ""
    let line = lines.first
    let column = line.flatMap { Editors.line($0, of: original[file] ?? "") }.flatMap { found in
      found.range(of: text).map { found.distance(from: found.startIndex, to: $0.lowerBound) + 1 }
    }
    if text.contains("$") {
      throw EditorError(
        file: file, line: line, column: column,
        message:
          "options uses a GRUB environment variable (\(text)), as RHEL 8 does with $kernelopts in grubenv; the editor does not edit grubenv: run grub2-mkconfig or grubby once so that entries carry their arguments"
      )
    }
    return (text, line, column)
  }

  private func bootsLinux(_ file: String) throws -> Bool {
    try tree.count(filesPath(file) + "/linux") > 0
  }

  /// The entries in boot menu order (newest version first, as GRUB's blscfg
  /// and systemd-boot sort them; approximated by a numeric comparison of file names).
  var orderedEntryFiles: [String] {
    entryFiles.sorted { a, b in
      let left = (a as NSString).lastPathComponent
      let right = (b as NSString).lastPathComponent
      return left.compare(right, options: [.numeric]) == .orderedDescending
    }
  }

  /// The default entry: grubenv's `saved_entry` when it names an entry, else the first in menu order.
  var defaultEntryFile: String? {
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

  func checkBLS() throws {
    for file in entryFiles {
      guard let options = try options(file) else { continue }
      _ = try arguments(ofCommandLine: options.text, file: file, line: options.line, column: options.column)
    }
  }

  func blsEntries() throws -> [BootEntry] {
    let defaultFile = defaultEntryFile
    var result: [BootEntry] = []
    for (index, file) in orderedEntryFiles.enumerated() {
      var arguments: [KernelArgument] = []
      if let options = try options(file) {
        arguments = try self.arguments(
          ofCommandLine: options.text, file: file, line: options.line, column: options.column)
      }
      let title = try tree.get(filesPath(file) + "/title") ?? (file as NSString).lastPathComponent
      result.append(
        BootEntry(title: title, file: file, index: index, isDefault: file == defaultFile, arguments: arguments))
    }
    return result
  }

  func ensureBLS(_ request: KernelArgsRequest) throws {
    let selected: [String]
    switch request.entries {
    case .all: selected = orderedEntryFiles
    case .default: selected = defaultEntryFile.map { [$0] } ?? []
    }
    for file in selected where try bootsLinux(file) {
      let current = try options(file)
      let text = current?.text ?? ""
      let edited = try editCommandLine(text, file: file, line: current?.line, column: current?.column) {
        (list) throws(AugeasError) in try list.apply(request)
      }
      if edited == text { continue }
      if edited.isEmpty {
        try tree.remove(filesPath(file) + "/options")  // Spacevars writes no "options" without a value
      } else {
        try tree.set(filesPath(file) + "/options", edited)
      }
      changed.insert(file)
    }
    if request.entries == .all, let kernelCmdline {
      var list = try ArgumentList(tree: tree, node: filesPath(kernelCmdline))
      try list.apply(request)
      if list.changed { changed.insert(kernelCmdline) }
    }
  }
}

import Augeas

/// GRUB legacy: `title` entries with one `kernel` line each, edited as the
/// children of the Grub lens's `kernel` node.
extension BootLoaderEditor {
  /// Children of a `kernel` node that are not arguments.
  static let legacyIgnored: Set<String> = ["@path", "type", "no-mem-option"]

  /// Refuses a file in which the Grub lens found lines it does not know
  /// (it keeps them as `#error` nodes instead of failing).
  func checkLegacy() throws {
    for file in managed {
      let unknown: [String]
      do { unknown = try tree.match(filesPath(file) + "//#error") } catch { throw EditorError(error) }
      guard let first = unknown.first else { continue }
      let value = ((try? tree.get(first)) ?? nil) ?? ""
      // Which occurrence of that text this node is, to find its line.
      let before = unknown.prefix { $0 != first }.count
      let text = original[file] ?? ""
      let candidates = lineNumbers(in: text) { $0.trimmingCharacters(in: .whitespaces) == value }
      let line = candidates.count > before ? candidates[before] : candidates.first
      var message = "unknown line: \(value)"
      if let keyword = value.split(whereSeparator: { !$0.isLetter }).first {
        message += " (the Grub lens does not know '\(keyword)' here)"
      }
      if let names = aliases[file]?.filter({ $0 != file }), !names.isEmpty {
        message += " (the file is also reached as \(names.joined(separator: ", ")))"
      }
      throw EditorError(file: file, line: line, column: line == nil ? nil : 1, message: message)
    }
  }

  /// The 0-based default entry of `file`: `default` (0 when missing); `nil`
  /// for `default=saved` or a value that is not a number.
  func legacyDefault(_ file: String) throws(AugeasError) -> Int? {
    guard let value = try tree.get(filesPath(file) + "/default") else { return 0 }
    return Int(value.trimmingCharacters(in: .whitespaces))
  }

  func legacyEntries() throws(AugeasError) -> [BootEntry] {
    var result: [BootEntry] = []
    for file in managed {
      let defaultIndex = try legacyDefault(file)
      for (index, title) in try tree.match(filesPath(file) + "/title").enumerated() {
        var arguments: [KernelArgument] = []
        if let kernel = try tree.match(title + "/kernel").first {
          arguments = try ArgumentList(tree: tree, node: kernel, ignored: Self.legacyIgnored).arguments
        }
        result.append(
          BootEntry(
            title: try tree.get(title) ?? "", file: file, index: index, isDefault: index == defaultIndex,
            arguments: arguments))
      }
    }
    return result
  }

  func ensureLegacy(_ request: KernelArgsRequest) throws {
    for argument in request.present + request.absent where Self.legacyIgnored.contains(argument.key) {
      throw EditorError(
        message: "kernel argument '\(argument)' cannot be written by the Grub lens (its key is a kernel-line switch)")
    }
    // Resolve every selection before changing anything.
    var kernels: [(file: String, node: String)] = []
    for file in managed {
      let titles = try tree.match(filesPath(file) + "/title")
      var selected: [String]
      switch request.entries {
      case .all:
        selected = titles
      case .default:
        guard let index = try legacyDefault(file) else {
          let value = try tree.get(filesPath(file) + "/default") ?? ""
          throw EditorError(
            file: file, line: lineNumbers(in: original[file] ?? "") { $0.hasPrefix("default") }.first,
            message: "default=\(value): the default entry is not known before boot; select all entries instead")
        }
        if titles.isEmpty { continue }
        guard index < titles.count else {
          throw EditorError(
            file: file, line: lineNumbers(in: original[file] ?? "") { $0.hasPrefix("default") }.first,
            message: "default=\(index) but the file has \(titles.count) entries (0 to \(titles.count - 1))")
        }
        selected = [titles[index]]
      }
      for title in selected {
        // Entries without a kernel line (chainloader, DOS) are left alone.
        kernels += try tree.match(title + "/kernel").map { (file, $0) }
      }
    }
    for kernel in kernels {
      var list = try ArgumentList(tree: tree, node: kernel.node, ignored: Self.legacyIgnored)
      try list.apply(request)
      if list.changed { changed.insert(kernel.file) }
    }
  }
}

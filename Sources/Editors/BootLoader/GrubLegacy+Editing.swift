import Augeas
import HostConfig

/// GRUB legacy: the arguments are edited as the children of each selected entry's
/// `kernel` node; the boot loader reads the file itself, so nothing runs after.
extension GrubLegacy: BootLoaderFormat {
  func ensure(_ request: KernelArgsRequest) throws -> Set<String> {
    for argument in request.present + request.absent where Self.ignored.contains(argument.key) {
      throw EditorError(
        message: "kernel argument '\(argument)' cannot be written by the Grub lens (its key is a kernel-line switch)")
    }
    // Resolve every selection before changing anything.
    var kernels: [(file: String, node: String)] = []
    for file in tree.files {
      let titles = try titles(file)
      var selected: [String]
      switch request.entries {
      case .all:
        selected = titles
      case .default:
        let defaultLine = tree.lineNumbers(in: file) { $0.hasPrefix("default") }.first
        guard let index = try defaultIndex(file) else {
          let value = try tree.augeas.get(tree.path(of: file) + "/default") ?? ""
          throw EditorError(
            file: file, line: defaultLine,
            message: "default=\(value): the default entry is not known before boot; select all entries instead")
        }
        if titles.isEmpty { continue }
        guard index < titles.count else {
          throw EditorError(
            file: file, line: defaultLine,
            message: "default=\(index) but the file has \(titles.count) entries (0 to \(titles.count - 1))")
        }
        selected = [titles[index]]
      }
      for title in selected {
        // Entries without a kernel line (chainloader, DOS) are left alone.
        kernels += try tree.augeas.match(title + "/kernel").map { (file, $0) }
      }
    }
    var changed: Set<String> = []
    for kernel in kernels {
      var list = try ArgumentList(tree: tree.augeas, node: kernel.node, ignored: Self.ignored)
      try list.apply(request)
      if list.changed { changed.insert(kernel.file) }
    }
    return changed
  }
}

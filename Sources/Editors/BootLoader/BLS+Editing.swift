import Augeas
import HostConfig

/// BLS: the `options` line of each selected entry, and `/etc/kernel/cmdline` when every
/// entry is selected (kernels installed later take their arguments from it); the boot
/// loader reads the entries itself, so nothing runs after.
extension BLS: BootLoaderFormat {
  func ensure(_ request: KernelArgsRequest) throws -> Set<String> {
    let selected: [String]
    switch request.entries {
    case .all: selected = orderedEntryFiles
    case .default: selected = defaultEntryFile.map { [$0] } ?? []
    }
    var changed: Set<String> = []
    for file in selected where try bootsLinux(file) {
      let current = try options(file)
      let text = current?.text ?? ""
      let edited = try tree.editCommandLine(text, file: file, line: current?.line, column: current?.column) {
        (list) throws(AugeasError) in try list.apply(request)
      }
      if edited == text { continue }
      if edited.isEmpty {
        try tree.augeas.remove(tree.path(of: file) + "/options")  // Spacevars writes no "options" without a value
      } else {
        try tree.augeas.set(tree.path(of: file) + "/options", edited)
      }
      changed.insert(file)
    }
    if request.entries == .all, let kernelCmdline {
      var list = try ArgumentList(tree: tree.augeas, node: tree.path(of: kernelCmdline))
      try list.apply(request)
      if list.changed { changed.insert(kernelCmdline) }
    }
    return changed
  }
}

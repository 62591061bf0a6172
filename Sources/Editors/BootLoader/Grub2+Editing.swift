import Augeas
import HostConfig

/// GRUB 2: the quoted command lines of `GRUB_CMDLINE_LINUX` and
/// `GRUB_CMDLINE_LINUX_DEFAULT` are edited with `Cmdline.lns`; grub.cfg is built from
/// them by `grub-mkconfig`/`grub2-mkconfig`, which must run after the file is written.
extension Grub2: BootLoaderFormat {
  func ensure(_ request: KernelArgsRequest) throws -> Set<String> {
    var changed = false
    switch request.entries {
    case .all:
      // GRUB_CMDLINE_LINUX carries exactly the request; the normal entries
      // must not add another occurrence of a requested key.
      changed = try editVariable(Self.linuxVariable) { (list) throws(AugeasError) in try list.apply(request) }
      changed =
        try editVariable(Self.defaultVariable) { (list) throws(AugeasError) in
          try list.removeAbsent(request.absent)
          for (key, _) in request.presentByKey { try list.removeKey(key) }
        } || changed
    case .default:
      // Normal entries get GRUB_CMDLINE_LINUX then GRUB_CMDLINE_LINUX_DEFAULT;
      // what GRUB_CMDLINE_LINUX sets cannot change for them alone.
      let linux = try arguments(of: Self.linuxVariable)
      for unwanted in request.absent {
        if let found = linux.first(where: {
          $0.key == unwanted.key && (unwanted.value == nil || unwanted.value == $0.value)
        }) {
          throw EditorError(
            file: defaultsFile, line: try shellValue(Self.linuxVariable)?.line,
            message:
              "'\(found)' stands in \(Self.linuxVariable), which applies to every entry: select all entries to remove it"
          )
        }
      }
      var inLinux: [String] = []
      for (key, values) in request.presentByKey {
        let existing = linux.filter { $0.key == key }.map(\.value)
        if existing.isEmpty { continue }
        if existing != values {
          let shown = linux.filter { $0.key == key }.map(\.description).joined(separator: " ")
          throw EditorError(
            file: defaultsFile, line: try shellValue(Self.linuxVariable)?.line,
            message:
              "'\(shown)' stands in \(Self.linuxVariable), which applies to every entry: select all entries to change it"
          )
        }
        inLinux.append(key)
      }
      changed = try editVariable(Self.defaultVariable) { (list) throws(AugeasError) in
        try list.removeAbsent(request.absent)
        for (key, values) in request.presentByKey {
          if inLinux.contains(key) { try list.removeKey(key) } else { try list.ensure(key: key, values: values) }
        }
      }
    }
    return changed ? [defaultsFile] : []
  }

  /// Edits the command line of variable `name` (created when missing and the result is
  /// not empty; double quotes when the value needs them); whether it changed.
  private func editVariable(_ name: String, _ body: (inout ArgumentList) throws(AugeasError) -> Void) throws -> Bool {
    let current = try shellValue(name)
    var value = current ?? ShellValue(quote: "\"", inner: "", line: nil, column: nil)
    let edited = try tree.editCommandLine(
      value.inner, file: defaultsFile, line: value.line, column: value.column, body)
    if edited == value.inner { return false }
    value.inner = edited
    if value.quote.isEmpty && (edited.isEmpty || edited.contains(where: { $0 == " " || $0 == "\t" })) {
      value.quote = "\""
    }
    if current == nil {
      let other = name == Self.linuxVariable ? Self.defaultVariable : Self.linuxVariable
      if try tree.augeas.count(variablePath(other)) == 1 {
        try tree.augeas.insert(name, at: variablePath(other), before: false)
      }
    }
    try tree.augeas.set(variablePath(name), value.rendered)
    return true
  }

  /// The grub.cfg files GRUB 2 reads (real paths; stubs that only `configfile` another
  /// one left out) and the program that writes them: `grub2-mkconfig` where the root
  /// has `/boot/grub2` or `/usr/sbin/grub2-mkconfig`, `grub-mkconfig` otherwise.
  func regeneration() -> Regeneration? {
    let root = tree.root
    let names =
      ["/boot/grub2/grub.cfg", "/boot/grub/grub.cfg"] + root.subfolders("/boot/efi/EFI").map { $0 + "/grub.cfg" }
    var outputs = root.realFiles(names).filter { file in
      // A grub.cfg that cannot be read is regenerated all the same.
      guard let text = (try? root.text(file)) ?? nil else { return true }
      return !Self.isStub(text)
    }
    let rhel = root.isDirectory("/boot/grub2") || root.status("/usr/sbin/grub2-mkconfig") != nil
    if outputs.isEmpty { outputs = [rhel ? "/boot/grub2/grub.cfg" : "/boot/grub/grub.cfg"] }
    return Regeneration(program: rhel ? "grub2-mkconfig" : "grub-mkconfig", outputs: outputs)
  }

  /// A grub.cfg that only hands over to another one (`configfile`), with no entry.
  static func isStub(_ text: String) -> Bool {
    let words = text.split(separator: "\n", omittingEmptySubsequences: false).compactMap {
      $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).first
    }
    return words.contains("configfile") && !words.contains("menuentry") && !words.contains("blscfg")
  }
}

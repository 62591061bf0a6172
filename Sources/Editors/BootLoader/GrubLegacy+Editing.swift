import Augeas
import HostConfig

/// GRUB legacy: the arguments are edited as the children of each selected entry's
/// Linux line (its `kernel` node, or for a Xen dom0 entry its first `module`: the
/// hypervisor's `kernel` line never gets Linux arguments), and in Debian's AUTOMAGIC
/// block the options `update-grub` builds the entries from (`# kopt=`, `# defoptions=`,
/// `# xenkopt=`); the boot loader reads the file itself, so nothing runs after.
extension GrubLegacy: BootLoaderFormat {
  func ensure(_ request: KernelArgsRequest) throws -> Set<String> {
    for argument in request.present + request.absent where Self.ignored.contains(argument.key) {
      throw EditorError(
        message: "kernel argument '\(argument)' cannot be written by the Grub lens (its key is a kernel-line switch)")
    }
    // Resolve every selection (positions among each file's titles) before changing anything.
    var selections: [(menu: LegacyMenu, entries: Set<Int>)] = []
    var blocks: [Automagic] = []
    for file in tree.files {
      let menu = try menu(file)
      let titles = menu.titles
      let automagic = try automagic(file)
      var selected: Set<Int>
      switch request.entries {
      case .all:
        selected = Set(titles.indices)
      case .default:
        let defaultLine = tree.lineNumbers(in: file) { $0.hasPrefix("default") }.first
        guard let index = menu.defaultIndex else {
          let value = try tree.augeas.get(tree.path(of: file) + "/default") ?? ""
          throw EditorError(
            file: file, line: defaultLine,
            message: "default=\(value): the default entry is not known before boot; select all entries instead")
        }
        if titles.isEmpty { continue }
        guard index < titles.count else {
          throw EditorError(
            file: file, line: defaultLine,
            message:
              "default=\(index) but the file has \(counted(titles.count, "entry", plural: "entries")) (0 to \(titles.count - 1))"
          )
        }
        selected = [index]
        // update-grub gives defoptions to every normal entry of the block: they are edited
        // alike, so that the next update-grub writes what the plan shows.
        if let automagic, automagic.entries.contains(index) {
          for entry in automagic.entries where !automagic.isAlternative(titles[entry]) { selected.insert(entry) }
        }
      }
      if let automagic { blocks.append(automagic) }
      selections.append((menu, selected))
    }
    var changed: Set<String> = []
    for block in blocks where try ensureOptions(request, in: block) { changed.insert(block.file) }
    for (menu, selected) in selections where !selected.isEmpty {
      // A walk, not `title[N]`: Augeas finds `title[N]` by counting every title before it.
      let walk = tree.augeas.walk("title", under: tree.path(of: menu.file))
      let children = try linuxNodeChildren(menu)
      for index in menu.titles.indices {
        guard let title = try walk.next() else { break }
        // Entries without a Linux line (chainloader, DOS) are left alone.
        guard selected.contains(index), let node = menu.linuxNode(index, at: title) else { continue }
        var list = try ArgumentList(tree: tree.augeas, node: node, ignored: Self.ignored, children: children?[index])
        try list.apply(request)
        if list.changed { changed.insert(menu.file) }
      }
    }
    return changed
  }

  /// Edits the AUTOMAGIC options of `block` as GRUB 2's defaults are edited: `all` puts
  /// the request on `kopt` (every generated entry) and takes the requested keys and the
  /// absent arguments off `defoptions` and `xenkopt` (added after it); `default` edits
  /// `defoptions` (the normal entries), refusing what `kopt` sets for every entry.
  /// Whether an option changed.
  private func ensureOptions(_ request: KernelArgsRequest, in block: Automagic) throws -> Bool {
    var changed = false
    switch request.entries {
    case .all:
      changed = try editOption(.kopt, in: block) { (list) throws(AugeasError) in try list.apply(request) }
      for option in [Automagic.Option.defoptions, .xenkopt] {
        changed =
          try editOption(option, in: block) { (list) throws(AugeasError) in
            try list.removeAbsent(request.absent)
            for key in request.managedKeys { try list.removeKey(key) }
          } || changed
      }
    case .default:
      let kopt = try optionArguments(.kopt, in: block)
      let koptLine = line(of: .kopt, in: block.file)
      for unwanted in request.absent {
        if let found = kopt.first(where: {
          $0.key == unwanted.key && (unwanted.value == nil || unwanted.value == $0.value)
        }) {
          throw EditorError(
            file: block.file, line: koptLine,
            message: "'\(found)' stands in '# kopt=', which applies to every entry: select all entries to remove it")
        }
      }
      var inKopt: [String] = []
      for (key, values) in request.presentByKey {
        let existing = kopt.filter { $0.key == key }
        if existing.isEmpty { continue }
        if existing.map(\.value) != values {
          throw EditorError(
            file: block.file, line: koptLine,
            message:
              "'\(existing.map(\.description).joined(separator: " "))' stands in '# kopt=', which applies to every entry: select all entries to change it"
          )
        }
        inKopt.append(key)
      }
      changed = try editOption(.defoptions, in: block) { (list) throws(AugeasError) in
        try list.removeAbsent(request.absent)
        for (key, values) in request.presentByKey {
          if inKopt.contains(key) { try list.removeKey(key) } else { try list.ensure(key: key, values: values) }
        }
        for run in request.groups { try list.ensure(run: run) }
      }
    }
    return changed
  }

  /// The arguments of the AUTOMAGIC option `option` (none when it is missing or empty).
  private func optionArguments(_ option: Automagic.Option, in block: Automagic) throws -> [KernelArgument] {
    guard let value = try tree.augeas.get(block.node + "/" + option.rawValue), !value.isEmpty else { return [] }
    return try tree.arguments(
      ofCommandLine: value, in: block.file, line: line(of: option, in: block.file), column: nil)
  }

  /// Edits the command line of the AUTOMAGIC option `option`, when the block has it (a
  /// missing `defoptions` or `xenkopt` adds nothing; a missing `kopt` is created);
  /// whether it changed.
  private func editOption(
    _ option: Automagic.Option, in block: Automagic, _ body: (inout ArgumentList) throws(AugeasError) -> Void
  ) throws -> Bool {
    let path = block.node + "/" + option.rawValue
    let exists = try tree.augeas.count(path) > 0
    if !exists && option != .kopt { return false }
    let value = try tree.augeas.get(path) ?? ""
    let edited = try tree.editCommandLine(
      value, file: block.file, line: line(of: option, in: block.file), column: nil, body)
    if edited == value { return false }
    try tree.augeas.set(path, edited.isEmpty ? nil : edited)  // the lens stores no empty value
    return true
  }
}

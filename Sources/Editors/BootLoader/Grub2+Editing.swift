import Augeas
import HostConfig

/// GRUB 2: the command-line variables are edited where the shell's evaluation says they
/// are decided (``GrubDefaults/decider(of:)``): in `/etc/default/grub` or an admin's
/// drop-in, in place; when a distribution's drop-in decides (a cloud image's), in
/// `/etc/default/grub.d/99-virthost.cfg`, which `grub-mkconfig` reads after it. Each
/// value is edited with `Cmdline.lns`; grub.cfg is built from them by
/// `grub-mkconfig`/`grub2-mkconfig`, which must run after the files are written.
extension Grub2: BootLoaderFormat {
  func ensure(_ request: KernelArgsRequest) throws -> Set<String> {
    var changed: Set<String> = []
    let linux = GrubDefaults.linux
    let normal = GrubDefaults.linuxDefault
    // The Xen dom0 entries read the …_XEN_REPLACE* variables instead when they are not
    // empty: they get the same edit (Debian's xen.cfg itself is never edited).
    // Each edit starts from the tree as it is now, so that ensuring twice is ensuring once.
    let defaults = try current()
    var pairs = [(linux: linux, normal: normal)]
    if defaults.hasXenReplacement {
      pairs.append((defaults.xenReplacement(of: linux) ?? linux, defaults.xenReplacement(of: normal) ?? normal))
    }
    var done: Set<String> = []
    for pair in pairs {
      switch request.entries {
      case .all:
        // The Linux variable carries exactly the request; the normal entries must not add
        // another occurrence of a requested key.
        if done.insert(pair.linux).inserted {
          changed.formUnion(
            try edit(pair.linux, request, defaults) { (list) throws(AugeasError) in try list.apply(request) })
        }
        if done.insert(pair.normal).inserted {
          changed.formUnion(
            try edit(pair.normal, request, defaults) { (list) throws(AugeasError) in
              try list.removeAbsent(request.absent)
              for key in request.managedKeys { try list.removeKey(key) }
            })
        }
      case .default:
        guard done.insert(pair.normal).inserted else { continue }
        let inLinux = try keysStandingIn(pair.linux, request, defaults)
        changed.formUnion(
          try edit(pair.normal, request, defaults) { (list) throws(AugeasError) in
            try list.removeAbsent(request.absent)
            for (key, values) in request.presentByKey {
              if inLinux.contains(key) { try list.removeKey(key) } else { try list.ensure(key: key, values: values) }
            }
            for run in request.groups { try list.ensure(run: run) }
          })
      }
    }
    return changed
  }

  /// For a `default` selection: the requested keys that the Linux variable `name`
  /// already sets as asked (the normal variable must then not repeat them).
  ///
  /// - Throws: when `name` sets a requested key otherwise, or holds an argument to
  ///   remove: it applies to every entry.
  private func keysStandingIn(_ name: String, _ request: KernelArgsRequest, _ defaults: GrubDefaults) throws
    -> [String]
  {
    let linux = defaults.arguments(of: name)
    let line = defaults.decider(of: name)
    for unwanted in request.absent {
      if let found = linux.first(where: {
        $0.key == unwanted.key && (unwanted.value == nil || unwanted.value == $0.value)
      }) {
        throw EditorError(
          file: line?.file ?? defaultsFile, line: line?.line,
          message: "'\(found)' stands in \(name), which applies to every entry: select all entries to remove it")
      }
    }
    var inLinux: [String] = []
    for (key, values) in request.presentByKey {
      let existing = linux.filter { $0.key == key }.map(\.value)
      if existing.isEmpty { continue }
      if existing != values {
        let shown = linux.filter { $0.key == key }.map(\.description).joined(separator: " ")
        throw EditorError(
          file: line?.file ?? defaultsFile, line: line?.line,
          message: "'\(shown)' stands in \(name), which applies to every entry: select all entries to change it")
      }
      inLinux.append(key)
    }
    return inLinux
  }

  /// Where the value of `name` is written.
  enum Target: Equatable {
    /// The deciding assignment, edited in place.
    case inPlace(GrubAssignment)
    /// A new assignment in `/etc/default/grub` (no file sets the variable).
    case newInDefaults
    /// An assignment in `99-virthost.cfg` (a distribution's file decides).
    case dropIn(decider: GrubAssignment)
  }

  /// Where the value of `name` must be written for `grub-mkconfig` to see it.
  ///
  /// - Throws: when a distribution's file that `grub-mkconfig` reads after
  ///   `99-virthost.cfg` decides it (naming both), or when it is only ever appended to in
  ///   `/etc/default/grub`.
  func target(of name: String, in defaults: GrubDefaults) throws -> Target {
    guard let decider = defaults.decider(of: name) else {
      if let append = defaults.assignments[name]?.first(where: { $0.file == defaultsFile }) {
        throw EditorError(
          file: append.file, line: append.line,
          message:
            "\(name) is only appended to (\(append.prefix.trimmingCharacters(in: .whitespaces))…), never set: set it once in \(defaultsFile)"
        )
      }
      return .newInDefaults
    }
    if !defaults.isDistributionOwned(decider.file) { return .inPlace(decider) }
    let dropIn = GrubDefaults.virthostDropIn
    if !defaults.precedes(decider.file, dropIn) {
      throw EditorError(
        file: decider.file, line: decider.line,
        message:
          "\(name) is decided by \(decider.location), a distribution's file that grub-mkconfig reads after \(dropIn): "
          + "a value written to \(dropIn) would be overridden; set \(name) in a drop-in read after \(decider.file)")
    }
    return .dropIn(decider: decider)
  }

  /// Edits the value of variable `name` where it is decided (see ``target(of:)``); the files changed.
  private func edit(
    _ name: String, _ request: KernelArgsRequest, _ defaults: GrubDefaults,
    _ body: (inout ArgumentList) throws(AugeasError) -> Void
  ) throws -> Set<String> {
    let target = try target(of: name, in: defaults)
    let file: String
    let base: String
    var line: Int?
    var column: Int?
    switch target {
    case .inPlace(let decider):
      (file, base, line, column) = (decider.file, decider.words, decider.line, decider.column)
    case .newInDefaults:
      (file, base) = (defaultsFile, "")
    case .dropIn:
      file = GrubDefaults.virthostDropIn
      base = defaults.value(of: name, before: file).trimmingCharacters(in: .whitespaces)
    }
    try refuseAppended(name, after: file, request, defaults)
    let edited = try tree.editCommandLine(base, file: file, line: line, column: column, body)
    if edited == base { return [] }
    switch target {
    case .inPlace(let decider):
      try tree.augeas.set(defaults.path(of: decider), decider.rendered(words: edited))
      return [decider.file]
    case .newInDefaults:
      let path = tree.path(of: defaultsFile)
      let other = name == GrubDefaults.linux ? GrubDefaults.linuxDefault : GrubDefaults.linux
      if try tree.augeas.count(path + "/" + other) == 1 {
        try tree.augeas.insert(name, at: path + "/" + other, before: false)
      }
      try tree.augeas.set(path + "/" + name, "\"" + edited + "\"")
      return [defaultsFile]
    case .dropIn:
      let path = tree.path(of: file)
      let empty = try tree.augeas.count(path + "/*") == 0
      if empty {
        try tree.augeas.set(
          path + "/#comment",
          "Written by virthost: kernel arguments read after the distribution's drop-ins (see docs/boot-loader.md)")
      }
      try tree.augeas.set(path + "/" + name, "\"" + edited + "\"")
      return [file]
    }
  }

  /// Refuses an edit of `name` written in `file` when a file read after it appends an
  /// argument that the request names: that argument cannot be changed where it is written.
  private func refuseAppended(
    _ name: String, after file: String, _ request: KernelArgsRequest, _ defaults: GrubDefaults
  ) throws {
    for append in defaults.assignments[name] ?? [] where append.form != .set && !defaults.precedes(append.file, file) {
      if append.file == file { continue }
      for argument in append.arguments {
        let present = request.present.contains { $0.key == argument.key }
        let absent = request.absent.contains {
          $0.key == argument.key && ($0.value == nil || $0.value == argument.value)
        }
        if present || absent {
          throw EditorError(
            file: append.file, line: append.line,
            message:
              "'\(argument)' is appended to \(name) by \(append.location), which grub-mkconfig reads after \(file): virthost cannot change it there; edit that file"
          )
        }
      }
    }
  }

  /// For each command-line variable an edit moved to `99-virthost.cfg`: which
  /// distribution's file decided it, one sentence each.
  func explanations() -> [String] {
    var result: [String] = []
    let now = try? current()
    for name in GrubDefaults.variables where now?.decider(of: name)?.file == GrubDefaults.virthostDropIn {
      guard case .dropIn(let decider)? = try? target(of: name, in: defaults) else { continue }
      result.append(
        "\(name) is decided by \(decider.location), a distribution's file: virthost writes its value to \(GrubDefaults.virthostDropIn), read after it"
      )
    }
    return result
  }

  func staleGeneratedLines(comparing keys: Set<String>) -> [String] {
    staleLines(comparing: keys).map(\.description)
  }

  func unreadGeneratedConfigurations() -> [String] { unreadGenerated }

  /// The grub.cfg files GRUB 2 reads and the program that writes them: `grub2-mkconfig`
  /// where the root has `/boot/grub2` or `/usr/sbin/grub2-mkconfig` (RHEL), `grub-mkconfig`
  /// otherwise (Debian, Ubuntu); on a Proxmox host in GRUB mode, `proxmox-boot-tool
  /// refresh`, which runs `update-grub` on each ESP (proxmox-kernel-helper 8.1.0,
  /// `zz-proxmox-boot`): running `grub-mkconfig` there would write the root's
  /// `/boot/grub/grub.cfg`, which does not boot.
  func regeneration() -> Regeneration? {
    let root = tree.root
    if let proxmox {
      return Regeneration(
        program: "proxmox-boot-tool", outputs: proxmox.esps.map { ProxmoxBoot.grubConfig(of: $0.uuid) },
        invocation: .writesOutputs(arguments: ["refresh"]))
    }
    var outputs = Grub2GeneratedConfig.files(in: root)
    let rhel = !GrubDefaults.readsDropIns(root)
    if outputs.isEmpty { outputs = [rhel ? "/boot/grub2/grub.cfg" : "/boot/grub/grub.cfg"] }
    return Regeneration(program: rhel ? "grub2-mkconfig" : "grub-mkconfig", outputs: outputs)
  }
}

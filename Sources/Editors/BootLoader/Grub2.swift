import Augeas
import Foundation

/// GRUB 2: `GRUB_CMDLINE_LINUX` (every entry) and `GRUB_CMDLINE_LINUX_DEFAULT`
/// (normal entries) in `/etc/default/grub`, read with the Shellvars lens; the
/// quoted value is parsed and rendered with `Cmdline.lns`.
extension BootLoaderEditor {
  static let linuxVariable = "GRUB_CMDLINE_LINUX"
  static let defaultVariable = "GRUB_CMDLINE_LINUX_DEFAULT"

  /// A variable's value split into its quote and the command line inside.
  struct ShellValue {
    var quote: String
    var inner: String
    var line: Int?
    /// The 1-based column where `inner` starts on `line`.
    var column: Int?

    var rendered: String { quote + inner + quote }
  }

  private func variablePath(_ name: String) -> String { filesPath(defaultsFile!) + "/" + name }

  private func variableLines(_ name: String) -> [Int] {
    lineNumbers(in: original[defaultsFile!] ?? "") { line in
      var trimmed = Substring(line.drop { $0 == " " || $0 == "\t" })
      if trimmed.hasPrefix("export ") { trimmed = trimmed.dropFirst("export ".count).drop { $0 == " " } }
      return trimmed.hasPrefix(name + "=")
    }
  }

  /// The value of `name`, or `nil` when the file does not set it.
  func shellValue(_ name: String) throws -> ShellValue? {
    let file = defaultsFile!
    let nodes = try tree.match(variablePath(name))
    let lines = variableLines(name)
    if nodes.count > 1 {
      throw EditorError(
        file: file, line: lines.dropFirst().first,
        message:
          "\(name) is set \(nodes.count) times (lines \(lines.map(String.init).joined(separator: ", "))); keep one")
    }
    guard let node = nodes.first else { return nil }
    if try tree.count(node + "/*") > 0 {
      throw EditorError(
        file: file, line: lines.first, message: "\(name) is not a plain assignment (array, export or comment after it)")
    }
    let raw = try tree.get(node) ?? ""
    let line = lines.first
    var column: Int?
    if let line, let text = Editors.line(line, of: original[file] ?? ""), let range = text.range(of: name + "=") {
      column = text.distance(from: text.startIndex, to: range.upperBound) + 1
    }
    var value = ShellValue(quote: "", inner: raw, line: line, column: column)
    if raw.count >= 2, let first = raw.first, first == "\"" || first == "'", raw.last == first {
      value.quote = String(first)
      value.inner = String(raw.dropFirst().dropLast())
      value.column = column.map { $0 + 1 }
    }
    let unsafe: Set<Character> = ["\"", "'", "\\", "$", "`"]
    if value.inner.contains(where: { unsafe.contains($0) }) {
      throw EditorError(
        file: file, line: line,
        message:
          "\(name)=\(raw) uses shell quoting or expansion ($, `, \\, nested quotes) the editor cannot edit safely; a quoted argument (with spaces) is not supported"
      )
    }
    return value
  }

  func checkGrub2() throws {
    for name in [Self.linuxVariable, Self.defaultVariable] {
      guard let value = try shellValue(name) else { continue }
      _ = try arguments(ofCommandLine: value.inner, file: defaultsFile!, line: value.line, column: value.column)
    }
  }

  private func variableArguments(_ name: String) throws -> [KernelArgument] {
    guard let value = try shellValue(name) else { return [] }
    return try arguments(ofCommandLine: value.inner, file: defaultsFile!, line: value.line, column: value.column)
  }

  func grub2Entries() throws -> [BootEntry] {
    let linux = try variableArguments(Self.linuxVariable)
    let normal = try variableArguments(Self.defaultVariable)
    let file = defaultsFile!
    return [
      BootEntry(
        title: "normal entries (\(Self.linuxVariable) and \(Self.defaultVariable))", file: file, index: 0,
        isDefault: true, arguments: linux + normal),
      BootEntry(
        title: "recovery entries (\(Self.linuxVariable))", file: file, index: 1, isDefault: false, arguments: linux),
    ]
  }

  /// Edits the command line of variable `name` (created when missing and the
  /// result is not empty; double quotes when the value needs them).
  private func editVariable(_ name: String, _ body: (inout ArgumentList) throws(AugeasError) -> Void) throws {
    let file = defaultsFile!
    let current = try shellValue(name)
    var value = current ?? ShellValue(quote: "\"", inner: "", line: nil, column: nil)
    let edited = try editCommandLine(value.inner, file: file, line: value.line, column: value.column, body)
    if edited == value.inner { return }
    value.inner = edited
    if value.quote.isEmpty && (edited.isEmpty || edited.contains(where: { $0 == " " || $0 == "\t" })) {
      value.quote = "\""
    }
    if current == nil {
      let other = name == Self.linuxVariable ? Self.defaultVariable : Self.linuxVariable
      if try tree.count(variablePath(other)) == 1 {
        try tree.insert(name, at: variablePath(other), before: false)
      }
    }
    try tree.set(variablePath(name), value.rendered)
    changed.insert(file)
  }

  func ensureGrub2(_ request: KernelArgsRequest) throws {
    switch request.entries {
    case .all:
      // GRUB_CMDLINE_LINUX carries exactly the request; the normal entries
      // must not add another occurrence of a requested key.
      try editVariable(Self.linuxVariable) { (list) throws(AugeasError) in try list.apply(request) }
      try editVariable(Self.defaultVariable) { (list) throws(AugeasError) in
        try list.removeAbsent(request.absent)
        for (key, _) in request.presentByKey { try list.removeKey(key) }
      }
    case .default:
      // Normal entries get GRUB_CMDLINE_LINUX then GRUB_CMDLINE_LINUX_DEFAULT;
      // what GRUB_CMDLINE_LINUX sets cannot change for them alone.
      let linux = try variableArguments(Self.linuxVariable)
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
      try editVariable(Self.defaultVariable) { (list) throws(AugeasError) in
        try list.removeAbsent(request.absent)
        for (key, values) in request.presentByKey {
          if inLinux.contains(key) { try list.removeKey(key) } else { try list.ensure(key: key, values: values) }
        }
      }
    }
  }

  // MARK: - Regeneration

  /// The grub.cfg files GRUB 2 reads (real paths; stubs that only
  /// `configfile` another one left out) and the command that writes them.
  static func regenerationPlan(_ files: RootFiles) -> Regeneration {
    let names =
      ["/boot/grub2/grub.cfg", "/boot/grub/grub.cfg"] + files.subdirectories("/boot/efi/EFI").map { $0 + "/grub.cfg" }
    var outputs = files.realFiles(names).filter { file in
      guard let text = files.text(file) else { return true }
      return !isStub(text)
    }
    let rhel = files.isDirectory("/boot/grub2") || files.resolve("/usr/sbin/grub2-mkconfig") != nil
    if outputs.isEmpty { outputs = [rhel ? "/boot/grub2/grub.cfg" : "/boot/grub/grub.cfg"] }
    let program = rhel ? "grub2-mkconfig" : "grub-mkconfig"
    return Regeneration(command: [program, "-o", outputs[0]], outputs: outputs)
  }

  /// A grub.cfg that only hands over to another one (`configfile`), with no entry.
  static func isStub(_ text: String) -> Bool {
    let words = lines(of: text).compactMap { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).first }
    return words.contains("configfile") && !words.contains("menuentry") && !words.contains("blscfg")
  }

  /// GRUB 2 only: what must run because a save changed `/etc/default/grub`
  /// (or because the pending changes would); `nil` otherwise, and once
  /// ``runRegeneration()`` succeeded.
  public func regeneration() -> Regeneration? {
    guard kind == .grub2, let plannedRegeneration, let defaultsFile else { return nil }
    if savedDefaults { return plannedRegeneration }
    let pending = (try? pendingChanges()) ?? []
    return pending.contains { $0.path == defaultsFile } ? plannedRegeneration : nil
  }

  /// GRUB 2 only: the regeneration command and outputs, whether or not
  /// anything changed (to repair a grub.cfg left stale by a failed run).
  public func regenerationCommand() -> Regeneration? { kind == .grub2 ? plannedRegeneration : nil }

  /// Runs the mkconfig program once, its stdout into each output through a
  /// temporary file renamed into place (mode kept); stderr only into the error.
  ///
  /// - Throws: when the root is not the live `/` (run the command inside the
  ///   image instead), for another kind, when the program is missing, fails
  ///   or prints nothing. No output is replaced then.
  public func runRegeneration() throws(EditorError) {
    guard let plan = regenerationCommand() else {
      throw EditorError(
        message: "\(kind.rawValue) needs no regeneration: only GRUB 2 builds grub.cfg from /etc/default/grub")
    }
    guard files.isLiveRoot else {
      throw EditorError(
        message:
          "cannot run \(plan.command.joined(separator: " ")) for the offline root \(root): run it inside that system (for example in a chroot) after the change"
      )
    }
    let program = plan.command[0]
    guard
      let executable = ["/usr/sbin", "/usr/bin", "/sbin", "/bin"].map({ $0 + "/" + program })
        .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
    else {
      throw EditorError(message: "\(program) not found in /usr/sbin, /usr/bin, /sbin or /bin: is GRUB 2 installed?")
    }
    try Self.runMkconfig(executable: executable, outputs: plan.outputs.map(files.host))
    savedDefaults = false
  }

  /// Runs `executable` once with no argument, its stdout into each of
  /// `outputs` (absolute paths) through a temporary file beside it renamed into
  /// place, keeping the output's mode; stderr goes only into the error.
  static func runMkconfig(executable: String, outputs: [String]) throws(EditorError) {
    let manager = FileManager.default
    let program = (executable as NSString).lastPathComponent
    let scratch = NSTemporaryDirectory() + "virthost-mkconfig-\(UUID().uuidString)"
    let temporary = scratch + ".out"
    let errors = scratch + ".err"
    var created: [String] = []
    defer { for file in created { try? manager.removeItem(atPath: file) } }
    guard manager.createFile(atPath: temporary, contents: nil), manager.createFile(atPath: errors, contents: nil),
      let out = FileHandle(forWritingAtPath: temporary), let err = FileHandle(forWritingAtPath: errors)
    else {
      throw EditorError(message: "cannot create temporary files in \(NSTemporaryDirectory()) for \(program)'s output")
    }
    created += [temporary, errors]
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = []
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch {
      throw EditorError(message: "cannot run \(executable): \(error.localizedDescription)")
    }
    process.waitUntilExit()
    try? out.close()
    try? err.close()
    let diagnostics = (manager.contents(atPath: errors).flatMap { String(data: $0, encoding: .utf8) } ?? "")
      .trimmingCharacters(in: .whitespacesAndNewlines)
    guard process.terminationStatus == 0 else {
      throw EditorError(
        message: "\(program) failed (exit \(process.terminationStatus)); no grub.cfg replaced: \(diagnostics)")
    }
    guard let generated = manager.contents(atPath: temporary), !generated.isEmpty else {
      throw EditorError(message: "\(program) printed nothing; no grub.cfg replaced: \(diagnostics)")
    }
    // Stage every copy first, then rename them: a failure leaves every output as it was.
    var staged: [(String, String)] = []
    for target in outputs {
      let mode = (try? manager.attributesOfItem(atPath: target)[.posixPermissions] as? Int) ?? 0o600
      let copy = (target as NSString).deletingLastPathComponent + "/.virthost-grub.cfg.new"
      guard manager.createFile(atPath: copy, contents: generated, attributes: [.posixPermissions: mode]) else {
        throw EditorError(file: target, message: "cannot write a temporary file beside it")
      }
      created.append(copy)
      staged.append((copy, target))
    }
    for (copy, target) in staged {
      guard rename(copy, target) == 0 else {
        throw EditorError(
          file: target, message: "cannot rename the new text into place: \(String(cString: strerror(errno)))")
      }
      created.removeAll { $0 == copy }
    }
  }
}

import Augeas
import Foundation
import RootFS

/// Reads and changes the kernel arguments of a root's boot loader through
/// Augeas: GRUB legacy (`menu.lst`/`grub.conf`, Grub lens), GRUB 2
/// (`/etc/default/grub`, Shellvars lens, values parsed with Cmdline lens) and
/// BLS entries (`/boot/loader/entries/*.conf`, Spacevars lens, `options`
/// parsed with Cmdline lens; `/etc/kernel/cmdline`, Cmdline lens).
///
/// The life of an edit: `init` reads every file and parses its text with its
/// lens (`aug_text_store`), and checks it (anything the editor cannot parse is
/// an error naming the file and line, before any change); ``ensure(_:)``
/// changes the in-memory tree; ``changedFiles()`` names the files whose text
/// will change, without rendering them; ``pendingChanges()`` renders the new
/// texts (`aug_text_retrieve`); ``save()`` writes the changed files (real
/// files, through a temporary file and a rename, mode and owner kept); for
/// GRUB 2, ``regeneration()`` and ``runRegeneration()`` rebuild grub.cfg.
///
/// Files are parsed from their text rather than loaded by Augeas from disk
/// because libaugeas keeps a lens's compiled regular expressions after parsing
/// a text, and drops them after loading or saving a file: an editor opened on
/// a pooled handle (``AugeasHandlePool``) after another one parses with the
/// lens already compiled, and rendering reuses what parsing compiled.
///
/// It owns an ``AugeasTree``, so it is not `Sendable`: use it in one task.
public final class BootLoaderEditor {
  /// The boot loader whose files are edited.
  public let kind: BootLoaderKind
  /// The root directory, as given.
  public let root: String

  let tree: AugeasTree
  let files: RootFiles
  /// The files the editor may write (real paths), in order, with the text read at load.
  var managed: [String] = []
  var original: [String: String] = [:]
  /// Files only read (grubenv), for ``sourceFiles``.
  var readOnly: [String] = []
  /// For error messages: the names under which each real file was found.
  var aliases: [String: [String]] = [:]
  /// The lens each managed file is parsed and rendered with.
  var lenses: [String: String] = [:]
  /// The managed files whose tree was changed since it was parsed or saved.
  /// Augeas's lenses render an unchanged tree as the text it came from, and a
  /// changed tree as a different text, so these are exactly the files whose text changes.
  var changed: Set<String> = []

  // GRUB 2
  var defaultsFile: String?
  var plannedRegeneration: Regeneration?
  var savedDefaults = false

  // BLS
  var entryFiles: [String] = []
  var kernelCmdline: String?
  var savedEntry: String?

  /// The files read (real paths from the root): what a plan digests.
  public var sourceFiles: [String] { managed + readOnly }

  /// Opens the boot loader configuration of `root`; `kind` nil detects it.
  ///
  /// Loads only the lenses and files that kind needs, each real file once
  /// however many symlinked names reach it.
  /// - Throws: ``EditorError`` naming the file and line of anything that cannot
  ///   be parsed (CRLF line endings, a quoted argument with spaces, an unknown
  ///   line), or when no (or several) boot loader configurations are found.
  public init(root: String, kind: BootLoaderKind? = nil) throws(EditorError) {
    let files = RootFiles(root: root)
    let detected: BootLoaderKind
    if let kind { detected = kind } else { detected = try Self.detect(root: root) }
    let kind = detected
    self.kind = kind
    self.root = root
    self.files = files
    switch kind {
    case .grubLegacy:
      let names = Self.legacyNames(files)
      managed = files.realFiles(names)
      guard !managed.isEmpty else {
        throw EditorError(
          message: "no GRUB legacy configuration under \(root): looked for \(names.joined(separator: ", "))")
      }
      for name in names {
        if let real = files.resolve(name), managed.contains(real) { aliases[real, default: []].append(name) }
      }
      for file in managed { lenses[file] = "Grub.lns" }
    case .grub2:
      guard let defaults = files.realFiles(["/etc/default/grub"]).first else {
        throw EditorError(file: "/etc/default/grub", message: "not found under \(root): no GRUB 2 configuration")
      }
      defaultsFile = defaults
      managed = [defaults]
      lenses[defaults] = "Shellvars.lns"
    case .bls:
      entryFiles = files.realFiles(Self.blsEntryNames(files))
      guard !entryFiles.isEmpty else {
        throw EditorError(file: "/boot/loader/entries", message: "no BLS entry (*.conf) under \(root)")
      }
      kernelCmdline = files.realFiles(["/etc/kernel/cmdline"]).first
      managed = entryFiles + (kernelCmdline.map { [$0] } ?? [])
      for file in entryFiles { lenses[file] = "Spacevars.lns" }
      if let kernelCmdline { lenses[kernelCmdline] = "Cmdline.lns" }
      for name in ["/boot/grub2/grubenv", "/boot/grub/grubenv"] {
        guard let real = files.realFiles([name]).first, let text = files.text(real) else { continue }
        readOnly.append(real)
        savedEntry = lines(of: text).first { $0.hasPrefix("saved_entry=") }.map {
          String($0.dropFirst("saved_entry=".count))
        }
        break
      }
    }
    for file in managed { original[file] = files.text(file) }
    tree = try Self.parse(managed, lenses: lenses, texts: original, root: root, aliases: aliases)
    do {
      switch kind {
      case .grubLegacy: try checkLegacy()
      case .grub2:
        try checkGrub2()
        plannedRegeneration = Self.regenerationPlan(files)
      case .bls: try checkBLS()
      }
    } catch {
      throw Self.editorError(error)
    }
  }

  // MARK: - Detection

  static func legacyNames(_ files: RootFiles) -> [String] {
    ["/boot/grub/menu.lst", "/boot/grub/grub.conf", "/etc/grub.conf"]
      + files.subdirectories("/boot/efi/EFI").map { $0 + "/grub.conf" }
  }

  static func blsEntryNames(_ files: RootFiles) -> [String] {
    ["/boot/loader/entries", "/efi/loader/entries", "/boot/efi/loader/entries"].flatMap {
      files.glob($0, suffix: ".conf")
    }
  }

  /// Which boot loader configuration `root` holds.
  ///
  /// GRUB legacy: one of `/boot/grub/menu.lst`, `/boot/grub/grub.conf`,
  /// `/etc/grub.conf`, `/boot/efi/EFI/*/grub.conf`. BLS: entries in
  /// `/boot/loader/entries` and either no `/etc/default/grub` (systemd-boot)
  /// or `GRUB_ENABLE_BLSCFG=true` in it. GRUB 2: `/etc/default/grub` otherwise.
  /// - Throws: when none is found, or several (a leftover `menu.lst` beside
  ///   `/etc/default/grub`, BLS entries that GRUB is not told to read…),
  ///   naming the files found: pass the kind explicitly then.
  public static func detect(root: String) throws(EditorError) -> BootLoaderKind {
    let files = RootFiles(root: root)
    var found: [(BootLoaderKind, String)] = []
    let legacy = legacyNames(files).filter { name in files.resolve(name).map(files.isFile) ?? false }
    if !legacy.isEmpty { found.append((.grubLegacy, legacy.joined(separator: ", "))) }
    let defaults = files.realFiles(["/etc/default/grub"]).first
    let entries = blsEntryNames(files).filter { name in files.resolve(name).map(files.isFile) ?? false }
    let blscfg = defaults.flatMap(files.text).map(Self.enablesBLS) ?? false
    if !entries.isEmpty && (defaults == nil || blscfg) {
      found.append((.bls, "\(entries.count) entries in \((entries[0] as NSString).deletingLastPathComponent)"))
    } else if let defaults {
      found.append((.grub2, defaults))
      if !entries.isEmpty {
        found.append(
          (
            .bls,
            "\(entries.count) entries in \((entries[0] as NSString).deletingLastPathComponent) (but GRUB_ENABLE_BLSCFG is not true)"
          ))
      }
    }
    if found.count == 1 { return found[0].0 }
    if found.isEmpty {
      throw EditorError(
        message:
          "no boot loader configuration found under \(root): looked for GRUB legacy (/boot/grub/menu.lst, /boot/grub/grub.conf, /etc/grub.conf, /boot/efi/EFI/*/grub.conf), GRUB 2 (/etc/default/grub) and BLS entries (/boot/loader/entries/*.conf)"
      )
    }
    let list = found.map { "\($0.0.rawValue) (\($0.1))" }.joined(separator: "; ")
    throw EditorError(
      message: "several boot loader configurations found under \(root): \(list); say which one to edit")
  }

  static func enablesBLS(_ text: String) -> Bool {
    lines(of: text).contains { line in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      return ["GRUB_ENABLE_BLSCFG=true", "GRUB_ENABLE_BLSCFG=\"true\"", "GRUB_ENABLE_BLSCFG='true'"].contains(trimmed)
    }
  }

  // MARK: - Reading

  /// Every boot entry and its kernel arguments (for GRUB 2, the two summaries
  /// described in ``BootEntry``).
  public func entries() throws(EditorError) -> [BootEntry] {
    do {
      switch kind {
      case .grubLegacy: return try legacyEntries()
      case .grub2: return try grub2Entries()
      case .bls: return try blsEntries()
      }
    } catch {
      throw Self.editorError(error)
    }
  }

  // MARK: - Editing

  /// Makes the selected entries satisfy `request`, in memory only.
  ///
  /// - Throws: for an invalid argument, an argument both present and absent,
  ///   a `default` selection that cannot be resolved (`default=saved`, out of
  ///   range), or (GRUB 2, `default`) an argument that `GRUB_CMDLINE_LINUX`
  ///   sets for every entry. Nothing is changed then.
  public func ensure(_ request: KernelArgsRequest) throws(EditorError) {
    try request.validate()
    do {
      switch kind {
      case .grubLegacy: try ensureLegacy(request)
      case .grub2: try ensureGrub2(request)
      case .bls: try ensureBLS(request)
      }
    } catch {
      throw Self.editorError(error)
    }
  }

  /// The files (real paths, in ``sourceFiles`` order) whose text ``save()``
  /// would change, known without rendering any text.
  public func changedFiles() -> [String] {
    managed.filter(changed.contains)
  }

  /// The text the tree of `file` (one of the managed files) renders to now,
  /// always through its lens, even when nothing changed.
  /// - Throws: ``EditorError`` when the lens cannot render the tree.
  public func render(_ file: String) throws(EditorError) -> String {
    guard let lens = lenses[file] else { throw EditorError(file: file, message: "is not a file this editor manages") }
    do {
      return try tree.renderText(lens: lens, from: filesPath(file), original: original[file] ?? "")
    } catch {
      throw EditorError(Self.located(error, in: file))
    }
  }

  /// The files whose text would change, with their text before and after;
  /// nothing is written. Only the ``changedFiles()`` are rendered.
  public func pendingChanges() throws(EditorError) -> [FileChange] {
    var changes: [FileChange] = []
    for file in changedFiles() {
      let after = try render(file)
      let before = original[file]
      if after != before { changes.append(FileChange(path: file, before: before, after: after)) }
    }
    return changes
  }

  /// Writes the changed files, each through a temporary file beside it and a
  /// rename (mode and owner kept); returns the real files written (none when
  /// nothing changed).
  @discardableResult
  public func save() throws(EditorError) -> [String] {
    let changes = try pendingChanges()
    let writer = RootPath(root)
    for change in changes {
      guard let text = change.after else { continue }
      try writer.writeAtomically(change.path, text)
      original[change.path] = text
      changed.remove(change.path)
    }
    if let defaultsFile, changes.contains(where: { $0.path == defaultsFile }) { savedDefaults = true }
    return changes.map(\.path)
  }

  // MARK: - Shared helpers

  static func editorError(_ error: any Error) -> EditorError {
    switch error {
    case let error as EditorError: return error
    case let error as AugeasError: return EditorError(error)
    default: return EditorError(message: "\(error)")
    }
  }

  /// The Augeas path of the file `file` (a real path from the root).
  func filesPath(_ file: String) -> String { Self.filesPath(file) }

  /// The Augeas path of the file `file` (a real path from the root).
  static func filesPath(_ file: String) -> String {
    var escaped = ""
    for character in file {
      if character.isLetter || character.isNumber || "/._-+~:@,".contains(character) {
        escaped.append(character)
      } else {
        escaped += "\\" + String(character)
      }
    }
    return "/files" + escaped
  }

  static let scratch = "/virthost-boot/cmdline"

  /// Parses `text` (a kernel command line found in `file` at `line`, starting
  /// at 1-based `column`) with `Cmdline.lns`, lets `body` edit its arguments,
  /// and renders it back, keeping the formatting of what did not change.
  func editCommandLine(
    _ text: String, file: String, line: Int?, column: Int?,
    _ body: (inout ArgumentList) throws(AugeasError) -> Void
  ) throws -> String {
    let leading = text.prefix { $0 == " " || $0 == "\t" }
    let rest = text.dropFirst(leading.count)
    let trailingCount = rest.reversed().prefix { $0 == " " || $0 == "\t" }.count
    let middle = String(rest.dropLast(trailingCount))
    let trailing = rest.suffix(trailingCount)
    defer { _ = try? tree.remove("/virthost-boot") }
    do {
      try tree.parseText(middle, lens: "Cmdline.lns", into: Self.scratch)
    } catch {
      throw commandLineError(error, text: middle, file: file, line: line, column: column.map { $0 + leading.count })
    }
    var list = try ArgumentList(tree: tree, node: Self.scratch)
    try body(&list)
    // An unchanged tree renders as the text it was parsed from (Augeas's GetPut law).
    if !list.changed { return text }
    let rendered = try tree.renderText(lens: "Cmdline.lns", from: Self.scratch, original: middle)
    return String(leading) + rendered + String(trailing)
  }

  /// The arguments of a command line found in `file`.
  func arguments(ofCommandLine text: String, file: String, line: Int?, column: Int?) throws -> [KernelArgument] {
    var result: [KernelArgument] = []
    _ = try editCommandLine(text, file: file, line: line, column: column) { list in result = list.arguments }
    return result
  }

  func commandLineError(_ error: AugeasError, text: String, file: String, line: Int?, column: Int?) -> EditorError {
    var message = "cannot be parsed as a kernel command line"
    if let detail = error.file?.message { message += " (\(detail))" }
    if text.contains("\"") || text.contains("'") {
      message += ": a quoted argument (with spaces) is not supported"
    } else if text.contains("$") {
      message += ": a variable ($…) is not supported"
    }
    message += "; found: \(text)"
    let character = error.file?.character
    return EditorError(
      file: file, line: line, column: column.map { $0 + (character ?? 0) }, message: message)
  }

  /// A tree holding each of `files` parsed from its text in `texts` with its
  /// lens in `lenses`, at its path under `/files`.
  /// - Throws: an error naming the file and line the lens stops at.
  static func parse(
    _ files: [String], lenses: [String: String], texts: [String: String], root: String,
    aliases: [String: [String]]
  ) throws(EditorError) -> AugeasTree {
    let tree: AugeasTree
    do { tree = try AugeasTree(root: root, transforms: []) } catch { throw EditorError(error) }
    let rootFiles = RootFiles(root: root)
    for file in files {
      guard let lens = lenses[file] else { continue }
      guard let text = texts[file], !text.utf8.contains(0) else {
        let bytes = FileManager.default.contents(atPath: rootFiles.host(file)) ?? Data()
        let problem = TextBytes.problem(in: bytes)
        throw EditorError(
          file: file, line: problem?.line, column: problem?.column, message: problem?.message ?? "cannot be read")
      }
      do {
        try tree.parseText(text, lens: lens, into: filesPath(file))
      } catch {
        throw loadError(located(error, in: file), files: rootFiles, aliases: aliases)
      }
    }
    return tree
  }

  /// An error of parsing or rendering the text of `file`, placed in that file
  /// (Augeas names a text it was given `<text>`).
  static func located(_ error: AugeasError, in file: String) -> AugeasError {
    var located = error
    located.file?.file = file
    return located
  }

  /// An error of parsing a file, with the line that failed and what is on it.
  static func loadError(_ error: AugeasError, files: RootFiles, aliases: [String: [String]]) -> EditorError {
    var result = EditorError(error)
    guard let problem = error.file else { return result }
    let text = files.text(problem.file) ?? ""
    if text.contains("\r\n") {
      result.message += ": the file has CRLF (DOS) line endings; convert it to LF"
    } else if let number = problem.line, let found = line(number, of: text) {
      let trimmed = found.trimmingCharacters(in: .whitespaces)
      if trimmed.contains("\"") || trimmed.contains("'") {
        result.message += ": a quoted argument (with spaces) is not supported"
      }
      result.message += "; found: \(trimmed)"
    }
    if let names = aliases[problem.file]?.filter({ $0 != problem.file }), !names.isEmpty {
      result.message += " (the file is also reached as \(names.joined(separator: ", ")))"
    }
    return result
  }
}

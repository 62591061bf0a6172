import Augeas
import RootFS

/// `/etc/default/grub` and the `/etc/default/grub.d/*.cfg` drop-ins, read as
/// `grub-mkconfig` reads them: `/etc/default/grub` first, then the drop-ins in the C
/// locale's order (bytes), in one shell, a later file seeing and overriding what an
/// earlier one set. Each file is parsed with `Shellvars.lns`; the command-line
/// variables are then evaluated as the shell would (``GrubAssignment``).
///
/// The environment of the program that runs `grub-mkconfig` is never relied upon: a
/// variable no file sets is empty.
public struct GrubDefaults {
  /// `GRUB_CMDLINE_LINUX`: every Linux entry.
  public static let linux = "GRUB_CMDLINE_LINUX"
  /// `GRUB_CMDLINE_LINUX_DEFAULT`: normal (not recovery) entries, after ``linux``.
  public static let linuxDefault = "GRUB_CMDLINE_LINUX_DEFAULT"
  /// `GRUB_CMDLINE_LINUX_XEN_REPLACE`: replaces ``linux`` in the Xen dom0 entries when not empty.
  public static let xenReplace = "GRUB_CMDLINE_LINUX_XEN_REPLACE"
  /// `GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT`: replaces ``linuxDefault`` in the Xen dom0 entries when not empty.
  public static let xenReplaceDefault = "GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT"
  /// The command-line variables evaluated.
  public static let variables = [linux, linuxDefault, xenReplace, xenReplaceDefault]
  /// `/etc/default/grub`.
  public static let defaultsName = "/etc/default/grub"
  /// The drop-in folder.
  public static let dropInFolder = "/etc/default/grub.d"
  /// The drop-in virthost writes when the deciding assignment is in a distribution's file.
  public static let virthostDropIn = "/etc/default/grub.d/99-virthost.cfg"
  /// Drop-ins that packages or image builders own (Ubuntu's cloud images, kdump-tools,
  /// Debian's Xen and init-select): virthost never edits them. A file whose text carries
  /// Ubuntu's `CLOUD_IMG:` marker is one too.
  public static let distributionDropIns: Set<String> = [
    "40-force-partuuid.cfg", "50-cloudimg-settings.cfg", "kdump-tools.cfg", "xen.cfg", "init-select.cfg",
  ]

  /// The files parsed, `/etc/default/grub` first, then the drop-ins in sourcing order.
  public let tree: BootConfigTree
  /// Each command-line variable's assignments, in sourcing order.
  public let assignments: [String: [GrubAssignment]]

  /// The files in sourcing order.
  public var files: [String] { tree.files }

  /// Reads `/etc/default/grub` (which must exist) and the drop-ins under `root`.
  ///
  /// - Throws: naming the file and line of a file the lens cannot parse, of a
  ///   command-line variable built by a command substitution or an expansion that
  ///   cannot be evaluated, set twice in one file, set inside a condition or unset.
  public static func read(_ root: HostRoot) throws(ConfigFileError) -> GrubDefaults {
    guard let defaults = root.realFiles([defaultsName]).first else {
      throw ConfigFileError(file: defaultsName, message: "not found under \(root.path): no GRUB 2 configuration")
    }
    var files = [defaults]
    guard readsDropIns(root) else {
      return try GrubDefaults(tree: BootConfigTree(root: root, files: [(defaults, "Shellvars.lns")]))
    }
    for dropIn in root.glob(dropInFolder, suffix: ".cfg") {
      if let real = root.realFiles([dropIn]).first, !files.contains(real) { files.append(real) }
    }
    // virthost's own drop-in is parsed even when it does not exist yet (as an empty
    // file): an edit that needs it sets its variables like any other file's, and a plan
    // records that it was absent.
    if !files.contains(virthostDropIn) && !root.exists(virthostDropIn) {
      let position = files.dropFirst().firstIndex {
        !Array($0.utf8).lexicographicallyPrecedes(Array(virthostDropIn.utf8))
      }
      files.insert(virthostDropIn, at: position ?? files.endIndex)
    }
    return try GrubDefaults(tree: BootConfigTree(root: root, files: files.map { ($0, "Shellvars.lns") }))
  }

  /// Whether the root's `grub-mkconfig` reads `/etc/default/grub.d/*.cfg`: Debian's and
  /// Ubuntu's do (a Debian patch); RHEL's `grub2-mkconfig` (a root with `/boot/grub2` or
  /// `/usr/sbin/grub2-mkconfig`) reads `/etc/default/grub` only.
  public static func readsDropIns(_ root: HostRoot) -> Bool {
    !(root.isDirectory("/boot/grub2") || root.status("/usr/sbin/grub2-mkconfig") != nil)
  }

  /// Evaluates the command-line variables as `tree` holds them now (edits included).
  ///
  /// - Throws: as ``read(_:)``.
  public init(tree: BootConfigTree) throws(ConfigFileError) {
    var assignments: [String: [GrubAssignment]] = [:]
    for file in tree.files {
      for variable in Self.variables {
        assignments[variable, default: []] += try Self.read(variable, in: file, tree: tree)
      }
    }
    self.tree = tree
    self.assignments = assignments
  }

  private static func read(_ name: String, in file: String, tree: BootConfigTree) throws(ConfigFileError)
    -> [GrubAssignment]
  {
    do {
      return try readAssignments(name, in: file, tree: tree)
    } catch let error as ConfigFileError {
      throw error
    } catch {
      throw ConfigFileError.wrapping(error)
    }
  }

  private static func readAssignments(_ name: String, in file: String, tree: BootConfigTree) throws
    -> [GrubAssignment]
  {
    let base = tree.path(of: file)
    let nodes = try tree.augeas.match(base + "/" + name)
    let lines = tree.lineNumbers(in: file) { line in
      var trimmed = Substring(line.drop { $0 == " " || $0 == "\t" })
      if trimmed.hasPrefix("export ") { trimmed = trimmed.dropFirst("export ".count).drop { $0 == " " } }
      return trimmed.hasPrefix(name + "=")
    }
    if try tree.augeas.count(base + "//" + name) != nodes.count {
      throw ConfigFileError(
        file: file, line: lines.first,
        message:
          "\(name) is set inside a condition, loop or function; virthost cannot tell which value grub-mkconfig gets")
    }
    for unset in try tree.augeas.match(base + "//@unset/*") where try tree.augeas.get(unset) == name {
      throw ConfigFileError(
        file: file, line: tree.lineNumbers(in: file) { $0.contains("unset") && $0.contains(name) }.first,
        message: "\(name) is unset; set it to \"\" instead")
    }
    var result: [GrubAssignment] = []
    for (offset, node) in nodes.enumerated() {
      let line = offset < lines.count ? lines[offset] : nil
      let children = try tree.augeas.children(of: node).map(\.label)
      if children.contains(where: { $0 != "export" }) {
        throw ConfigFileError(
          file: file, line: line, message: "\(name) is not a plain assignment (an array or a comment after it)")
      }
      let raw = try tree.augeas.get(node) ?? ""
      var column: Int?
      if let line, let text = tree.line(line, of: file), let range = text.range(of: name + "=") {
        column = text.distance(from: text.startIndex, to: range.upperBound) + 1
      }
      var quote = ""
      var inner = raw
      if raw.count >= 2, let first = raw.first, first == "\"" || first == "'", raw.last == first {
        quote = String(first)
        inner = String(raw.dropFirst().dropLast())
        column = column.map { $0 + 1 }
      }
      if quote != "'" && (inner.contains("$(") || inner.contains("`")) {
        throw ConfigFileError(
          file: file, line: line, column: column,
          message:
            "\(name)=\(raw) builds the kernel command line with a command substitution; virthost cannot know what it gives: write the arguments themselves"
        )
      }
      let (form, prefix) = quote == "'" ? (GrubAssignment.Form.set, "") : GrubAssignment.form(of: inner, variable: name)
      let words = String(inner.dropFirst(prefix.count))
      let unsafe: Set<Character> = ["\"", "'", "\\", "$", "`"]
      if words.contains(where: { unsafe.contains($0) }) {
        throw ConfigFileError(
          file: file, line: line, column: column,
          message:
            "\(name)=\(raw) uses shell quoting or expansion ($, `, \\, nested quotes) that virthost cannot evaluate or edit safely (it reads plain values, \"$\(name) …\" and \"${\(name):+$\(name) }…\"); a quoted argument (with spaces) is not supported"
        )
      }
      let wordsColumn = column.map { $0 + prefix.count }
      let arguments = try tree.arguments(ofCommandLine: words, in: file, line: line, column: wordsColumn)
      result.append(
        GrubAssignment(
          variable: name, file: file, index: offset + 1, line: line, column: wordsColumn, quote: quote, form: form,
          prefix: prefix, words: words, arguments: arguments))
    }
    if result.filter({ $0.form == .set }).count > 1 {
      let shown = result.filter { $0.form == .set }.compactMap(\.line).map(String.init).joined(separator: ", ")
      throw ConfigFileError(
        file: file, line: result.filter { $0.form == .set }.dropFirst().first?.line,
        message: "\(name) is set \(result.filter { $0.form == .set }.count) times (lines \(shown)); keep one")
    }
    return result
  }

  /// The Augeas path of `assignment`'s node.
  public func path(of assignment: GrubAssignment) -> String {
    tree.path(of: assignment.file) + "/" + assignment.variable + "[\(assignment.index)]"
  }

  /// The value `name` has once every file is read (`""` when no file sets it).
  public func value(of name: String) -> String { value(of: name, before: nil) }

  /// The value `name` has just before the file `file` would be read (`nil`: after every
  /// file), `file` taking its place in the C-locale order.
  public func value(of name: String, before file: String?) -> String {
    var value = ""
    for assignment in assignments[name] ?? [] {
      if let file, !precedes(assignment.file, file) { break }
      value = assignment.evaluate(after: value)
    }
    return value
  }

  /// The arguments of `name` once every file is read.
  public func arguments(of name: String) -> [KernelArgument] {
    var result: [KernelArgument] = []
    for assignment in assignments[name] ?? [] {
      if assignment.form == .set { result = [] }
      result += assignment.arguments
    }
    return result
  }

  /// The assignment that decides `name`: the last one that does not start from the
  /// variable's previous value; `nil` when no file sets it so.
  public func decider(of name: String) -> GrubAssignment? {
    assignments[name]?.last { $0.form == .set }
  }

  /// The self-appending assignments to `name` read after `assignment` (all of them when `nil`).
  public func appends(to name: String, after assignment: GrubAssignment?) -> [GrubAssignment] {
    let all = assignments[name] ?? []
    guard let assignment, let position = all.firstIndex(of: assignment) else { return all }
    return Array(all[(position + 1)...])
  }

  /// Whether the Xen dom0 entries get `…_XEN_REPLACE*` instead of the plain variables:
  /// 20_linux_xen replaces a variable by its Xen one when that one is not empty.
  public var hasXenReplacement: Bool {
    !value(of: Self.xenReplace).isEmpty || !value(of: Self.xenReplaceDefault).isEmpty
  }

  /// The variable that stands for `variable` (``linux`` or ``linuxDefault``) in the Xen
  /// dom0 entries, when it is not empty.
  public func xenReplacement(of variable: String) -> String? {
    let xen = variable == Self.linux ? Self.xenReplace : Self.xenReplaceDefault
    return value(of: xen).isEmpty ? nil : xen
  }

  /// Whether a package or an image builder owns `file` (see ``distributionDropIns``).
  public func isDistributionOwned(_ file: String) -> Bool {
    guard file != files.first, file.hasPrefix(Self.dropInFolder + "/") else { return false }
    let name = String(file.dropFirst(Self.dropInFolder.count + 1))
    return Self.distributionDropIns.contains(name) || tree.text(of: file).contains("CLOUD_IMG:")
  }

  /// Whether `grub-mkconfig` reads `file` before `other`: `/etc/default/grub` first, then
  /// the drop-ins by the bytes of their names.
  public func precedes(_ file: String, _ other: String) -> Bool {
    if file == other { return false }
    if let first = files.firstIndex(of: file), let second = files.firstIndex(of: other) { return first < second }
    if file == files.first { return true }
    if other == files.first { return false }
    return Array(file.utf8).lexicographicallyPrecedes(Array(other.utf8))
  }
}

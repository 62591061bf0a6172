import Augeas
import Foundation
import RootFS

/// GRUB 2: `GRUB_CMDLINE_LINUX` (every entry) and `GRUB_CMDLINE_LINUX_DEFAULT` (normal
/// entries) in `/etc/default/grub`, read with the Shellvars lens; each quoted value is
/// parsed with `Cmdline.lns`. grub.cfg is generated from it, so GRUB 2's entries are
/// two summaries (see ``BootEntry``).
public struct Grub2: BootLoaderConfiguration {
  public static let kind = BootLoaderKind.grub2
  /// The variable whose arguments every entry gets.
  public static let linuxVariable = "GRUB_CMDLINE_LINUX"
  /// The variable whose arguments normal (not recovery) entries add.
  public static let defaultVariable = "GRUB_CMDLINE_LINUX_DEFAULT"
  static let defaultsName = "/etc/default/grub"

  public let tree: BootConfigTree
  /// `/etc/default/grub`, a real path from the root.
  public let defaultsFile: String

  /// A variable's value split into its quote and the command line inside.
  public struct ShellValue: Sendable {
    /// `"`, `'` or nothing.
    public var quote: String
    /// The command line between the quotes.
    public var inner: String
    /// The 1-based line of the assignment, when known.
    public var line: Int?
    /// The 1-based column where `inner` starts on `line`.
    public var column: Int?

    /// Creates a value.
    public init(quote: String, inner: String, line: Int?, column: Int?) {
      self.quote = quote
      self.inner = inner
      self.line = line
      self.column = column
    }

    /// The value as written in the file: `inner` in its quotes.
    public var rendered: String { quote + inner + quote }
  }

  public static func read(_ root: HostRoot) throws(ConfigFileError) -> Grub2 {
    guard let defaults = root.realFiles([defaultsName]).first else {
      throw ConfigFileError(file: defaultsName, message: "not found under \(root.path): no GRUB 2 configuration")
    }
    let grub2 = Grub2(
      tree: try BootConfigTree(root: root, files: [(defaults, "Shellvars.lns")]), defaultsFile: defaults)
    for name in [linuxVariable, defaultVariable] { _ = try grub2.arguments(of: name) }
    return grub2
  }

  /// Whether `text` (of `/etc/default/grub`) sets `GRUB_ENABLE_BLSCFG=true`: GRUB then
  /// boots BLS entries rather than the ones grub.cfg lists.
  static func enablesBLS(_ text: String?) -> Bool {
    (text ?? "").components(separatedBy: "\n").contains { line in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      return ["GRUB_ENABLE_BLSCFG=true", "GRUB_ENABLE_BLSCFG=\"true\"", "GRUB_ENABLE_BLSCFG='true'"].contains(trimmed)
    }
  }

  /// The Augeas path of the variable `name`.
  public func variablePath(_ name: String) -> String { tree.path(of: defaultsFile) + "/" + name }

  private func variableLines(_ name: String) -> [Int] {
    tree.lineNumbers(in: defaultsFile) { line in
      var trimmed = Substring(line.drop { $0 == " " || $0 == "\t" })
      if trimmed.hasPrefix("export ") { trimmed = trimmed.dropFirst("export ".count).drop { $0 == " " } }
      return trimmed.hasPrefix(name + "=")
    }
  }

  /// The value of `name`, or `nil` when the file does not set it.
  ///
  /// - Throws: when it is set more than once, is not a plain assignment, or uses shell
  ///   quoting or expansion that cannot be edited safely.
  public func shellValue(_ name: String) throws(ConfigFileError) -> ShellValue? {
    do {
      return try readShellValue(name)
    } catch {
      throw ConfigFileError.wrapping(error)
    }
  }

  private func readShellValue(_ name: String) throws -> ShellValue? {
    let file = defaultsFile
    let nodes = try tree.augeas.match(variablePath(name))
    let lines = variableLines(name)
    if nodes.count > 1 {
      throw ConfigFileError(
        file: file, line: lines.dropFirst().first,
        message:
          "\(name) is set \(nodes.count) times (lines \(lines.map(String.init).joined(separator: ", "))); keep one")
    }
    guard let node = nodes.first else { return nil }
    if try tree.augeas.count(node + "/*") > 0 {
      throw ConfigFileError(
        file: file, line: lines.first, message: "\(name) is not a plain assignment (array, export or comment after it)")
    }
    let raw = try tree.augeas.get(node) ?? ""
    let line = lines.first
    var column: Int?
    if let line, let text = tree.line(line, of: file), let range = text.range(of: name + "=") {
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
      throw ConfigFileError(
        file: file, line: line,
        message:
          "\(name)=\(raw) uses shell quoting or expansion ($, `, \\, nested quotes) the editor cannot edit safely; a quoted argument (with spaces) is not supported"
      )
    }
    return value
  }

  /// The arguments of the variable `name` (none when it is not set).
  public func arguments(of name: String) throws(ConfigFileError) -> [KernelArgument] {
    guard let value = try shellValue(name) else { return [] }
    return try tree.arguments(ofCommandLine: value.inner, in: defaultsFile, line: value.line, column: value.column)
  }

  public func entries() throws(ConfigFileError) -> [BootEntry] {
    let linux = try arguments(of: Self.linuxVariable)
    let normal = try arguments(of: Self.defaultVariable)
    return [
      BootEntry(
        title: "normal entries (\(Self.linuxVariable) and \(Self.defaultVariable))", file: defaultsFile, index: 0,
        isDefault: true, arguments: linux + normal),
      BootEntry(
        title: "recovery entries (\(Self.linuxVariable))", file: defaultsFile, index: 1, isDefault: false,
        arguments: linux),
    ]
  }
}

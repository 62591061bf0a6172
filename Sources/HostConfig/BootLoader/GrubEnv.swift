import Augeas
import RootFS

/// GRUB's environment block (`/boot/grub2/grubenv`, `/boot/grub/grubenv`): a fixed-size
/// block (1024 bytes) of comment lines (`# GRUB Environment Block`, Debian's WARNING line),
/// then `name=value` lines, then `#` padding to the block's size with no newline after it.
/// RHEL 8 keeps the kernel command line of its BLS entries here (`kernelopts`, read by
/// `options $kernelopts`); tuned keeps `tuned_params`.
///
/// Read with Augeas's `GrubEnv.lns` (header lines and the padding are `#comment` nodes,
/// each variable a `name`/`value` pair); rendered here, byte for byte as `grub-editenv`
/// writes it (`lib/envblk.c`), because the lens keeps the padding as it was read: after an
/// edit through it the block would grow or shrink. The rules, checked against
/// `grub-editenv` (the oracle): the header is kept; `set` rewrites a variable in place and
/// appends a new one after the last; `unset` removes the line; `\` and newline in a value
/// are written as `\\` and `\` + newline; the padding fills to the block's size; a block
/// that would not fit is refused, never truncated.
public struct GrubEnv: Sendable, Equatable {
  /// One `name=value` line.
  public struct Variable: Sendable, Equatable {
    /// The name (`kernelopts`).
    public var name: String
    /// The value, unescaped.
    public var value: String
  }

  /// The variable RHEL 8's BLS entries take their arguments from (`options $kernelopts`).
  public static let kernelopts = "kernelopts"
  /// The size of a block `grub-editenv create` makes.
  public static let standardSize = 1024
  /// Where the block is parsed in the tree, outside `/files`.
  static let scratch = "/virthost-grubenv"

  /// The file (a real path from the root).
  public var file: String
  /// The comment lines before the variables, each with its newline, as read.
  public var header: String
  /// The variables, in order.
  public private(set) var variables: [Variable]
  /// The block's size in bytes: the size of the file as read (1024 for any block
  /// `grub-editenv` made).
  public var size: Int
  /// The names set or unset since the block was read, for the refusal of a block that does not fit.
  private var edited: [String] = []

  /// Parses `text`, the block read from `file`, with `GrubEnv.lns` in `augeas`.
  ///
  /// - Throws: naming the file and line when the lens does not accept it, or when a
  ///   comment stands between variables (the block is then not one `grub-editenv` wrote).
  public init(parsing text: String, file: String, augeas: AugeasTree) throws(ConfigFileError) {
    let children: [(label: String, value: String?)]
    var values: [(name: String?, value: String?)] = []
    do {
      // The padding has no newline after it, and the lens wants one at the end of every
      // line: Augeas adds it when it loads a file itself (`aug_load`), so it is added here.
      try augeas.parseText(text.hasSuffix("\n") ? text : text + "\n", lens: "GrubEnv.lns", into: Self.scratch)
      defer { _ = try? augeas.remove(Self.scratch) }
      children = try augeas.children(of: Self.scratch)
      for (index, child) in children.enumerated() where child.label != "#comment" {
        let node = "\(Self.scratch)/*[\(index + 1)]"
        values.append((try augeas.get(node + "/name"), try augeas.get(node + "/value")))
      }
    } catch {
      var located = error
      located.file?.file = file
      throw ConfigFileError(located)
    }
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let leading = children.prefix { $0.label == "#comment" }.count
    // The padding is the one comment without a newline after it: the last piece of the split.
    let headerLines = min(leading, lines.count - 1)
    if let misplaced = children.dropFirst(leading).firstIndex(where: { $0.label == "#comment" }),
      misplaced < children.count - 1
    {
      throw ConfigFileError(
        file: file, line: misplaced + 1,
        message:
          "a comment stands between the variables: this is not a block grub-editenv wrote; virthost does not edit it")
    }
    self.file = file
    header = lines.prefix(headerLines).map { $0 + "\n" }.joined()
    variables = values.map { Variable(name: $0.name ?? "", value: Self.unescaped($0.value ?? "")) }
    size = max(text.utf8.count, Self.standardSize)
  }

  /// The value of `name`, or `nil` when the block does not set it.
  public func value(_ name: String) -> String? {
    variables.first { $0.name == name }?.value
  }

  /// Sets `name` to `value`: in place when it is set, else after the last variable.
  public mutating func set(_ name: String, _ value: String) {
    edited.append(name)
    if let index = variables.firstIndex(where: { $0.name == name }) {
      variables[index].value = value
    } else {
      variables.append(Variable(name: name, value: value))
    }
  }

  /// Removes `name` (nothing when the block does not set it).
  public mutating func unset(_ name: String) {
    edited.append(name)
    variables.removeAll { $0.name == name }
  }

  /// The block's bytes, as `grub-editenv` writes them.
  ///
  /// - Throws: when the variables do not fit in ``size`` bytes, naming the sizes and the
  ///   variables edited; the block is never truncated.
  public func rendered() throws(ConfigFileError) -> String {
    var text = header
    for variable in variables { text += variable.name + "=" + Self.escaped(variable.value) + "\n" }
    let needed = text.utf8.count
    guard needed <= size else {
      let names = edited.isEmpty ? "its variables" : Array(Set(edited)).sorted().joined(separator: ", ")
      throw ConfigFileError(
        file: file,
        message:
          "grubenv would need \(needed) bytes (\(size) available): \(names) does not fit; nothing is truncated, shorten the value or remove other variables"
      )
    }
    return text + String(repeating: "#", count: size - needed)
  }

  /// `value` as stored: `\` and newline prefixed with a backslash.
  static func escaped(_ value: String) -> String {
    var result = ""
    for character in value {
      if character == "\\" || character == "\n" { result.append("\\") }
      result.append(character)
    }
    return result
  }

  /// A stored value with its backslash escapes removed.
  static func unescaped(_ stored: String) -> String {
    var result = ""
    var escaping = false
    for character in stored {
      if !escaping && character == "\\" {
        escaping = true
        continue
      }
      escaping = false
      result.append(character)
    }
    return result
  }

  /// The grubenv files GRUB reads, in the order they are looked for.
  public static let names = ["/boot/grub2/grubenv", "/boot/grub/grubenv"]

  /// The first grubenv under `root` among `names` (by default `/boot/grub2/grubenv`, else
  /// `/boot/grub/grubenv`), parsed in `augeas`; `nil` when there is none.
  public static func read(_ root: HostRoot, augeas: AugeasTree, names: [String] = names) throws(ConfigFileError)
    -> GrubEnv?
  {
    guard let real = root.realFiles(names).first else { return nil }
    let text: String?
    do { text = try root.text(real) } catch { throw ConfigFileError(error, reading: real) }
    guard let text else { return nil }
    return try GrubEnv(parsing: text, file: real, augeas: augeas)
  }
}

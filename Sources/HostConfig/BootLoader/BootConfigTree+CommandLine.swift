import Augeas

/// A kernel command line parsed with `Cmdline.lns` into a scratch node of a
/// ``BootConfigTree``: one child per argument, labelled with its key and valued with
/// its value (none for a flag). The blanks around the line are kept apart, as the lens
/// takes none.
public struct ParsedCommandLine {
  /// The node whose children are the arguments.
  public let node: String
  /// The blanks before the line.
  public let leading: String
  /// The line without its surrounding blanks: what the lens parsed.
  public let text: String
  /// The blanks after the line.
  public let trailing: String
}

extension BootConfigTree {
  /// Where command lines are parsed, outside `/files`.
  static let scratch = "/virthost-boot/cmdline"

  /// Parses `text`, a kernel command line found in `file` at `line` starting at 1-based
  /// `column`, into the scratch node; ``discardCommandLine()`` removes it.
  ///
  /// - Throws: an error placed in `file` at the character the lens stops at, with a hint
  ///   for a quoted argument or a variable.
  public func parseCommandLine(_ text: String, in file: String, line: Int?, column: Int?) throws(ConfigFileError)
    -> ParsedCommandLine
  {
    let leading = text.prefix { $0 == " " || $0 == "\t" }
    let rest = text.dropFirst(leading.count)
    let trailingCount = rest.reversed().prefix { $0 == " " || $0 == "\t" }.count
    let middle = String(rest.dropLast(trailingCount))
    do {
      try augeas.parseText(middle, lens: "Cmdline.lns", into: Self.scratch)
    } catch {
      throw commandLineError(
        error, text: middle, file: file, line: line, column: column.map { $0 + leading.count })
    }
    return ParsedCommandLine(
      node: Self.scratch, leading: String(leading), text: middle, trailing: String(rest.suffix(trailingCount)))
  }

  /// Removes what ``parseCommandLine(_:in:line:column:)`` parsed.
  public func discardCommandLine() {
    _ = try? augeas.remove("/virthost-boot")  // removing a node that is there cannot fail
  }

  /// The arguments of `text`, a kernel command line found in `file` (see
  /// ``parseCommandLine(_:in:line:column:)``).
  public func arguments(ofCommandLine text: String, in file: String, line: Int?, column: Int?) throws(ConfigFileError)
    -> [KernelArgument]
  {
    let parsed = try parseCommandLine(text, in: file, line: line, column: column)
    defer { discardCommandLine() }
    do { return try arguments(at: parsed.node) } catch { throw ConfigFileError(error) }
  }

  /// The arguments held as the children of `node` (a `Cmdline.lns` tree, the Grub lens's
  /// `kernel` node), leaving out the children labelled in `ignored`.
  public func arguments(at node: String, ignoring ignored: Set<String> = []) throws(AugeasError) -> [KernelArgument] {
    KernelArgument.list(try augeas.children(of: node), ignoring: ignored)
  }

  private func commandLineError(_ error: AugeasError, text: String, file: String, line: Int?, column: Int?)
    -> ConfigFileError
  {
    var message = "cannot be parsed as a kernel command line"
    if let detail = error.file?.message { message += " (\(detail))" }
    if text.contains("\"") || text.contains("'") {
      message += ": a quoted argument (with spaces) is not supported"
    } else if text.contains("$") {
      message += ": a variable ($…) is not supported"
    }
    message += "; found: \(text)"
    let character = error.file?.character
    return ConfigFileError(file: file, line: line, column: column.map { $0 + (character ?? 0) }, message: message)
  }
}

extension KernelArgument {
  /// The arguments that the children of an Augeas node stand for (label: key, value:
  /// value), leaving out the children labelled in `ignored`.
  public static func list(_ children: [(label: String, value: String?)], ignoring ignored: Set<String> = [])
    -> [KernelArgument]
  {
    children.filter { !ignored.contains($0.label) }.map { KernelArgument(key: $0.label, value: $0.value) }
  }
}

import Augeas
import HostConfig

/// Edits of a sysctl file line by line, each line read and rendered by the shipped Sysctl lens.
///
/// Why not one render of the whole file: the lens reads an exclusion line (`-KEY`, no `=`, as in
/// systemd's own `50-default.conf`) as a node without a value, and its put direction cannot write
/// such a node back (`aug_text_retrieve` fails with "None of the alternatives in the union match",
/// which reached users as "aug_preview … failed: No error"), whatever node was edited. The lens is
/// a sequence of one-line entries (no continuation lines), so rendering one line alone with it is
/// the same lens's result for that line, and every other line keeps its bytes. Callers parse the
/// whole result again with the lens (``SysctlConfiguration``) before planning it.
///
/// Not `Sendable`: it uses an `AugeasTree`.
struct SysctlText {
  private let tree: AugeasTree
  private static let scratch = "/sysctl-line"

  init() throws(EditorError) {
    do {
      tree = try AugeasTree(root: "/", transforms: [])
    } catch {
      throw EditorError(error)
    }
  }

  /// `text` with the value of its `entry`-th line that is not a comment or blank set to `value`.
  func replacingValue(entry: Int, with value: String, in text: String, file: String) throws(EditorError) -> String {
    var lines = Self.lines(text)
    let index = try lineIndex(ofEntry: entry, in: lines, file: file)
    lines[index] = try render(lines[index], file: file) { (node) throws(AugeasError) in try tree.set(node, value) }
    return lines.joined()
  }

  /// `text` without its lines that are not comments or blank numbered `entries`.
  func removing(entries: [Int], from text: String, file: String) throws(EditorError) -> String {
    var lines = Self.lines(text)
    var indices: [Int] = []
    for entry in entries { indices.append(try lineIndex(ofEntry: entry, in: lines, file: file)) }
    for index in indices.sorted(by: >) { lines.remove(at: index) }
    return lines.joined()
  }

  /// `text` (`nil`: a new file, which starts with `header`) with the line `key = value` added at its end.
  func appending(key: String, value: String, to text: String?, header: String, file: String) throws(EditorError)
    -> String
  {
    let line: String
    do {
      try tree.set(Self.scratch, nil)
      defer { _ = try? tree.remove(Self.scratch) }
      if text == nil { try tree.set(Self.scratch + "/#comment", header) }
      try tree.set(Self.scratch + "/" + key, value)
      line = try tree.renderText(lens: SysctlConfiguration.lens, from: Self.scratch, original: "")
    } catch {
      throw EditorError(text: error, file: file)
    }
    guard let text, !text.isEmpty else { return line }
    return text + (text.hasSuffix("\n") ? "" : "\n") + line
  }

  /// The lines of `text`, each with its newline (the last one may lack it).
  private static func lines(_ text: String) -> [String] {
    var lines: [String] = []
    var current = ""
    for character in text {
      current.append(character)
      if character == "\n" {
        lines.append(current)
        current = ""
      }
    }
    if !current.isEmpty { lines.append(current) }
    return lines
  }

  /// The index in `lines` of the `entry`-th line the lens reads as an entry (not a comment or blank).
  private func lineIndex(ofEntry entry: Int, in lines: [String], file: String) throws(EditorError) -> Int {
    var seen = 0
    for (index, line) in lines.enumerated() {
      let isEntry: Bool
      do {
        try tree.parseText(Self.terminated(line), lens: SysctlConfiguration.lens, into: Self.scratch)
        defer { _ = try? tree.remove(Self.scratch) }
        isEntry = try tree.children(of: Self.scratch).contains { !$0.label.hasPrefix("#") }
      } catch {
        throw EditorError(text: error, file: file)
      }
      if isEntry {
        if seen == entry { return index }
        seen += 1
      }
    }
    throw EditorError(file: file, message: "has no line number \(entry + 1) that sets a key (changed while planning?)")
  }

  /// `line` rendered by the lens after `edit` changed its entry node.
  private func render(_ line: String, file: String, _ edit: (String) throws(AugeasError) -> Void) throws(EditorError)
    -> String
  {
    let original = Self.terminated(line)
    var rendered: String?
    do throws(AugeasError) {
      try tree.parseText(original, lens: SysctlConfiguration.lens, into: Self.scratch)
      defer { _ = try? tree.remove(Self.scratch) }
      for node in try tree.match(Self.scratch + "/*") where try tree.label(node)?.hasPrefix("#") == false {
        try edit(node)
        rendered = try tree.renderText(lens: SysctlConfiguration.lens, from: Self.scratch, original: original)
        break
      }
    } catch {
      throw EditorError(text: error, file: file)
    }
    guard let rendered else { throw EditorError(file: file, message: "line \(String(reflecting: line)) sets no key") }
    return line.hasSuffix("\n") ? rendered : String(rendered.dropLast())
  }

  private static func terminated(_ line: String) -> String { line.hasSuffix("\n") ? line : line + "\n" }
}

import Augeas
import Foundation
import HostConfig
import RootFS

/// RHEL 8's second copy of `kernelopts`: `grub2-mkconfig` writes into grub.cfg
/// `if [ -z "${kernelopts}" ]; then set kernelopts="…"; fi`, used when grubenv has none
/// (a grubenv recreated with `grub2-editenv - create`). It is kept in step with grubenv's
/// value, so that such a boot still carries the requested arguments, and the next
/// `grub2-mkconfig` (from `GRUB_CMDLINE_LINUX`, kept in step too) writes the same.
///
/// Found line by line: Augeas ships no lens for GRUB 2's grub.cfg (a GRUB script), and
/// only this one `set kernelopts="…"` assignment, on a line of its own as `10_linux`
/// writes it, is edited; its quoted value is parsed and rendered with `Cmdline.lns`.
struct KerneloptsFallback {
  /// Where an edit keeps the new texts, one child per file, until they are rendered.
  static let edits = "/virthost-edits/fallback"
  private static let prefix = "set kernelopts=\""

  /// Applies `request` to the fallback of each of `files` (grub.cfg files under the root
  /// of `tree`) that has one; the files whose text changes.
  static func ensure(_ request: KernelArgsRequest, files: [String], in tree: BootConfigTree) throws -> Set<String> {
    var changed: Set<String> = []
    for (index, file) in files.enumerated() {
      let node = "\(edits)/\(index + 1)"
      let original: String
      do { original = try tree.root.text(file) ?? "" } catch { throw EditorError(message: "\(file): \(error)") }
      let text = try tree.augeas.get(node + "/text") ?? original
      var lines = text.components(separatedBy: "\n")
      var edited = false
      for (number, line) in lines.enumerated() {
        let indent = line.prefix { $0 == " " || $0 == "\t" }
        let rest = line.dropFirst(indent.count)
        guard rest.hasPrefix(prefix), rest.hasSuffix("\""), rest.count > prefix.count else { continue }
        let value = String(rest.dropFirst(prefix.count).dropLast())
        let new = try tree.editCommandLine(
          value, file: file, line: number + 1, column: indent.count + prefix.count + 1
        ) { (list) throws(AugeasError) in try list.apply(request) }
        if new != value {
          lines[number] = indent + prefix + new + "\""
          edited = true
        }
      }
      guard edited else { continue }
      try tree.augeas.set(node + "/file", file)
      try tree.augeas.set(node + "/text", lines.joined(separator: "\n"))
      changed.insert(file)
    }
    return changed
  }

  /// The planned change of `file`, when an edit changed its fallback.
  static func change(of file: String, in tree: BootConfigTree) throws -> FileChange? {
    for node in try tree.augeas.match(edits + "/*") where try tree.augeas.get(node + "/file") == file {
      let before: String?
      do { before = try tree.root.text(file) } catch { throw EditorError(message: "\(file): \(error)") }
      return FileChange(path: file, before: before, after: try tree.augeas.get(node + "/text"))
    }
    return nil
  }
}

import HostConfig

/// A value of a requested key that an edit takes off an entry although the request did not
/// name it: `amd_iommu=off` when `amd_iommu=on` is asked (grubby's semantics: one key, the
/// requested values only), or a second `intel_iommu=igfx_off` beside the `intel_iommu=on`
/// asked. A plan shows each one on a line of its own, so that nobody approves the loss of
/// an admin's value without seeing it.
public struct ArgumentRemoval: Sendable, Equatable, CustomStringConvertible {
  /// The argument taken off.
  public var argument: KernelArgument
  /// The requested values of its key, which stay (empty when the key is only removed).
  public var replacedBy: [KernelArgument]
  /// The file that holds the entry (a real path from the root).
  public var file: String
  /// The entry's title.
  public var entry: String

  /// `- kernel argument amd_iommu=off (replaced by amd_iommu=on) in /boot/grub/grub.conf, entry 'CentOS'`.
  public var description: String {
    var text = "- kernel argument \(argument)"
    if !replacedBy.isEmpty { text += " (replaced by \(replacedBy.map(\.description).joined(separator: " ")))" }
    return text + " in \(file), entry '\(entry)'"
  }

  /// The removals between the entries as read (`before`) and as edited (`after`, the same
  /// entries matched by file and index) for `request`: every argument of a key the request
  /// asks present that stood on an entry, is no longer on it, and is not one of the
  /// requested values. Arguments the request asks absent are not listed: they were asked.
  public static func between(before: [BootEntry], after: [BootEntry], request: KernelArgsRequest) -> [ArgumentRemoval] {
    let wanted = Dictionary(grouping: request.present, by: \.key)
    var edited: [String: [Int: BootEntry]] = [:]
    for entry in after { edited[entry.file, default: [:]][entry.index] = entry }
    var removals: [ArgumentRemoval] = []
    for old in before {
      guard let new = edited[old.file]?[old.index] else { continue }
      var remaining = new.arguments
      for argument in old.arguments {
        guard let values = wanted[argument.key] else { continue }
        if let kept = remaining.firstIndex(of: argument) {
          remaining.remove(at: kept)
          continue
        }
        if values.contains(argument) { continue }
        removals.append(ArgumentRemoval(argument: argument, replacedBy: values, file: old.file, entry: old.title))
      }
    }
    return removals
  }
}

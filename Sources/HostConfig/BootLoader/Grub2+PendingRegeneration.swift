/// A Linux line of a generated grub.cfg whose arguments, among those compared, differ
/// from what the next `grub-mkconfig` would write there: the grub.cfg waits for a
/// regeneration ("pending regeneration").
public struct Grub2StaleLine: Sendable, Equatable, CustomStringConvertible {
  /// The grub.cfg, a real path from the root.
  public var file: String
  /// The 1-based line.
  public var line: Int
  /// The entries it belongs to.
  public var kind: Grub2GeneratedConfig.Kind
  /// The compared arguments the line has.
  public var found: [KernelArgument]
  /// The compared arguments the evaluated defaults give it.
  public var expected: [KernelArgument]

  /// `/boot/grub/grub.cfg:119 (normal entries) has none of …, the defaults give amd_iommu=on`.
  public var description: String {
    func shown(_ arguments: [KernelArgument]) -> String {
      arguments.isEmpty ? "none of them" : arguments.map(\.description).joined(separator: " ")
    }
    return "\(file):\(line) (\(kind.rawValue) entries) has \(shown(found)); the defaults give \(shown(expected))"
  }
}

extension Grub2 {
  /// The Linux lines of every grub.cfg read whose arguments with a key in `keys` differ
  /// (in value, number or order) from those the evaluated defaults give their entries;
  /// the arguments `grub-mkconfig` adds itself (`root=`, `ro`, `single`) are compared
  /// only when `keys` names them. None when the root has no grub.cfg: nothing generated
  /// is there to be stale.
  public func staleLines(comparing keys: Set<String>) -> [Grub2StaleLine] {
    var result: [Grub2StaleLine] = []
    for config in generated {
      for line in config.lines {
        let found = line.arguments.filter { keys.contains($0.key) }
        let expected = expectedArguments(line.kind).filter { keys.contains($0.key) }
        if found != expected {
          result.append(
            Grub2StaleLine(file: config.file, line: line.line, kind: line.kind, found: found, expected: expected))
        }
      }
    }
    return result
  }
}

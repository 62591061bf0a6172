import HostConfig
import Yams

/// `memory: {transparent_hugepages: always | madvise | never}`: the kernel argument
/// `transparent_hugepage=` for every boot, and the running kernel's mode now
/// (`/sys/kernel/mm/transparent_hugepage/enabled`, the effect `check` reads).
enum MemoryFeature: Feature {
  static let keys = ["memory"]

  /// The modes of transparent huge pages.
  enum TransparentHugePages: String, CaseIterable, Sendable {
    case always, madvise, never
  }

  /// The block.
  struct Section: FeatureSection, Equatable {
    /// `transparent_hugepages`, when written.
    var transparentHugePages: TransparentHugePages?
  }

  /// The running kernel's mode, with every choice listed and the current one in brackets.
  static let enabledFile = "/sys/kernel/mm/transparent_hugepage/enabled"
  /// The key of the setting.
  static let key = "memory.transparent_hugepages"

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    var section = Section()
    for (_, _, mode) in reader.entries(value, key, known: ["transparent_hugepages"]) {
      section.transparentHugePages = reader.choice(mode, Self.key, TransparentHugePages.self)
    }
    spec.sections[key] = section
  }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    guard let mode = expansion.spec.memory?.transparentHugePages else { return [] }
    let setting = "\(Self.key): \(mode.rawValue)"
    wants.kernelArguments.append(
      .init(
        argument: KernelArgument(key: "transparent_hugepage", value: mode.rawValue), present: true, origin: Self.key,
        reason: "\(setting) at every boot"))
    wants.live.append(
      .init(
        address: ResourceAddress(.sysfs, Self.enabledFile), path: Self.enabledFile, value: mode.rawValue,
        origin: Self.key, reason: "\(setting) in the running kernel", choosesInBrackets: true))
    return []
  }
}

extension HostSpec {
  /// `memory:`, or `nil` when absent.
  var memory: MemoryFeature.Section? { section("memory") }
}

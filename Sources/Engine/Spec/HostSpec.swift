import HostConfig
import KSMConfig

/// The desired state of a KVM host, as read from its `host.yaml`.
///
/// A key left out of the file leaves that part of the host unmanaged: the engine
/// neither reads nor changes it. Built by ``SpecParser``; plain values only. Each key's
/// block, and its accessor (`spec.ksm`), is declared in its feature's folder
/// (`Sources/Engine/Features/<Key>/`).
public struct HostSpec: Sendable, Equatable {
  /// One `name: value` pair of an ordered map (`sysctl`).
  public struct Setting: Sendable, Equatable {
    /// The key as written.
    public var name: String
    /// The value as written, as text.
    public var value: String

    /// Creates a pair.
    public init(_ name: String, _ value: String) {
      self.name = name
      self.value = value
    }
  }

  /// Where each key path stands in the desired-state file, as the parser read it (not compared).
  public internal(set) var locations: [String: SourceLocation] = [:]

  /// Where the key `keyPath` (`ksm.settings`, `sysctl.kernel.numa_balancing`, or a list item
  /// named by its text, `passthrough.devices.10de:1b80`) stands in the desired-state file, for
  /// a problem found while planning; `nil` when the file does not hold it.
  public func location(of keyPath: String) -> SourceLocation? { locations[keyPath] }

  /// The block of each top-level key the file has, by key: each feature's folder declares
  /// its type (a ``FeatureSection``) and its typed accessor.
  var sections: [String: any FeatureSection] = [:]

  /// An empty desired state: nothing managed.
  public init() {}

  /// Compares every key.
  public static func == (lhs: Self, rhs: Self) -> Bool {
    lhs.sections.keys.sorted() == rhs.sections.keys.sorted()
      && lhs.sections.allSatisfy { key, section in rhs.sections[key].map(section.isEqual) ?? false }
  }
}

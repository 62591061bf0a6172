/// The parsed block of one top-level key, kept in ``HostSpec`` by its key: a feature's folder
/// declares its type and a typed accessor on `HostSpec`, so that adding a key touches no
/// shared file but the registry.
protocol FeatureSection: Sendable {
  /// Whether `other` is the same block.
  func isEqual(_ other: any FeatureSection) -> Bool
}

extension FeatureSection where Self: Equatable {
  func isEqual(_ other: any FeatureSection) -> Bool { (other as? Self) == self }
}

extension HostSpec {
  /// The block of `key`, when the desired state has it and it is a `T`.
  func section<T: FeatureSection>(_ key: String, as _: T.Type = T.self) -> T? { sections[key] as? T }
}

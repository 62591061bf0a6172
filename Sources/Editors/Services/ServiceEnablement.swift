/// What enabling or disabling one service at boot takes: the links to create and remove,
/// and what the distribution's tool would warn about while doing it.
public struct ServiceEnablement: Sendable, Equatable {
  /// The links, removals first once the editor returns them.
  public var links: [LinkChange] = []
  /// Warnings the tool would print and go on (`Also=` naming a unit that is not installed).
  public var warnings: [String] = []

  /// Nothing to change, nothing to say.
  public init() {}
}

/// What enabling or disabling one service at boot takes: the links to create and remove,
/// the programs run after them, and what the distribution's tool would warn about while doing it.
public struct ServiceEnablement: Sendable, Equatable {
  /// The links, removals first once the editor returns them.
  public var links: [LinkChange] = []
  /// Warnings the tool would print and go on (`Also=` naming a unit that is not installed).
  public var warnings: [String] = []
  /// Programs the tool runs after the links, in order (update-rc.d's `insserv NAME` on a
  /// Debian SysV root): the live host's to run; pending on another root.
  public var programs: [HostCommand] = []

  /// Nothing to change, nothing to say.
  public init() {}
}

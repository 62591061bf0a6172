/// One line virthost writes in a modprobe.d file of its own.
public enum ModprobeLine: Sendable, Equatable {
  /// `options MODULE name=value …`.
  case options(module: String, parameters: [(name: String, value: String)])
  /// `softdep MODULE pre: MODULES…`: the modules loaded before `MODULE`.
  case softdep(module: String, pre: [String])
  /// `blacklist MODULE`: not loaded by its aliases (udev at boot).
  case blacklist(module: String)

  /// Compares the lines.
  public static func == (lhs: Self, rhs: Self) -> Bool {
    switch (lhs, rhs) {
    case (.options(let a, let x), .options(let b, let y)):
      a == b && x.map(\.name) == y.map(\.name) && x.map(\.value) == y.map(\.value)
    case (.softdep(let a, let x), .softdep(let b, let y)): a == b && x == y
    case (.blacklist(let a), .blacklist(let b)): a == b
    default: false
    }
  }
}

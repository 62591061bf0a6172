import Foundation

/// A reproducible source of random numbers (SplitMix64): the same seed gives the
/// same trials, so a failure can be replayed with `VIRTHOST_SEED`.
public struct SeededGenerator: RandomNumberGenerator {
  /// The seed the sequence started from, printed by each randomised test.
  public let seed: UInt64
  private var state: UInt64

  /// A generator from `VIRTHOST_SEED` when it is set, else from the clock; prints the seed under `label`.
  public init(label: String) {
    let given = ProcessInfo.processInfo.environment["VIRTHOST_SEED"].flatMap { UInt64($0) }
    self.init(seed: given ?? UInt64(Date().timeIntervalSince1970 * 1000))
    print("\(label): seed \(seed) (replay with VIRTHOST_SEED=\(seed))")
  }

  /// A generator starting from `seed`.
  public init(seed: UInt64) {
    self.seed = seed
    state = seed
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

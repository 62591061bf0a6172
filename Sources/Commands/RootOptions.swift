import ArgumentParser

/// The flags every command that reads a host shares.
public struct RootOptions: ParsableArguments {
  /// The directory that stands for `/`: the live host or a copy of one.
  @Option(name: .long, help: "The host's root directory: / or any tree with the same paths.")
  public var root: String = "/"

  public init() {}
}

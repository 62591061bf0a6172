import ArgumentParser
import RootFS

/// The flags every command that reads a host shares.
public struct RootOptions: ParsableArguments {
  /// The directory that stands for `/`: the live host or a copy of one.
  @Option(name: .long, help: "The host's root directory: / or any tree with the same paths.")
  public var root: String = "/"

  public init() {}

  /// The root, normalised once for the whole command. Every command asks for it before it
  /// reads or writes anything under the root, so that a missing root is refused with one
  /// error and nothing created; `virthost check` reports it with its own exit status.
  ///
  /// - Throws: a `ValidationError` naming `--root` when it does not exist or is not a folder.
  public func hostRoot() throws(ValidationError) -> HostRoot {
    try Self.hostRoot(root)
  }

  /// The root at `path`, or a `ValidationError` naming `--root`.
  static func hostRoot(_ path: String) throws(ValidationError) -> HostRoot {
    do {
      return try HostRoot(path)
    } catch .rootNotDirectory {
      throw ValidationError("--root \(path) is not a directory")
    } catch {
      throw ValidationError("--root \(path) does not exist")
    }
  }
}

import ArgumentParser
import RootFS

/// The flags every command that reads a host shares.
public struct RootOptions: ParsableArguments {
  /// The directory that stands for `/`: the live host or a copy of one.
  @Option(name: .long, help: "The host's root directory: / or any tree with the same paths.")
  public var root: String = "/"

  public init() {}

  /// Refuses a root that does not exist or is not a folder, before anything is read or created.
  public func validate() throws {
    _ = try hostRoot()
  }

  /// The root, normalised once for the whole command.
  ///
  /// - Throws: a `ValidationError` naming `--root` when it does not exist or is not a folder.
  public func hostRoot() throws -> HostRoot {
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

/// One lens applied to an explicit list of files: what `/augeas/load/<name>` holds.
///
/// A tree loads only the transforms it is given (module autoload is off), so a
/// caller pays for the lenses it needs and nothing else.
public struct Transform: Sendable, Hashable {
  /// The qualified lens name, for example `Grub.lns` or `Shellvars.lns`.
  public var lens: String
  /// Absolute paths (relative to the tree's root), globs allowed, that the lens parses.
  public var includes: [String]
  /// Paths excluded from `includes`, globs allowed.
  public var excludes: [String]

  /// Creates a transform of `lens` over `includes`, minus `excludes`.
  public init(lens: String, includes: [String], excludes: [String] = []) {
    self.lens = lens
    self.includes = includes
    self.excludes = excludes
  }

  /// The name under `/augeas/load`: the lens's module, for example `Grub` for `Grub.lns`.
  var loadName: String {
    let module = lens.split(separator: ".").first.map(String.init) ?? lens
    return module.isEmpty ? "Lens" : module
  }
}

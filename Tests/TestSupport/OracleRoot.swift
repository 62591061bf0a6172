import Foundation

/// A temporary root in the layout of an oracle case (`scripts/oracles/lib.sh`'s `new_root`),
/// with the fixture files the oracle script installs, removed when the value is released.
///
/// Every layout has `/etc/debian_version` and `/usr/lib/systemd/systemd`: the oracles ran
/// Debian 12's systemctl and update-rc.d, whose semantics a Debian root selects.
public final class OracleRoot: @unchecked Sendable {
  // @unchecked: `root` is immutable after init.
  /// The layouts of `new_root`.
  public enum Layout: Sendable {
    /// `/lib/systemd/system` a real folder.
    case split
    /// `/lib -> usr/lib`.
    case merged
    /// Merged, with `/etc/init.d` and empty `rc0.d`…`rc6.d`, `rcS.d` (the Debian root without insserv).
    case debian
    /// SysV only: `/etc/init.d` and the `rc?.d` folders, no systemd (update-rc.d replays).
    case debianSysV
  }

  /// The copy, as a fixture root.
  public let root: FixtureRoot
  /// Its absolute path.
  public var path: String { root.path }

  /// The Debian 12 package files (`Tests/EditorsTests/Fixtures/debian12-packages`).
  public static let packages = FixtureRoot.repository.appendingPathComponent(
    "Tests/EditorsTests/Fixtures/debian12-packages")
  /// The constructed stand-ins (`oracle-constructed`).
  public static let constructed = FixtureRoot.repository.appendingPathComponent(
    "Tests/EditorsTests/Fixtures/oracle-constructed")

  /// The libvirt units `install_libvirt` installs.
  public static let libvirtUnits = [
    "libvirtd.service", "libvirtd.socket", "libvirtd-ro.socket", "libvirtd-admin.socket", "virtlockd.service",
    "virtlockd.socket", "virtlockd-admin.socket", "virtlogd.service", "virtlogd.socket", "virtlogd-admin.socket",
  ].map { "libvirt-daemon-system/lib/systemd/system/" + $0 }

  /// A new root of `layout` with `files` (package-relative paths such as
  /// `ksmtuned/lib/systemd/system/ksm.service`, from `debian12-packages`, or from `constructed`
  /// when `constructed` is set) installed at their package paths.
  public init(_ layout: Layout, _ files: [String], constructed: Bool = false) throws {
    root = try FixtureRoot()
    let manager = FileManager.default
    func folder(_ relative: String) throws {
      try manager.createDirectory(atPath: path + relative, withIntermediateDirectories: true)
    }
    switch layout {
    case .split:
      try folder("/lib/systemd/system")
      try folder("/usr/lib/systemd")
    case .merged, .debian:
      try folder("/usr/lib/systemd/system")
      try manager.createSymbolicLink(atPath: path + "/lib", withDestinationPath: "usr/lib")
    case .debianSysV: break
    }
    if layout != .debianSysV {
      try folder("/etc/systemd/system")
      try root.write("/usr/lib/systemd/systemd", "")
    }
    if layout == .debian || layout == .debianSysV {
      for level in LevelFolders.all { try folder("/etc/rc\(level).d") }
      try folder("/etc/init.d")
    }
    try root.write("/etc/debian_version", "12.12\n")
    for file in files { try install(file, constructed: constructed) }
  }

  /// Copies one fixture file to its package path (the part after the package folder).
  public func install(_ file: String, constructed: Bool = false) throws {
    let source = (constructed ? Self.constructed : Self.packages).appendingPathComponent(file)
    let destination = "/" + file.split(separator: "/").dropFirst(constructed ? 0 : 1).joined(separator: "/")
    try FileManager.default.createDirectory(
      atPath: path + (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: source.path, toPath: path + destination)
  }

  /// Every link under `/etc/systemd` and `/etc/rc?.d`, as the oracle records them.
  public var links: [String: String] { OracleCase.links(under: path) }

  private enum LevelFolders {
    static let all = ["S", "0", "1", "2", "3", "4", "5", "6"]
  }
}

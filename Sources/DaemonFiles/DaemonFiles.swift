import TemplateStore

/// The files that install `virthost-ksmtuned` as a service: where its binary
/// goes and its systemd unit and SysV init script, rendered from `Templates/`.
///
/// This lives apart from `KSMTuner` because rendering needs `TemplateStore`
/// (Mustache, which uses Foundation), and the daemon binary must not link
/// Foundation. It writes nothing: the engine installs the returned text.
public enum DaemonFiles {
  /// A binary path that cannot stand unquoted in a unit's `ExecStart=` or a shell script.
  public struct UnusablePath: Error, CustomStringConvertible {
    /// The path given.
    public var path: String
    /// One sentence naming the path and what is wrong.
    public var description: String {
      "'\(path)' cannot be the daemon's path: it must be absolute and use only letters, digits and / . _ + -"
    }
  }

  /// Where `virthost apply` installs the daemon binary (under the root).
  public static let binaryPath = "/usr/local/sbin/virthost-ksmtuned"
  /// Where the virthost package (the .deb and the RPM of `scripts/package`) installs the
  /// daemon binary; `ksm.tuner: bundled` runs this one when it is there.
  public static let packagedBinaryPath = "/usr/sbin/virthost-ksmtuned"
  /// Where the package installs the systemd unit: Debian 12's `/lib/systemd/system`, the
  /// RHEL family's `/usr/lib/systemd/system`.
  public static let packagedUnitPaths = [
    "/lib/systemd/system/virthost-ksmtuned.service", "/usr/lib/systemd/system/virthost-ksmtuned.service",
  ]
  /// The systemd unit's file name under `/etc/systemd/system`.
  public static let systemdUnitName = "virthost-ksmtuned.service"
  /// The init script's file name under `/etc/rc.d/init.d` (or `/etc/init.d`).
  public static let initScriptName = "virthost-ksmtuned"

  /// The systemd unit (`Templates/virthost-ksmtuned.service.mustache`) running
  /// `binaryPath` in the foreground; it conflicts with `ksmtuned.service`.
  ///
  /// - Throws: ``UnusablePath`` for a relative path or one with characters that
  ///   would need quoting; `TemplateStore.Failure` if the template is broken.
  public static func systemdUnit(binaryPath: String) throws -> String {
    try render("virthost-ksmtuned.service.mustache", binaryPath: binaryPath)
  }

  /// The SysV init script (`Templates/virthost-ksmtuned.init.mustache`) with a
  /// `chkconfig:` header and an LSB block, and the actions start, stop, status,
  /// restart, reload (SIGHUP), force-reload, retune (SIGUSR1) and condrestart.
  ///
  /// - Throws: as ``systemdUnit(binaryPath:)``.
  public static func sysvInitScript(binaryPath: String) throws -> String {
    try render("virthost-ksmtuned.init.mustache", binaryPath: binaryPath)
  }

  private static func render(_ template: String, binaryPath: String) throws -> String {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._+-")
    guard binaryPath.hasPrefix("/"), binaryPath.count > 1, binaryPath.allSatisfy(allowed.contains) else {
      throw UnusablePath(path: binaryPath)
    }
    return try TemplateStore.render(template, ["binaryPath": binaryPath])
  }
}

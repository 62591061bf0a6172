import RootFS

/// Which of libvirt's daemon layouts a root has installed, and which it should run: the
/// monolithic `libvirtd` (Debian 12 and 13 ship only it, with `virtlogd` and `virtlockd`) or
/// the modular `virtqemud` with its sockets (the default of Fedora, RHEL 9 and later, SUSE).
///
/// The units of each mode are libvirt's own names (its upstream `src/virtd*.in` templates and
/// Debian 12's `libvirt-daemon-system`); enabling a mode's main service follows its `Also=`
/// lines to its sockets and to the shared `virtlogd.socket` and `virtlockd.socket`. Read
/// through the root only; nothing here enables or starts anything.
public struct LibvirtDaemons: Sendable, Equatable {
  /// A layout of libvirt's daemons.
  public enum Mode: String, Sendable, CaseIterable {
    /// One `libvirtd` for every driver.
    case monolithic
    /// One daemon per driver; the QEMU driver's is `virtqemud`.
    case modular
  }

  /// The units shared by both modes: a mode's main service enables them through `Also=`, and
  /// switching modes keeps them enabled.
  public static let shared = ["virtlogd.socket", "virtlockd.socket", "virtlogd.service", "virtlockd.service"]

  /// The service that runs the QEMU driver in `mode`: the one a qemu.conf change or a new
  /// hugetlbfs mount restarts.
  public static func qemuDaemon(_ mode: Mode) -> String {
    switch mode {
    case .monolithic: "libvirtd.service"
    case .modular: "virtqemud.service"
    }
  }

  /// The units `mode` needs installed: its QEMU driver daemon, the sockets its clients use,
  /// and the log daemon's socket the QEMU driver requires.
  public static func units(_ mode: Mode) -> [String] {
    switch mode {
    case .monolithic: ["libvirtd.service", "libvirtd.socket", "libvirtd-ro.socket", "virtlogd.socket"]
    case .modular:
      ["virtqemud.service", "virtqemud.socket", "virtqemud-ro.socket", "virtqemud-admin.socket", "virtlogd.socket"]
    }
  }

  /// The units of the other mode that `mode` disables (its own, not the shared ones): the
  /// other main service and its sockets.
  public static func others(_ mode: Mode) -> [String] {
    switch mode {
    case .monolithic: ["virtqemud.service", "virtqemud.socket", "virtqemud-ro.socket", "virtqemud-admin.socket"]
    case .modular: ["libvirtd.service", "libvirtd.socket", "libvirtd-ro.socket", "libvirtd-admin.socket"]
    }
  }

  /// The units of either mode found under the root, by unit name.
  public var installed: Set<String>
  /// The root's family, which decides `auto` (``DistributionFamily/detect(_:)``).
  public var family: DistributionFamily?
  /// Why the units could not be read (no init system told), or `nil`.
  public var unreadable: String?

  /// Creates a value from known parts (tests).
  public init(installed: Set<String>, family: DistributionFamily?, unreadable: String? = nil) {
    self.installed = installed
    self.family = family
    self.unreadable = unreadable
  }

  /// Reads which of both modes' units `root` has, as its service manager's tool finds them.
  public static func read(_ root: HostRoot) -> LibvirtDaemons {
    let family = DistributionFamily.detect(root)
    let names = Set(Mode.allCases.flatMap { units($0) + others($0) })
    do throws(ServiceConfigError) {
      let reader = try ServiceReader(root: root)
      var installed: Set<String> = []
      for name in names.sorted() where try reader.state(name).exists { installed.insert(name) }
      return LibvirtDaemons(installed: installed, family: family)
    } catch {
      return LibvirtDaemons(installed: [], family: family, unreadable: error.message)
    }
  }

  /// The units `mode` needs that are not installed, in ``units(_:)`` order.
  public func missing(_ mode: Mode) -> [String] { Self.units(mode).filter { !installed.contains($0) } }

  /// What `auto` means here: monolithic on the Debian family (whose libvirt ships it as the
  /// default, and only it in Debian 12 and 13); elsewhere modular where its units are installed
  /// (the default of Fedora, RHEL 9+, SUSE), else monolithic where `libvirtd` is. `nil` when
  /// neither mode is installed.
  public var automatic: Mode? {
    if family == .debian { return missing(.monolithic).isEmpty ? .monolithic : nil }
    if missing(.modular).isEmpty { return .modular }
    return missing(.monolithic).isEmpty ? .monolithic : nil
  }

  /// One line for the facts digest: the family and the installed units, sorted.
  public var digestText: String {
    "libvirt daemons: family=\(family?.rawValue ?? "unknown") installed=\(installed.sorted().joined(separator: ","))"
      + (unreadable.map { " unreadable=\($0)" } ?? "")
  }
}

import HostConfig
import RootFS

/// libvirt's daemons as the host runs them: which mode is enabled (the monolithic `libvirtd`
/// or the modular `virtqemud`), each daemon's enablement and whether it runs, and whether the
/// QEMU driver's daemon and guests run on the files' current settings (``QemuDriverRestart``).
///
/// Reading only. qemu.conf's values against a spec are `virthost check`'s (facts has no spec).
public struct LibvirtFacts: Sendable, Codable, Equatable {
  /// The monolithic daemon, `libvirtd`.
  public var libvirtd: ServiceFacts
  /// The modular QEMU driver's daemon, `virtqemud`.
  public var virtqemud: ServiceFacts
  /// The mode in use: `monolithic` (libvirtd enabled), `modular` (virtqemud enabled), `both`,
  /// or `none`.
  public var mode: Fact<String>
  /// Whether the QEMU driver's daemon runs and started before the last change of qemu.conf or
  /// a `dev-hugepages*.mount` unit; false when it does not run.
  public var restartOwed: Fact<Bool>
  /// The running guests started before that change, which keep their old settings.
  public var guestsOnOldSettings: Fact<[String]>

  private enum CodingKeys: String, CodingKey {
    case libvirtd, virtqemud, mode
    case restartOwed = "restart_owed"
    case guestsOnOldSettings = "guests_on_old_settings"
  }

  /// The mount units the daemon's restart state is judged against, beside qemu.conf.
  static let unitFolder = "/etc/systemd/system"

  /// Every fact unknown for `reason`.
  init(unknown reason: String, source: String) {
    libvirtd = ServiceFacts(unknown: reason, source: source)
    virtqemud = libvirtd
    mode = .unknown(reason, source: source)
    restartOwed = .unknown(reason, source: source)
    guestsOnOldSettings = .unknown(reason, source: source)
  }

  /// The facts of `root`.
  init(root: HostRoot) {
    do {
      self.init(root: root, manager: ServiceManager(try ServiceReader(root: root)), reason: "")
    } catch {
      self.init(root: root, manager: nil, reason: error.description)
    }
  }

  /// The facts of `root`, its services read with `manager` (`nil`: no init system told, `reason`).
  private init(root: HostRoot, manager: ServiceManager?, reason: String) {
    if let manager {
      libvirtd = ServiceFacts("libvirtd", manager: manager)
      virtqemud = ServiceFacts("virtqemud", manager: manager)
    } else {
      libvirtd = ServiceFacts(unknown: reason, source: InitSystem.detection(root: root))
      virtqemud = libvirtd
    }
    let source = "enablement of libvirtd.service and virtqemud.service"
    switch (libvirtd.enabled.value, virtqemud.enabled.value) {
    case (true, true): mode = .known("both", source: source)
    case (true, false): mode = .known("monolithic", source: source)
    case (false, true): mode = .known("modular", source: source)
    case (false, false): mode = .known("none", source: source)
    default: mode = .unknown(libvirtd.enabled.unknown ?? virtqemud.enabled.unknown ?? reason, source: source)
    }
    let daemon = mode.value == "modular" ? "virtqemud.service" : "libvirtd.service"
    let units = root.listIfPresent(Self.unitFolder).filter { $0.hasPrefix("dev-hugepages") && $0.hasSuffix(".mount") }
    let files = ["/etc/libvirt/qemu.conf"] + units.sorted().map { Self.unitFolder + "/" + $0 }
    let restartSource =
      "/run/\(daemon.dropLast(".service".count)).pid, /proc, /proc/stat btime, " + files.joined(separator: ", ")
    guard BootTime.read(root) != nil else {
      restartOwed = .unknown("/proc/stat has no btime", source: restartSource)
      guestsOnOldSettings = .unknown("/proc/stat has no btime", source: restartSource)
      return
    }
    let state = QemuDriverRestart.read(root, daemon: daemon, files: files)
    restartOwed = .known(state.restartOwed, source: restartSource)
    guestsOnOldSettings = .known(state.guestsOnOldSettings, source: restartSource)
  }
}

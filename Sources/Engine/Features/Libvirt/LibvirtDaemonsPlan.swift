import HostConfig

extension LibvirtFeature {
  /// The services sink's intents for `mode`: its QEMU driver daemon enabled (its `Also=` lines
  /// enable its sockets and the shared `virtlogd.socket`, `virtlockd.socket`) and its main
  /// socket listening: the daemon itself is socket-activated and exits when idle (`--timeout
  /// 120` in both layouts' units), so its running state is not asked, only the socket's; the
  /// other mode's daemon and sockets disabled and stopped, the shared units kept. systemctl's
  /// `disable` of the other daemon, then `enable` of this one, gives the same links
  /// (`oracles/systemd/libvirt-*-to-*.tsv`).
  static func daemonIntents(_ mode: LibvirtDaemons.Mode, written: Daemons) -> [ServiceProvider.Intent] {
    let setting = written == .auto ? "libvirt.daemons: auto (\(mode.rawValue) here)" : "libvirt.daemons: \(mode)"
    let daemon = LibvirtDaemons.qemuDaemon(mode)
    let keeps = Set(LibvirtDaemons.units(mode) + LibvirtDaemons.shared)
    let socket = UnitName(daemon).base + ".socket"
    var intents = [
      ServiceProvider.Intent(
        name: UnitName(daemon).key, enabled: true, running: nil, origin: daemonsKey, setting: setting,
        reason: "\(setting): the QEMU driver runs in \(daemon)", required: true),
      ServiceProvider.Intent(
        name: socket, enabled: true, running: true, origin: daemonsKey, setting: setting,
        reason: "\(setting): clients reach \(daemon) through \(socket), which starts it on demand", required: true),
    ]
    let other: LibvirtDaemons.Mode = mode == .monolithic ? .modular : .monolithic
    for unit in LibvirtDaemons.others(mode) {
      intents.append(
        .init(
          name: unit, enabled: false, running: false, origin: daemonsKey, setting: setting,
          reason: "\(setting): the \(other.rawValue) daemons' units are off", required: false, keeps: keeps))
    }
    return intents
  }
}

extension Expansion {
  /// The mode `daemons` asks for on this host, or `nil` with an error naming what is missing.
  mutating func libvirtMode(_ daemons: LibvirtFeature.Daemons) -> LibvirtDaemons.Mode? {
    guard let installed = libvirtDaemons else { return nil }
    func refuse(_ summary: String, _ detail: String) {
      diagnostics.append(
        Diagnostic(.error, .libvirtDaemonsMissing, summary, detail: detail, keyPath: LibvirtFeature.daemonsKey))
    }
    if let reason = installed.unreadable {
      refuse("cannot tell which libvirt daemons are installed: \(reason)", "libvirt.daemons needs systemd's units.")
      return nil
    }
    let install =
      "Install libvirt-daemon-system (Debian) for libvirtd, or libvirt-daemon-driver-qemu and "
      + "libvirt-daemon (Fedora, RHEL) for virtqemud."
    switch daemons {
    case .auto:
      guard let mode = installed.automatic else {
        let family = installed.family.map { "the \($0.rawValue) family" } ?? "a host of unknown family"
        refuse(
          "libvirt.daemons: auto finds no libvirt daemon for \(family): missing "
            + (installed.family == .debian
            ? installed.missing(.monolithic) : installed.missing(.modular)).joined(separator: ", "),
          install)
        return nil
      }
      return mode
    case .monolithic, .modular:
      let mode: LibvirtDaemons.Mode = daemons == .monolithic ? .monolithic : .modular
      let missing = installed.missing(mode)
      guard missing.isEmpty else {
        refuse(
          "libvirt.daemons: \(mode.rawValue) needs \(missing.joined(separator: ", ")), not installed on this host",
          install)
        return nil
      }
      return mode
    }
  }
}

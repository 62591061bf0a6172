import RootFS

extension Grub2GeneratedConfig {
  /// Where the grub.cfg files that boot a root are, and which of them cannot be read.
  public struct Locations: Sendable, Equatable {
    /// The grub.cfg files to read (real paths from the root), the first the one GRUB reads.
    public var files: [String]
    /// The grub.cfg files that boot but are not under the root, one sentence each.
    public var unread: [String]
    /// The ESPs, on a Proxmox host whose ESPs boot with GRUB.
    public var proxmox: ProxmoxBoot?
    /// The grub.cfg files that boot, are not under the root and were read from their ESP
    /// mounted read-only (``ProxmoxESPMounter``): each named as at its place under the root
    /// (`/var/tmp/espmounts/UUID/grub/grub.cfg`), with its text.
    public var readOffRoot: [(file: String, text: String)] = []

    public static func == (lhs: Locations, rhs: Locations) -> Bool {
      lhs.files == rhs.files && lhs.unread == rhs.unread && lhs.proxmox == rhs.proxmox
        && lhs.readOffRoot.map(\.file) == rhs.readOffRoot.map(\.file)
        && lhs.readOffRoot.map(\.text) == rhs.readOffRoot.map(\.text)
    }
  }

  /// The grub.cfg files that boot `root`: on a Proxmox host whose ESPs boot with GRUB, each
  /// ESP's `grub/grub.cfg` (`update-grub` writes it with the ESP on `/boot`; the root's own
  /// `/boot/grub/grub.cfg` does not boot), read where it is under the root and otherwise
  /// else read from the ESP mounted read-only where that was done (``Locations/readOffRoot``),
  /// and otherwise named in ``Locations/unread``; elsewhere ``files(in:)``.
  /// `esps` reads the ESPs that are not under the root (see ``ProxmoxBoot/read(_:status:esps:)``).
  public static func locations(in root: HostRoot, esps: (any ProxmoxESPReader)? = nil) -> Locations {
    guard let proxmox = ProxmoxBoot.read(root, esps: esps), (try? proxmox.mode()) == .grub else {
      return Locations(files: files(in: root), unread: [], proxmox: nil)
    }
    var found: [String] = []
    var unread: [String] = []
    var readOffRoot: [(file: String, text: String)] = []
    for esp in proxmox.esps {
      let file = ProxmoxBoot.grubConfig(of: esp.uuid)
      if root.isFile(file) {
        found.append(file)
      } else if let text = proxmox.readGrubConfigs[esp.uuid] {
        readOffRoot.append((file, text))
      } else {
        unread.append(
          "\(file) (ESP \(esp.uuid)) is not under the root: proxmox-boot-tool mounts the ESP only while it runs")
      }
    }
    return Locations(files: found, unread: unread, proxmox: proxmox, readOffRoot: readOffRoot)
  }
}

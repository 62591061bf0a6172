import Foundation
import RootFS

/// How `proxmox-boot-tool` boots each EFI system partition it keeps in step with the host
/// (`/etc/kernel/proxmox-boot-uuids`, one vfat UUID a line): GRUB or systemd-boot.
///
/// The rules are those of proxmox-kernel-helper 8.1.0 (`src/proxmox-boot/zz-proxmox-boot`,
/// `update_esp_func`, and `src/bin/proxmox-boot-tool`, `init` and `_status_detail`): an ESP
/// runs GRUB when it holds `EFI/proxmox/grubx64.efi` or when the host is not booted by EFI;
/// otherwise systemd-boot. In GRUB mode the refresh bind-mounts the ESP on `/boot` and runs
/// `update-grub`, so `/etc/default/grub` and its drop-ins decide the command line and each
/// ESP's `grub/grub.cfg` is what boots; in systemd-boot mode it writes loader entries from
/// `/etc/kernel/cmdline`.
///
/// What is read: the ESPs' contents where they are under the root at
/// `/var/tmp/espmounts/UUID` (where the tool mounts them), and on the live host the output of
/// `proxmox-boot-tool status` (``ProxmoxBootStatus``), which says how the host was booted and
/// what each ESP holds, and each ESP that is not under the root mounted read-only for the
/// moment of the read (``ProxmoxESPMounter``). The firmware is never taken from the root's
/// `/sys`: on another root it would be the machine virthost runs on. Nothing is mounted on
/// another root.
public struct ProxmoxBoot: Sendable, Equatable {
  /// The boot loader an ESP runs.
  public enum Mode: String, Sendable, Codable, Equatable, CaseIterable {
    /// GRUB: `update-grub` writes the ESP's `grub/grub.cfg` from `/etc/default/grub`.
    case grub
    /// systemd-boot: loader entries written from `/etc/kernel/cmdline`.
    case systemdBoot = "systemd-boot"
  }

  /// The mode an admin declared for the ESPs (host.yaml's `boot.proxmox_mode`): taken for
  /// an ESP whose mode cannot be read, an error against one whose mode can and differs.
  public struct Declaration: Sendable, Equatable {
    /// The mode declared.
    public var mode: Mode
    /// The setting and where it is, as a user finds it: `boot.proxmox_mode: grub (host.yaml:3:3)`.
    public var setting: String

    public init(mode: Mode, setting: String) {
      self.mode = mode
      self.setting = setting
    }
  }

  /// The declaration in force while the boot loader is read: the planner binds the desired
  /// state's (`ProxmoxBoot.$declared.withValue(…)`) around a plan, so that every reader of
  /// the boot loader (detection, the generated grub.cfg files, the next boot, facts) sees it.
  @TaskLocal public static var declared: Declaration?

  /// How the host was booted, as `proxmox-boot-tool status` prints it.
  public enum Firmware: Sendable, Equatable {
    case uefi
    case legacyBIOS
  }

  /// What is known of one ESP's contents.
  public struct Contents: Sendable, Equatable {
    /// Whether it holds `EFI/proxmox/grubx64.efi`; `nil` when not known (the status output
    /// does not say).
    public var grubEFI: Bool?
    /// Whether it holds `loader/loader.conf` (systemd-boot's; the status's "uefi").
    public var loaderConf: Bool
    /// Whether it holds a `grub` folder (the status's "grub").
    public var grubFolder: Bool
    /// Where this was read, in words.
    public var source: String

    public init(grubEFI: Bool?, loaderConf: Bool, grubFolder: Bool, source: String) {
      self.grubEFI = grubEFI
      self.loaderConf = loaderConf
      self.grubFolder = grubFolder
      self.source = source
    }
  }

  /// One ESP of the list and the mode it runs.
  public struct ESP: Sendable, Equatable, Codable {
    /// Its vfat UUID, as listed.
    public var uuid: String
    /// The 1-based line of the list that names it.
    public var line: Int
    /// The mode it runs, `nil` when it cannot be told.
    public var mode: Mode?
    /// What decided the mode, or, when ``mode`` is `nil`, why it cannot be told.
    public var decidedBy: String

    public init(uuid: String, line: Int, mode: Mode?, decidedBy: String) {
      self.uuid = uuid
      self.line = line
      self.mode = mode
      self.decidedBy = decidedBy
    }

    private enum CodingKeys: String, CodingKey {
      case uuid, line, mode
      case decidedBy = "decided_by"
    }
  }

  /// The list of ESPs that makes a host a `proxmox-boot-tool` one.
  public static let uuidsFile = "/etc/kernel/proxmox-boot-uuids"
  /// Where `proxmox-boot-tool` mounts each ESP (`$MOUNTROOT`, `/var/tmp/espmounts/UUID`).
  public static let mountRoot = "/var/tmp/espmounts"
  /// The file whose presence on an ESP makes it a GRUB one (`proxmox-boot-tool init … grub`).
  public static let grubEFI = "EFI/proxmox/grubx64.efi"

  /// The ESPs, in the order of the list.
  public let esps: [ESP]
  /// Why the list could not be read, when that is so (``mode()`` throws it).
  public var readError: ConfigFileError? = nil
  /// The first ESP whose mode, read from it, differs from the ``declared`` one (``mode()``
  /// throws it).
  public var contradiction: ConfigFileError? = nil
  /// The `grub/grub.cfg` of each ESP read through an ``ProxmoxESPReader`` (not under the
  /// root), by UUID.
  public var readGrubConfigs: [String: String] = [:]

  /// Where the ESP `uuid` is read under the root.
  public static func mountPoint(of uuid: String) -> String { mountRoot + "/" + uuid }

  /// The grub.cfg GRUB reads on the ESP `uuid` (`update-grub` writes `/boot/grub/grub.cfg`
  /// with the ESP bind-mounted on `/boot`).
  public static func grubConfig(of uuid: String) -> String { mountPoint(of: uuid) + "/grub/grub.cfg" }

  /// The ESPs of `root`'s list and their modes; `nil` when the root has no list.
  ///
  /// On the live root `proxmox-boot-tool status` is run (``ProxmoxBootStatus/run(in:)``) and
  /// each ESP whose contents are not under the root is mounted read-only
  /// (``ProxmoxESPMounter/live``); pass `status` to decide from a given output instead, and
  /// `esps` to read the ESPs elsewhere (a test's folders). On another root, only `esps` when
  /// given.
  public static func read(
    _ root: HostRoot, status: ProxmoxBootStatus? = nil, esps reader: (any ProxmoxESPReader)? = nil
  ) -> ProxmoxBoot? {
    guard root.isFile(uuidsFile) else { return nil }
    let text: String
    do {
      guard let read = try root.text(uuidsFile) else { return nil }
      text = read
    } catch {
      return ProxmoxBoot(esps: [], readError: ConfigFileError(error, reading: uuidsFile))
    }
    let status = status ?? (root.isLive ? ProxmoxBootStatus.run(in: root) : nil)
    let reader = reader ?? (root.isLive ? ProxmoxESPMounter.live : nil)
    var esps: [ESP] = []
    var grubConfigs: [String: String] = [:]
    var contradiction: ConfigFileError?
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let uuid = line.trimmingCharacters(in: .whitespaces)
      // The tool skips empty lines and (with a warning) lines that do not look like a vfat UUID.
      guard uuid.range(of: "[0-9a-fA-F]{4}-[0-9a-fA-F]{4}", options: .regularExpression) != nil else { continue }
      var contents = ProxmoxESPSnapshot.read(top: mountPoint(of: uuid), in: root, source: mountPoint(of: uuid))?
        .contents
      var unreadable: String?
      if contents == nil, let reader {
        switch reader.read(uuid) {
        case .success(let snapshot):
          contents = snapshot.contents
          grubConfigs[uuid] = snapshot.grubConfig
        case .failure(let failure): unreadable = failure.description
        }
      }
      let decision = decide(
        contents: contents ?? status?.contents[uuid], firmware: status?.firmware, status: status, uuid: uuid,
        unreadable: unreadable)
      var esp = ESP(uuid: uuid, line: offset + 1, mode: decision.mode, decidedBy: decision.reason)
      if let declared, esp.mode == nil {
        esp.mode = declared.mode
        esp.decidedBy = "\(declared.setting), since \(decision.reason)"
      } else if let declared, let mode = esp.mode, mode != declared.mode, contradiction == nil {
        contradiction = ConfigFileError(
          file: uuidsFile, line: esp.line,
          message:
            "ESP \(uuid) boots with \(mode.rawValue) (\(decision.reason)), but host.yaml says \(declared.mode.rawValue) "
            + "(\(declared.setting)): correct the setting, or remove it, since the ESP can be read")
      }
      esps.append(esp)
    }
    return ProxmoxBoot(esps: esps, contradiction: contradiction, readGrubConfigs: grubConfigs)
  }

  /// The mode an ESP with `contents` runs on a host booted by `firmware`, with what decided
  /// it, or `nil` and why it cannot be told.
  /// `unreadable` says why an ``ProxmoxESPReader`` could not read it, when one tried.
  static func decide(
    contents: Contents?, firmware: Firmware?, status: ProxmoxBootStatus?, uuid: String, unreadable: String? = nil
  ) -> (mode: Mode?, reason: String) {
    let booted = status.map { " (\($0.source))" } ?? ""
    if let contents, contents.grubEFI == true {
      return (.grub, "\(contents.source) holds \(grubEFI)")
    }
    if firmware == .legacyBIOS {
      return (.grub, "the host is booted with legacy BIOS\(booted)")
    }
    guard let contents else {
      let mount = mountPoint(of: uuid)
      let why =
        status?.problem
        ?? (status == nil
          ? "its contents are not under the root at \(mount)" : "proxmox-boot-tool status says nothing of it")
      return (nil, "ESP \(uuid): \(why)" + (unreadable.map { "; \($0)" } ?? ""))
    }
    if firmware == .uefi && contents.grubEFI == false {
      return (.systemdBoot, "the host is booted with UEFI\(booted) and \(contents.source) has no \(grubEFI)")
    }
    // Without grubx64.efi, the refresh keeps an ESP with loader.conf only under UEFI
    // (systemd-boot) and one with a grub folder only under legacy BIOS (GRUB).
    switch (contents.loaderConf, contents.grubFolder) {
    case (true, false):
      return (.systemdBoot, "\(contents.source) holds loader/loader.conf and no grub folder")
    case (false, true):
      return (.grub, "\(contents.source) holds a grub folder and no loader/loader.conf")
    case (true, true):
      let known = firmware == nil ? "how the host is booted is not known" : "whether it holds \(grubEFI) is not known"
      return (nil, "ESP \(uuid): \(contents.source) holds both loader/loader.conf and grub, and \(known)")
    case (false, false):
      return (nil, "ESP \(uuid): \(contents.source) holds neither loader/loader.conf nor grub")
    }
  }

  /// The one mode every ESP runs.
  ///
  /// - Throws: naming the list's line, when the list names no ESP, when an ESP's mode cannot
  ///   be told and none is declared (with how to let virthost see its contents or tell it the
  ///   mode), when an ESP's mode differs from the declared one, or when the ESPs run different
  ///   modes (virthost edits one boot loader's files: `/etc/default/grub` or
  ///   `/etc/kernel/cmdline`, never both).
  public func mode() throws(ConfigFileError) -> Mode {
    if let readError { throw readError }
    if let contradiction { throw contradiction }
    guard let first = esps.first else {
      throw ConfigFileError(
        file: Self.uuidsFile,
        message: "lists no ESP: proxmox-boot-tool keeps none in step; add one with proxmox-boot-tool init")
    }
    if let unknown = esps.first(where: { $0.mode == nil }) {
      throw ConfigFileError(
        file: Self.uuidsFile, line: unknown.line,
        message:
          "cannot tell whether proxmox-boot-tool boots this ESP with GRUB or systemd-boot: \(unknown.decidedBy); "
          + "mount it read-only at \(Self.mountPoint(of: unknown.uuid)) under the root "
          + "(mount -o ro /dev/disk/by-uuid/\(unknown.uuid) …) so that virthost can read it, "
          + "or set boot.proxmox_mode (grub or systemd-boot) in host.yaml")
    }
    let modes = Set(esps.compactMap(\.mode))
    if modes.count > 1 {
      let each = esps.map { "\($0.uuid) \($0.mode?.rawValue ?? "")" }.joined(separator: ", ")
      throw ConfigFileError(
        file: Self.uuidsFile, line: esps.first { $0.mode != first.mode }?.line,
        message:
          "the ESPs boot with different boot loaders (\(each)): GRUB reads /etc/default/grub, systemd-boot "
          + "/etc/kernel/cmdline, and virthost edits one; make them the same (proxmox-boot-tool init DEVICE [grub])")
    }
    return first.mode ?? .systemdBoot
  }
}

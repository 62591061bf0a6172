import HostConfig
import RootFS

/// The kernel arguments the boot loader is configured to boot with, against those the
/// running kernel was booted with: an argument configured but not yet on
/// `/proc/cmdline` takes effect only after a reboot.
///
/// Read with the boot-loader readers the editor uses too (`BootLoaderKind.read`: GRUB
/// legacy, GRUB 2's `/etc/default/grub` and drop-ins evaluated as `grub-mkconfig` sources
/// them, BLS entries), which parse the files with Augeas.
public struct BootFacts: Sendable, Codable, Equatable {
  /// The boot loader configuration found: `grub-legacy`, `grub2` or `bls`.
  public var loader: Fact<String>
  /// The kernel arguments of the entry the boot loader starts by default, as configured
  /// (`key=value` or a flag). For GRUB 2, the evaluated values of `/etc/default/grub`
  /// and its drop-ins (`GRUB_CMDLINE_LINUX` then `GRUB_CMDLINE_LINUX_DEFAULT`), to which grub.cfg adds
  /// `BOOT_IMAGE`, `root` and `ro` at boot.
  public var configuredArguments: Fact<[String]>
  /// The configured arguments that `/proc/cmdline` lacks (before any `--`, after which
  /// arguments go to init): what the next boot adds. `[]` when none. For GRUB 2, an
  /// argument that a grub.cfg lacks is left out: it waits for a regeneration, which
  /// ``coverage`` shows, and a reboot alone would not bring it.
  public var pendingArguments: Fact<[String]>
  /// Whether the configured arguments wait for a reboot: `pendingArguments` is not empty.
  /// Arguments removed from the configuration but still running are not counted: the
  /// boot loader adds arguments of its own that the configuration never lists.
  public var rebootPending: Fact<Bool>
  /// GRUB 2: per argument of the default entry (evaluated) or of a grub.cfg's normal
  /// Linux lines, which sources have it and whether the running kernel does (see
  /// ``ArgumentCoverage``). Unknown for the other boot loaders, whose entries are
  /// their own source.
  public var coverage: Fact<[ArgumentCoverage]>
  /// The entry the boot loader starts next, and what chose it (its source): the kernel
  /// every decision about the next boot is made for (see ``NextBootEntry``).
  public var nextEntry: Fact<NextBootEntry> = .unknown("not read", source: "boot loader configuration")
  /// On a Proxmox host (`/etc/kernel/proxmox-boot-uuids`), the boot loader
  /// `proxmox-boot-tool` runs on each ESP and what decided it (see ``ProxmoxBoot``); absent
  /// elsewhere (JSON: no `proxmox_esps` key).
  public var proxmoxESPs: Fact<[ProxmoxBoot.ESP]>? = nil

  private enum CodingKeys: String, CodingKey {
    case loader
    case configuredArguments = "configured_arguments"
    case pendingArguments = "pending_arguments"
    case rebootPending = "reboot_pending"
    case coverage
    case nextEntry = "next_entry"
    case proxmoxESPs = "proxmox_esps"
  }

  /// Reads the boot loader under `root`, compares its default entry with `cmdline`, and
  /// finds the entry the next boot starts.
  init(root: HostRoot, cmdline: Fact<[String]>) {
    self.init(configuredIn: root, cmdline: cmdline)
    switch NextBootEntry.read(root) {
    case .found(let entry): nextEntry = .known(entry, source: entry.decidedBy)
    case .unknown(let reason): nextEntry = .unknown(reason, source: "boot loader configuration")
    }
    if let proxmox = ProxmoxBoot.read(root) {
      let source =
        ProxmoxBoot.uuidsFile + ", the ESPs under " + ProxmoxBoot.mountRoot
        + (root.isLive ? " (else mounted read-only), proxmox-boot-tool status" : "")
      proxmoxESPs = .known(proxmox.esps, source: source)
    }
  }

  /// Reads the boot loader under `root` and compares its default entry with `cmdline`.
  private init(configuredIn root: HostRoot, cmdline: Fact<[String]>) {
    do {
      let configuration = try BootLoaderKind.read(root)
      let files = configuration.sourceFiles.joined(separator: ", ")
      let loader = Fact.known(type(of: configuration).kind.rawValue, source: files)
      if let entry = try configuration.entries().first(where: \.isDefault) {
        self.init(
          loader: loader, configured: .known(entry.arguments.map(\.description), source: entry.file), cmdline: cmdline)
        if let grub2 = configuration as? Grub2 {
          let running = cmdline.value.map { Array($0.prefix { $0 != "--" }) }
          let sources = ([ArgumentCoverage.evaluatedDefaults] + grub2.generated.map(\.file)).joined(separator: ", ")
          let items = ArgumentCoverage.of(grub2, running: running)
          coverage = .known(items, source: "\(sources) against \(cmdline.source)")
          // A reboot brings only what grub.cfg carries: an argument that grub.cfg lacks
          // waits for a regeneration first (the coverage says so), not for a reboot.
          let behind = Set(items.filter(\.sourcesDisagree).map(\.argument))
          if let pending = pendingArguments.value, !behind.isEmpty {
            let left = pending.filter { !behind.contains($0) }
            pendingArguments = .known(left, source: pendingArguments.source + ", " + sources)
            rebootPending = .known(!left.isEmpty, source: rebootPending.source + ", " + sources)
          }
        }
      } else {
        self.init(
          loader: loader, configured: .unknown("no default boot entry in \(files)", source: files), cmdline: cmdline)
      }
    } catch {
      self.init(unknown: error.description, cmdline: cmdline)
    }
  }

  /// The facts of a boot loader that cannot be read, for `reason`.
  private init(unknown reason: String, cmdline: Fact<[String]>) {
    self.init(
      loader: .unknown(reason, source: "boot loader configuration"),
      configured: .unknown(reason, source: "boot loader configuration"), cmdline: cmdline)
  }

  /// The facts of the boot loader `loader` configured with `configured`, against `cmdline`.
  private init(loader: Fact<String>, configured: Fact<[String]>, cmdline: Fact<[String]>) {
    self.loader = loader
    configuredArguments = configured
    coverage = .unknown(
      loader.value == BootLoaderKind.grub2.rawValue
        ? configured.unknown ?? "" : "read for GRUB 2 only: the other boot loaders' entries are their own source",
      source: "boot loader configuration")
    let source = "\(configured.source) against \(cmdline.source)"
    if let arguments = configured.value, let running = cmdline.value {
      let active = Set(running.prefix { $0 != "--" })
      let pending = arguments.filter { !active.contains($0) }
      pendingArguments = .known(pending, source: source)
      rebootPending = .known(!pending.isEmpty, source: source)
    } else {
      let reason = configured.unknown ?? cmdline.unknown ?? ""
      pendingArguments = .unknown(reason, source: source)
      rebootPending = .unknown(reason, source: source)
    }
  }
}

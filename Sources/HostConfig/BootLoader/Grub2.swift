import Augeas
import Foundation
import RootFS

/// GRUB 2 as `grub-mkconfig` builds it: the command-line variables of
/// `/etc/default/grub` and its drop-ins (``GrubDefaults``, evaluated as the shell would),
/// and the grub.cfg files generated from them (``Grub2GeneratedConfig``), which are
/// part of the state: a grub.cfg whose Linux lines lack what the defaults evaluate to
/// waits for a regeneration.
///
/// The entries are summaries of the evaluated defaults (see ``BootEntry``): normal,
/// recovery and, when a `…_XEN_REPLACE*` variable is not empty, the Xen dom0 ones.
public struct Grub2: BootLoaderConfiguration {
  public static let kind = BootLoaderKind.grub2
  /// The variable whose arguments every entry gets.
  public static let linuxVariable = GrubDefaults.linux
  /// The variable whose arguments normal (not recovery) entries add.
  public static let defaultVariable = GrubDefaults.linuxDefault
  static let defaultsName = GrubDefaults.defaultsName

  /// `/etc/default/grub` and its drop-ins.
  public let defaults: GrubDefaults
  /// The grub.cfg files as read (none when the root has none).
  public let generated: [Grub2GeneratedConfig]
  /// The grub.cfg files that boot but could not be read, one sentence each (a Proxmox ESP
  /// that is not mounted): whether they are stale is not known.
  public var unreadGenerated: [String] = []
  /// The ESPs, on a Proxmox host whose ESPs `proxmox-boot-tool` boots with GRUB: the
  /// grub.cfg files are theirs and `proxmox-boot-tool refresh` regenerates them.
  public var proxmox: ProxmoxBoot? = nil

  public var tree: BootConfigTree { defaults.tree }
  /// The parsed files that exist (virthost's drop-in is parsed before it exists): what a plan digests.
  public var sourceFiles: [String] { tree.files.filter { tree.root.exists($0) } }
  /// `/etc/default/grub`, a real path from the root.
  public var defaultsFile: String { defaults.files[0] }

  public static func read(_ root: HostRoot) throws(ConfigFileError) -> Grub2 {
    let defaults = try GrubDefaults.read(root)
    let locations = Grub2GeneratedConfig.locations(in: root)
    var generated: [Grub2GeneratedConfig] = []
    for file in locations.files {
      let text: String?
      do { text = try root.text(file) } catch { throw ConfigFileError(error, reading: file) }
      generated.append(Grub2GeneratedConfig(file: file, text: text ?? ""))
    }
    generated += locations.readOffRoot.map { Grub2GeneratedConfig(file: $0.file, text: $0.text) }
    return Grub2(
      defaults: defaults, generated: generated, unreadGenerated: locations.unread, proxmox: locations.proxmox)
  }

  /// Whether `text` (of `/etc/default/grub`) sets `GRUB_ENABLE_BLSCFG=true`: GRUB then
  /// boots BLS entries rather than the ones grub.cfg lists.
  static func enablesBLS(_ text: String?) -> Bool {
    (text ?? "").components(separatedBy: "\n").contains { line in
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      return ["GRUB_ENABLE_BLSCFG=true", "GRUB_ENABLE_BLSCFG=\"true\"", "GRUB_ENABLE_BLSCFG='true'"].contains(trimmed)
    }
  }

  /// The evaluated arguments of the command-line variable `name`, as read (none when no file sets it).
  public func arguments(of name: String) -> [KernelArgument] { defaults.arguments(of: name) }

  /// The command-line variables as the tree holds them now, edits included (``defaults``
  /// is what was read).
  public func current() throws(ConfigFileError) -> GrubDefaults { try GrubDefaults(tree: tree) }

  /// The arguments the next `grub-mkconfig` puts on the Linux lines of `kind` (before
  /// `root=` and `ro`, which it adds itself), from `defaults` (by default, as read).
  public func expectedArguments(_ kind: Grub2GeneratedConfig.Kind, from defaults: GrubDefaults? = nil)
    -> [KernelArgument]
  {
    let defaults = defaults ?? self.defaults
    func xenReplacement(of variable: String) -> String? { defaults.xenReplacement(of: variable) }
    let linux = GrubDefaults.linux
    let normal = GrubDefaults.linuxDefault
    switch kind {
    case .normal: return defaults.arguments(of: linux) + defaults.arguments(of: normal)
    case .recovery: return defaults.arguments(of: linux)
    case .xenNormal:
      return defaults.arguments(of: xenReplacement(of: linux) ?? linux)
        + defaults.arguments(of: xenReplacement(of: normal) ?? normal)
    case .xenRecovery: return defaults.arguments(of: xenReplacement(of: linux) ?? linux)
    }
  }

  public func entries() throws(ConfigFileError) -> [BootEntry] {
    let linux = Self.linuxVariable
    let normal = Self.defaultVariable
    let defaults = try current()
    func expectedArguments(_ kind: Grub2GeneratedConfig.Kind) -> [KernelArgument] {
      self.expectedArguments(kind, from: defaults)
    }
    func xenReplacement(of variable: String) -> String? { defaults.xenReplacement(of: variable) }
    var entries = [
      BootEntry(
        title: "normal entries (\(linux) and \(normal))", file: defaultsFile, index: 0, isDefault: true,
        arguments: expectedArguments(.normal)),
      BootEntry(
        title: "recovery entries (\(linux))", file: defaultsFile, index: 1, isDefault: false,
        arguments: expectedArguments(.recovery)),
    ]
    if defaults.hasXenReplacement {
      entries.append(
        BootEntry(
          title:
            "Xen dom0 normal entries (\(xenReplacement(of: linux) ?? linux) and \(xenReplacement(of: normal) ?? normal))",
          file: defaultsFile, index: 2, isDefault: false, arguments: expectedArguments(.xenNormal)))
      entries.append(
        BootEntry(
          title: "Xen dom0 recovery entries (\(xenReplacement(of: linux) ?? linux))", file: defaultsFile, index: 3,
          isDefault: false, arguments: expectedArguments(.xenRecovery)))
    }
    return entries
  }
}

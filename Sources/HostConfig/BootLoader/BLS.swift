import Augeas
import Foundation
import RootFS

/// Boot Loader Specification entries (RHEL 8/9, Fedora, systemd-boot): the `options` line
/// of each `/boot/loader/entries/*.conf` (Spacevars lens: `key value` lines and `#`
/// comments, which is the whole BLS syntax; no shipped lens targets BLS entries), its
/// value parsed with `Cmdline.lns`; `/etc/kernel/cmdline` (Cmdline lens), the arguments of
/// kernels installed later; and grubenv (``GrubEnv``), whose `saved_entry` names the
/// default entry and whose variables the entries may reference (`$kernelopts` on RHEL 8,
/// `$tuned_params` with tuned).
///
/// A Proxmox host booted by systemd-boot through `proxmox-boot-tool` (it has
/// `/etc/kernel/proxmox-boot-uuids`, and ``ProxmoxBoot`` finds systemd-boot on its ESPs)
/// keeps its entries on ESPs that are not mounted: `/etc/kernel/cmdline` is then its only
/// command line, read as one entry. One whose ESPs run GRUB is ``Grub2``.
public struct BLS: BootLoaderConfiguration {
  public static let kind = BootLoaderKind.bls
  /// The file whose presence makes a host a `proxmox-boot-tool` one.
  public static let proxmoxBootUUIDs = ProxmoxBoot.uuidsFile
  /// kernel-install's source for the arguments of kernels installed later.
  public static let kernelCmdlineName = "/etc/kernel/cmdline"

  public let tree: BootConfigTree
  /// The entry files (real paths from the root).
  public let entryFiles: [String]
  /// `/etc/kernel/cmdline`, when the root has it.
  public let kernelCmdline: String?
  /// The grubenv block, when there is one.
  public let grubEnv: GrubEnv?
  /// What tuned owns, when a profile is active.
  public let tuned: Tuned?
  /// Whether `proxmox-boot-tool` copies the kernels and `/etc/kernel/cmdline` to the ESPs.
  public let isProxmox: Bool
  /// Whether the root installs kernels with `kernel-install` (`/usr/bin/kernel-install`):
  /// it reads `/etc/kernel/cmdline`, and without it falls back to `/proc/cmdline`.
  public let usesKernelInstall: Bool
  /// `/etc/default/grub`, read as GRUB 2 reads it, when entries take their arguments from
  /// grubenv's `kernelopts` (RHEL 8): `grub2-mkconfig` rebuilds `kernelopts` from its
  /// `GRUB_CMDLINE_LINUX`, so the two are kept in step.
  public private(set) var defaults: Grub2?
  /// The grub.cfg files (real paths) read for their fallback `set kernelopts="…"`, when
  /// entries take their arguments from grubenv's `kernelopts`.
  public private(set) var kerneloptsFallbackFiles: [String] = []

  /// The grubenv file, when there is one.
  public var grubenv: String? { grubEnv?.file }
  /// grubenv's `saved_entry`: the default entry's file name without `.conf`.
  public var savedEntry: String? { grubEnv?.value("saved_entry") }

  public var sourceFiles: [String] {
    tree.files + (grubenv.map { [$0] } ?? []) + (defaults?.sourceFiles ?? []) + kerneloptsFallbackFiles
      + tree.root.realFiles(["/etc/tuned/bootcmdline"])
  }

  /// The entry files under the folders BLS boot loaders read, as named there.
  static func entryNames(_ root: HostRoot) -> [String] {
    ["/boot/loader/entries", "/efi/loader/entries", "/boot/efi/loader/entries"].flatMap {
      root.glob($0, suffix: ".conf")
    }
  }

  /// The folder of the entry `file`.
  static func folder(of file: String) -> String { (file as NSString).deletingLastPathComponent }

  public static func read(_ root: HostRoot) throws(ConfigFileError) -> BLS {
    let entryFiles = root.realFiles(entryNames(root))
    let kernelCmdline = root.realFiles([kernelCmdlineName]).first
    let isProxmox = root.isFile(proxmoxBootUUIDs)
    guard !entryFiles.isEmpty || (isProxmox && kernelCmdline != nil) else {
      throw ConfigFileError(file: "/boot/loader/entries", message: "no BLS entry (*.conf) under \(root.path)")
    }
    let files = entryFiles.map { ($0, "Spacevars.lns") } + (kernelCmdline.map { [($0, "Cmdline.lns")] } ?? [])
    let tree = try BootConfigTree(root: root, files: files)
    let grubEnv = try GrubEnv.read(root, augeas: tree.augeas)
    let tunedParams = grubEnv.flatMap { block in block.value("tuned_params").map { (block.file, $0) } }
    var bls = BLS(
      tree: tree, entryFiles: entryFiles, kernelCmdline: kernelCmdline, grubEnv: grubEnv,
      tuned: try Tuned.read(root, tunedParams: tunedParams), isProxmox: isProxmox,
      usesKernelInstall: root.status("/usr/bin/kernel-install") != nil)
    _ = try bls.entries()
    if try !bls.entriesUsing(GrubEnv.kernelopts).isEmpty {
      if root.isFile(Grub2.defaultsName) { bls.defaults = try Grub2.read(root) }
      bls.kerneloptsFallbackFiles = root.realFiles(["/boot/grub2/grub.cfg", "/boot/grub/grub.cfg"])
    }
    return bls
  }

  /// The entries whose `options` reference the grubenv variable `name`.
  public func entriesUsing(_ name: String) throws(ConfigFileError) -> [String] {
    var result: [String] = []
    for file in entryFiles where try options(file)?.variableNames.contains(name) == true { result.append(file) }
    return result
  }

  /// An entry's `options` line: the command line the editor edits, then the GRUB
  /// variables the boot loader expands (`$tuned_params`), kept as they are.
  public struct Options: Sendable, Equatable {
    /// The command line before the first variable (with the blank before it).
    public var text: String
    /// The 1-based line of `options` in its entry.
    public var line: Int?
    /// The 1-based column where ``text`` starts.
    public var column: Int?
    /// The rest of the line from the first variable: only `$name` words, opaque to the
    /// editor (never removed, new arguments go before them, where tuned expects its own).
    public var variables: String

    /// The variable names referenced (`kernelopts`, `tuned_params`).
    public var variableNames: [String] {
      variables.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String($0.dropFirst()) }
    }
  }

  /// The `options` line of `file`, or `nil` when the entry has none.
  ///
  /// - Throws: when the entry has several `options` lines, or an argument follows a GRUB
  ///   variable (the editor keeps variables only at the end, where tuned and RHEL put them).
  public func options(_ file: String) throws(ConfigFileError) -> Options? {
    let nodes: [String]
    let value: String?
    do {
      nodes = try tree.augeas.match(tree.path(of: file) + "/options")
      value = try nodes.first.flatMap { (node) throws(AugeasError) in try tree.augeas.get(node) }
    } catch {
      throw ConfigFileError(error)
    }
    let lines = tree.lineNumbers(in: file) { $0.hasPrefix("options ") || $0.hasPrefix("options\t") }
    if nodes.count > 1 {
      throw ConfigFileError(
        file: file, line: lines.dropFirst().first,
        message: "the entry has \(nodes.count) options lines; merge them into one")
    }
    guard !nodes.isEmpty else { return nil }
    let whole = value ?? ""
    let line = lines.first
    let column = line.flatMap { tree.line($0, of: file) }.flatMap { found in
      found.range(of: whole).map { found.distance(from: found.startIndex, to: $0.lowerBound) + 1 }
    }
    var text = whole
    var variables = ""
    if let dollar = Self.firstVariable(in: whole) {
      text = String(whole[..<dollar])
      variables = String(whole[dollar...])
      let words = variables.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if let stray = words.first(where: { !$0.hasPrefix("$") }) {
        throw ConfigFileError(
          file: file, line: line, column: column,
          message:
            "options has the argument '\(stray)' after a GRUB variable (\(variables)); virthost keeps variables at the end of the line, as tuned and RHEL write them: move it before them"
        )
      }
    }
    return Options(text: text, line: line, column: column, variables: variables)
  }

  /// Where the first word starting with `$` begins in `text`.
  private static func firstVariable(in text: String) -> String.Index? {
    var previous: Character = " "
    for index in text.indices {
      if text[index] == "$" && (previous == " " || previous == "\t") { return index }
      previous = text[index]
    }
    return nil
  }

  /// The arguments the boot loader gives the entry `file`: its own, then those of the
  /// grubenv variables it references (`$kernelopts`, `$tuned_params`).
  public func arguments(of file: String) throws(ConfigFileError) -> [KernelArgument] {
    guard let options = try options(file) else { return [] }
    var arguments = try tree.arguments(
      ofCommandLine: options.text, in: file, line: options.line, column: options.column)
    for name in options.variableNames {
      guard let grubEnv, let value = name == GrubEnv.kernelopts ? editedKernelopts : grubEnv.value(name) else {
        continue
      }
      arguments += try tree.arguments(ofCommandLine: value, in: grubEnv.file, line: nil, column: nil)
    }
    return arguments
  }

  /// Whether the entry `file` boots a Linux kernel (has a `linux` line).
  public func bootsLinux(_ file: String) throws(AugeasError) -> Bool {
    try tree.augeas.count(tree.path(of: file) + "/linux") > 0
  }

  /// The entries in boot menu order (newest version first, as GRUB's blscfg
  /// and systemd-boot sort them; approximated by a numeric comparison of file names).
  public var orderedEntryFiles: [String] {
    // Each name taken once, not at every comparison.
    entryFiles.map { (file: $0, name: ($0 as NSString).lastPathComponent) }
      .sorted { $0.name.compare($1.name, options: [.numeric]) == .orderedDescending }.map(\.file)
  }

  /// The default entry: grubenv's `saved_entry` when it names an entry, else the first in menu order.
  public var defaultEntryFile: String? {
    let ordered = orderedEntryFiles
    if let savedEntry,
      let match = ordered.first(where: {
        (($0 as NSString).lastPathComponent as NSString).deletingPathExtension == savedEntry
      })
    {
      return match
    }
    return ordered.first
  }

  public func entries() throws(ConfigFileError) -> [BootEntry] {
    if entryFiles.isEmpty, let kernelCmdline {
      // proxmox-boot-tool: the entries on the ESPs are copies of /etc/kernel/cmdline.
      let arguments: [KernelArgument]
      do { arguments = try tree.arguments(at: tree.path(of: kernelCmdline)) } catch { throw ConfigFileError(error) }
      return [
        BootEntry(
          title: "kernels proxmox-boot-tool installs", file: kernelCmdline, index: 0, isDefault: true,
          arguments: arguments)
      ]
    }
    let defaultFile = defaultEntryFile
    var result: [BootEntry] = []
    for (index, file) in orderedEntryFiles.enumerated() {
      let arguments = try arguments(of: file)
      let title: String
      do { title = try tree.augeas.get(tree.path(of: file) + "/title") ?? (file as NSString).lastPathComponent } catch {
        throw ConfigFileError(error)
      }
      result.append(
        BootEntry(title: title, file: file, index: index, isDefault: file == defaultFile, arguments: arguments))
    }
    return result
  }
}

extension BLS {
  /// Where an edit keeps grubenv's new `kernelopts` until the block is rendered (the tree
  /// holds every edit; grubenv is rendered byte-exact, not through a lens).
  public static let kerneloptsEdit = "/virthost-edits/kernelopts"

  /// grubenv's `kernelopts` as edited (or as read when no edit changed it).
  public var editedKernelopts: String? {
    // A fixed, valid path: reading it cannot fail, it is only missing before an edit.
    ((try? tree.augeas.get(Self.kerneloptsEdit)) ?? nil) ?? grubEnv?.value(GrubEnv.kernelopts)
  }

  /// The entries (none on a proxmox-boot-tool host, whose entries are on unmounted ESPs),
  /// `/etc/kernel/cmdline` (kernel-install's and proxmox-boot-tool's source) and grubenv's
  /// `kernelopts` when entries use it (RHEL 8's kernel-install writes `options $kernelopts`).
  public func commandLineSources(entries: [BootEntry]) throws(ConfigFileError) -> [CommandLineSource] {
    var sources: [CommandLineSource] = []
    if !entryFiles.isEmpty {
      sources = entries.map(CommandLineSource.init(entry:))
    }
    if let kernelCmdline {
      let arguments: [KernelArgument]
      do { arguments = try tree.arguments(at: tree.path(of: kernelCmdline)) } catch { throw ConfigFileError(error) }
      sources.append(CommandLineSource(name: kernelCmdline, role: .nextKernels, arguments: arguments))
    }
    if let grubEnv, let value = editedKernelopts, try !entriesUsing(GrubEnv.kernelopts).isEmpty {
      sources.append(
        CommandLineSource(
          name: "\(grubEnv.file) kernelopts", role: .nextKernels,
          arguments: try tree.arguments(ofCommandLine: value, in: grubEnv.file, line: nil, column: nil)))
    }
    return sources
  }
}

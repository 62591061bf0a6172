import Augeas
import RootFS

/// The modprobe.d files of a root in the order kmod reads them, each parsed with the shipped
/// Modprobe lens: what `modprobe` does with a module at boot, and which file says so.
///
/// kmod reads `*.conf` from ``directories``; a name in a folder higher in that list hides the
/// same name further down (so `/etc` overrides a package's file), and the files are read in the
/// order of their names. For one module, `options` lines add up in that order, so of two values
/// of one parameter the one read last wins. The kernel command line (`modprobe.blacklist=`,
/// `<module>.<parameter>=`) is read before every file and wins over them: ``CommandLineModules``.
/// Never writes.
public struct ModprobeConfiguration: Sendable {
  /// The folders kmod reads, highest priority first.
  public static let directories = [
    "/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/lib/modprobe.d", "/usr/lib/modprobe.d",
  ]
  /// The lens of every modprobe.d file.
  public static let lens = "Modprobe.lns"

  /// One line of a file that names a module.
  public struct Entry: Sendable, Equatable {
    /// The file, as read (links resolved).
    public var file: String
    /// `options`, `softdep`, `blacklist`, `install`, `remove`, `alias`.
    public var kind: String
    /// The module, `-` written as `_` (for `alias`, the alias's module).
    public var module: String
    /// For `options`: the parameters and values in line order; for `softdep`: `pre` and
    /// `post` modules; for `install`/`remove`: the command under `command`.
    public var values: [(name: String, value: String)]

    /// Compares every field.
    public static func == (lhs: Self, rhs: Self) -> Bool {
      lhs.file == rhs.file && lhs.kind == rhs.kind && lhs.module == rhs.module
        && lhs.values.map(\.name) == rhs.values.map(\.name) && lhs.values.map(\.value) == rhs.values.map(\.value)
    }
  }

  /// The files read, in order.
  public let files: [String]
  /// Every entry, in read order.
  public let entries: [Entry]

  /// Reads the modprobe.d files of `root`; `planned` replaces the text of files (by path) and
  /// may add new ones: how an editor checks what it plans.
  ///
  /// - Throws: ``ConfigFileError`` naming the file, line and column of a text the lens refuses.
  public init(root: HostRoot, planned: [String: String] = [:]) throws(ConfigFileError) {
    let tree: AugeasTree
    do {
      tree = try AugeasTree(root: "/", transforms: [])
    } catch {
      throw ConfigFileError(error)
    }
    var entries: [Entry] = []
    let files = Self.readOrder(root, adding: Array(planned.keys))
    for path in files {
      let text: String
      if let plannedText = planned[path] {
        text = plannedText
      } else {
        let resolved = root.resolve(path) ?? path
        if resolved == "/dev/null" { continue }
        do {
          text = try root.text(resolved) ?? ""
        } catch {
          throw ConfigFileError(error, reading: resolved)
        }
      }
      entries += try Self.entries(of: text, file: path, tree)
    }
    self.files = files
    self.entries = entries
  }

  /// The entries of `text`, parsed with the Modprobe lens in `tree`.
  public static func entries(of text: String, file: String, _ tree: AugeasTree) throws(ConfigFileError) -> [Entry] {
    let node = "/modprobe"
    do {
      try tree.parseText(text, lens: lens, into: node)
      defer { _ = try? tree.remove(node) }
      var result: [Entry] = []
      for (index, child) in try tree.children(of: node).enumerated() where !child.label.hasPrefix("#") {
        let path = "\(node)/*[\(index + 1)]"
        var values: [(name: String, value: String)] = []
        for sub in try tree.children(of: path) { values.append((sub.label, sub.value ?? "")) }
        var module = child.value ?? ""
        if child.label == "alias", let target = values.first(where: { $0.name == "modulename" }) {
          module = target.value
        }
        result.append(
          Entry(file: file, kind: child.label, module: ModuleOptionRules.normal(module), values: values))
      }
      return result
    } catch {
      throw ConfigFileError(text: error, file: file)
    }
  }

  /// The files kmod reads under `root` (and the new ones in `adding`), in read order.
  public static func readOrder(_ root: HostRoot, adding: [String]) -> [String] {
    var byName: [String: String] = [:]
    let name = { (path: String) in String(path.split(separator: "/").last ?? "") }
    for path in adding where path.hasPrefix(directories[0] + "/") { byName[name(path)] = path }
    for directory in directories {
      for file in root.listIfPresent(directory) where file.hasSuffix(".conf") && byName[file] == nil {
        let path = directory + "/" + file
        if !root.isDirectory(path) { byName[file] = path }
      }
    }
    let precedes = { (a: String, b: String) in Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }
    return byName.keys.sorted(by: precedes).map { byName[$0]! }
  }

  /// The `options` entries of `module`, in read order.
  public func options(of module: String) -> [Entry] {
    entries.filter { $0.kind == "options" && $0.module == ModuleOptionRules.normal(module) }
  }

  /// The value `parameter` of `module` gets from the files (the last one read), with its file.
  public func value(_ module: String, _ parameter: String) -> (value: String, file: String)? {
    for entry in options(of: module).reversed() {
      if let found = entry.values.last(where: { ModuleOptionRules.sameModule($0.name, parameter) }) {
        return (found.value, entry.file)
      }
    }
    return nil
  }

  /// The files that keep `module` from loading: `blacklist` (stops loading by alias, as udev
  /// does at boot) or an `install` command that runs `/bin/false` or `/bin/true`.
  public func blocking(_ module: String) -> [Entry] {
    entries.filter { entry in
      guard entry.module == ModuleOptionRules.normal(module) else { return false }
      if entry.kind == "blacklist" { return true }
      guard entry.kind == "install" else { return false }
      let command = entry.values.map(\.value).joined(separator: " ")
      return ["/bin/false", "/bin/true", "/usr/bin/false", "/usr/bin/true"].contains {
        command.hasPrefix($0)
      }
    }
  }
}

import Augeas
import Foundation
import RootFS

/// The files outside the boot loader that keep the host's own work off isolated CPUs:
/// systemd's `CPUAffinity=` (`[Manager]` of `/etc/systemd/system.conf` and its
/// `system.conf.d` drop-ins, read with the Systemd lens) and irqbalance's
/// `IRQBALANCE_BANNED_CPULIST` (read with the Shellvars lens). Reading only; facts and
/// the engine share these paths and readers.
public enum IsolationFiles {
  /// systemd's manager configuration.
  public static let systemManager = "/etc/systemd/system.conf"
  /// The drop-in folder systemd reads after ``systemManager``, in name order.
  public static let systemDropIns = "/etc/systemd/system.conf.d"
  /// virthost's drop-in for `CPUAffinity=`.
  public static let affinityDropIn = "/etc/systemd/system.conf.d/90-virthost-cpu-affinity.conf"
  /// The lens of systemd's INI-like files.
  public static let systemdLens = "Systemd.lns"
  /// The lens of shell variable files.
  public static let shellLens = "Shellvars.lns"
  /// irqbalance's environment file on Debian and Ubuntu, then on RHEL and its rebuilds.
  public static let irqbalanceFiles = ["/etc/default/irqbalance", "/etc/sysconfig/irqbalance"]
  /// irqbalance's variable for the CPUs it leaves alone.
  public static let bannedVariable = "IRQBALANCE_BANNED_CPULIST"
  /// The older mask form (`IRQBALANCE_BANNED_CPUS=f0`): irqbalance 1.9 reads it first and,
  /// when it is set, never reads ``bannedVariable`` (cputree.c, `setup_banned_cpus`).
  public static let bannedMaskVariable = "IRQBALANCE_BANNED_CPUS"

  /// The irqbalance environment file of `root`, or `nil` when irqbalance is not installed
  /// (its package ships the file: Debian's `irqbalance`, RHEL's `irqbalance`).
  public static func irqbalanceFile(_ root: HostRoot) -> String? {
    irqbalanceFiles.first { root.isFile($0) }
  }

  /// The `CPUAffinity=` mask systemd's manager ends with and the files that make it, or
  /// `nil` when no file sets it (the manager then runs on every CPU): systemd merges the
  /// masks of every assignment, and an empty assignment drops those before it
  /// (systemd-system.conf(5)).
  ///
  /// - Throws: naming the file, line and column the Systemd lens does not accept.
  public static func cpuAffinity(_ root: HostRoot) throws(ConfigFileError) -> (value: String, file: String)? {
    guard let merged = CPUAffinityAssignment.merged(try cpuAffinityAssignments(root)) else { return nil }
    return (merged.value, merged.files.joined(separator: ", "))
  }

  /// Every `CPUAffinity=` line of `[Manager]` systemd reads, in its order: system.conf, then
  /// the `system.conf.d` drop-ins of `/etc`, `/run`, `/usr/local/lib` and `/usr/lib` sorted by
  /// name (a name in an earlier folder hides the same name in a later one).
  ///
  /// - Throws: naming the file, line and column the Systemd lens does not accept.
  public static func cpuAffinityAssignments(_ root: HostRoot) throws(ConfigFileError) -> [CPUAffinityAssignment] {
    var dropIns: [String: String] = [:]
    for folder in systemDropInFolders.reversed() {
      for name in root.listIfPresent(folder) where name.hasSuffix(".conf") { dropIns[name] = "\(folder)/\(name)" }
    }
    var found: [CPUAffinityAssignment] = []
    for file in [systemManager] + dropIns.keys.sorted().compactMap({ dropIns[$0] }) where root.isFile(file) {
      for value in try values(of: "Manager/CPUAffinity", in: file, lens: systemdLens, root) {
        found.append(CPUAffinityAssignment(file: file, value: value))
      }
    }
    return found
  }

  /// The folders of systemd's manager drop-ins, the first one winning a name.
  public static let systemDropInFolders = [
    systemDropIns, "/run/systemd/system.conf.d", "/usr/local/lib/systemd/system.conf.d",
    "/usr/lib/systemd/system.conf.d",
  ]

  /// irqbalance's banned CPU list and its file, `nil` when irqbalance is absent or the
  /// variable is not assigned.
  public static func bannedCPUList(_ root: HostRoot) throws(ConfigFileError) -> (value: String, file: String)? {
    guard let file = irqbalanceFile(root) else { return nil }
    return try value(of: bannedVariable, in: file, lens: shellLens, root).map { ($0, file) }
  }

  /// The value at `key` of `file` parsed with `lens`: a Systemd entry's `value` children
  /// joined by a space, a Shellvars value without its quotes; `nil` when absent.
  static func value(of key: String, in file: String, lens: String, _ root: HostRoot) throws(ConfigFileError)
    -> String?
  {
    try values(of: key, in: file, lens: lens, root).last
  }

  /// Every value at `key` of `file`, in the file's order; an empty assignment is `""`.
  static func values(of key: String, in file: String, lens: String, _ root: HostRoot) throws(ConfigFileError)
    -> [String]
  {
    let tree = try BootConfigTree(root: root, files: [(file, lens)])
    do {
      var found: [String] = []
      for node in try tree.augeas.match(tree.path(of: file) + "/" + key) {
        let children = try tree.augeas.match(node + "/value")
        if !children.isEmpty {
          var values: [String] = []
          for child in children { values.append(try tree.augeas.get(child) ?? "") }
          found.append(values.joined(separator: " "))
        } else {
          found.append((try tree.augeas.get(node) ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\"'")))
        }
      }
      return found
    } catch {
      throw ConfigFileError(error)
    }
  }
}

extension BootConfigTree {
  /// One file of `root` parsed with `lens` (a missing file is the empty text), for the
  /// editors of files outside the boot loader that need a lens chosen explicitly.
  public static func parsing(_ file: String, lens: String, root: HostRoot) throws(ConfigFileError) -> BootConfigTree {
    try BootConfigTree(root: root, files: [(file, lens)])
  }
}

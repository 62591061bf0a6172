import Foundation
import TestSupport

/// `systemd-sysctl` run for real on a root's sysctl files by `scripts/oracles/sysctl-values.sh`,
/// the oracle script's own runner: in a private mount namespace where the root's folders are
/// bind-mounted over the machine's and `/proc/sys` is a tmpfs of empty fake keys, so the
/// machine's own `/proc/sys` and sysctl files are never written.
enum SystemdSysctlOracle {
  static let script = FixtureRoot.repository.appendingPathComponent("scripts/oracles/sysctl-values.sh").path

  /// Why the oracle cannot run here, `nil` when it can: it needs root, `unshare` and the program.
  static let unavailable: String? = {
    guard getuid() == 0 else { return "not root: no mount namespace for systemd-sysctl" }
    guard FileManager.default.isExecutableFile(atPath: "/lib/systemd/systemd-sysctl") else {
      return "/lib/systemd/systemd-sysctl is not installed"
    }
    guard FileManager.default.fileExists(atPath: "/etc/sysctl.conf") else { return "no /etc/sysctl.conf to bind over" }
    guard let probe = try? ProgramRun.run("/usr/bin/unshare", ["-m", "true"]), probe.status == 0 else {
      return "unshare -m fails here (no CAP_SYS_ADMIN)"
    }
    return nil
  }()

  /// The value systemd-sysctl writes to each of `keys` (dotted) from the files under `root`;
  /// `nil` for a key it does not write.
  static func values(_ root: String, keys: [String]) throws -> [String: String?] {
    let paths = keys.map { $0.replacingOccurrences(of: ".", with: "/") }
    let run = try ProgramRun.run("/bin/bash", [script, root] + paths)
    guard run.status == 0 else {
      throw CocoaError(.executableLoad, userInfo: [NSDebugDescriptionErrorKey: run.transcript])
    }
    var result: [String: String?] = [:]
    for line in run.output.split(separator: "\n") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      guard fields.count == 3, fields[0] == "value" else { continue }
      result[fields[1]] = fields[2] == "(not written)" ? nil : fields[2]
    }
    return result
  }
}

import Foundation
import TestSupport

/// `systemd-sysctl` run for real on a root's sysctl files, as `scripts/oracles/sysctl-oracle.sh`
/// runs it: in a private mount namespace where the root's folders are bind-mounted over the
/// machine's and `/proc/sys` is a tmpfs of empty fake keys, so the machine's own `/proc/sys`
/// and sysctl files are never written.
enum SystemdSysctlOracle {
  static let program = "/lib/systemd/systemd-sysctl"

  /// Why the oracle cannot run here, `nil` when it can: it needs root, `unshare` and the program.
  static let unavailable: String? = {
    guard getuid() == 0 else { return "not root: no mount namespace for systemd-sysctl" }
    guard FileManager.default.isExecutableFile(atPath: program) else { return "\(program) is not installed" }
    guard FileManager.default.fileExists(atPath: "/etc/sysctl.conf") else { return "no /etc/sysctl.conf to bind over" }
    guard let probe = try? ProgramRun.run("/usr/bin/unshare", ["-m", "true"]), probe.status == 0 else {
      return "unshare -m fails here (no CAP_SYS_ADMIN)"
    }
    return nil
  }()

  /// The value systemd-sysctl writes to each of `keys` (dotted) from the files under `root`;
  /// `nil` for a key it does not write.
  static func values(_ root: String, keys: [String]) throws -> [String: String?] {
    let script = #"""
      set -euo pipefail
      root=$1; shift
      conf=$root/etc/sysctl.conf; [[ -e $conf ]] || { conf=$(mktemp); }
      for d in etc/sysctl.d run/sysctl.d usr/lib/sysctl.d usr/local/lib/sysctl.d; do mkdir -p "$root/$d"; done
      mount -t tmpfs tmpfs /proc/sys
      [[ $(stat -f -c %T /proc/sys) == tmpfs ]] || { echo "refusing: /proc/sys is not the tmpfs" >&2; exit 1; }
      for k in "$@"; do mkdir -p "/proc/sys/$(dirname "$k")"; : > "/proc/sys/$k"; done
      mount --bind "$root/etc/sysctl.d" /etc/sysctl.d
      mount --bind "$conf" /etc/sysctl.conf
      mount -t tmpfs tmpfs /run && mkdir -p /run/sysctl.d && mount --bind "$root/run/sysctl.d" /run/sysctl.d
      mount -t tmpfs tmpfs /usr/local/lib && mkdir -p /usr/local/lib/sysctl.d
      mount --bind "$root/usr/local/lib/sysctl.d" /usr/local/lib/sysctl.d
      mount --bind "$root/usr/lib/sysctl.d" /usr/lib/sysctl.d
      /lib/systemd/systemd-sysctl >/dev/null 2>&1 || true
      for k in "$@"; do printf '%s\t%s\n' "$k" "$(cat "/proc/sys/$k")"; done
      """#
    let paths = keys.map { $0.replacingOccurrences(of: ".", with: "/") }
    let run = try ProgramRun.run(
      "/usr/bin/unshare", ["-m", "--propagation", "private", "/bin/bash", "-c", script, "bash", root] + paths)
    guard run.status == 0 else {
      throw CocoaError(.executableLoad, userInfo: [NSDebugDescriptionErrorKey: run.transcript])
    }
    var result: [String: String?] = [:]
    for line in run.output.split(separator: "\n") {
      let fields = line.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
      let value = fields.count > 1 ? String(fields[1]) : ""
      result[String(fields[0]).replacingOccurrences(of: "/", with: ".")] = value.isEmpty ? nil : value
    }
    return result
  }
}

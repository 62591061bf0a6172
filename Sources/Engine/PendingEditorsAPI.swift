// TEMPORARY, removed when the daemon branch is merged into this one: DaemonFiles
// as declared for the daemon, so that the engine compiles. Every function fails.
// (The editors' stubs are gone: the lead merged main, which has the real editors
// and HostFacts — use them; HostProfile.read below should now read HostFacts.)
import Editors

private func pending() -> EditorError { EditorError(message: "the daemon is not merged yet") }

public enum DaemonFiles {
  public static let binaryPath = "/usr/local/sbin/virthost-ksmtuned"
  public static func systemdUnit(binaryPath: String) throws -> String { throw pending() }
  public static func sysvInitScript(binaryPath: String) throws -> String { throw pending() }
}

extension HostProfile {
  /// TEMPORARY until HostFacts is merged.
  public static func read(root: String) -> HostProfile {
    HostProfile(
      vendor: .unknown, hardwareVirtualization: false, numaNodes: 1, kernelConfig: nil, runningCommandLine: nil)
  }
}

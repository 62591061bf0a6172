import Foundation
import RootFS
import Spawn
import Synchronization

/// What `proxmox-boot-tool status` says on the live host: how the host was booted ("System
/// currently booted with uefi" / "… legacy bios") and, per ESP it could mount, what it holds
/// ("UUID is configured with: uefi (versions: …), grub (versions: …)": "uefi" when the ESP
/// has `loader/loader.conf`, "grub" when it has a `grub` folder), as proxmox-kernel-helper
/// 8.1.0's `status` and `_status_detail` (`src/bin/proxmox-boot-tool`) print them. It does
/// not say whether an ESP holds `EFI/proxmox/grubx64.efi`.
public struct ProxmoxBootStatus: Sendable, Equatable {
  /// How the host was booted; `nil` when the output does not say.
  public var firmware: ProxmoxBoot.Firmware?
  /// Per ESP UUID, what it holds.
  public var contents: [String: ProxmoxBoot.Contents]
  /// Why the tool could not be run or gave nothing usable, when that is so.
  public var problem: String?
  /// Where this was read, in words.
  public var source = "proxmox-boot-tool status"

  /// Reads the printed `output` of `proxmox-boot-tool status`.
  public init(output: String) {
    var firmware: ProxmoxBoot.Firmware?
    var contents: [String: ProxmoxBoot.Contents] = [:]
    for line in output.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
      if line == "System currently booted with uefi" { firmware = .uefi }
      if line == "System currently booted with legacy bios" { firmware = .legacyBIOS }
      guard let range = line.range(of: " is configured with: ") else { continue }
      let uuid = String(line[..<range.lowerBound])
      let result = line[range.upperBound...]
      contents[uuid] = ProxmoxBoot.Contents(
        grubEFI: nil, loaderConf: result.hasPrefix("uefi"),
        grubFolder: result.hasPrefix("grub (") || result.contains("), grub ("), source: source)
    }
    self.firmware = firmware
    self.contents = contents
    if firmware == nil { problem = "proxmox-boot-tool status did not say how the host is booted" }
  }

  /// A status that could not be read, for `problem`.
  init(problem: String) {
    firmware = nil
    contents = [:]
    self.problem = problem
  }

  /// The status read by this process: the live host's only (no other root runs the tool).
  private static let read = Mutex<ProxmoxBootStatus?>(nil)

  /// Runs `proxmox-boot-tool status` of the live `root` once per process (it mounts each ESP
  /// for a moment, as root, and a plan reads the boot loader several times; a refresh does
  /// not change the modes it reports); a status with ``problem`` set when it is missing,
  /// cannot run or fails.
  static func run(in root: HostRoot) -> ProxmoxBootStatus {
    if let status = read.withLock({ $0 }) { return status }
    let status = runTool(in: root)
    read.withLock { $0 = status }
    return status
  }

  /// One run of `proxmox-boot-tool status` (see ``run(in:)``).
  private static func runTool(in root: HostRoot) -> ProxmoxBootStatus {
    guard let program = root.findProgram(HostRoot.programFolders.map { $0 + "/proxmox-boot-tool" }) else {
      return ProxmoxBootStatus(problem: "proxmox-boot-tool is not installed")
    }
    do {
      let outcome = try ProgramRunner.run(
        program, ["status"], step: "read how the ESPs boot", timeout: .seconds(60), streams: .separate)
      guard outcome.status == 0 else {
        return ProxmoxBootStatus(
          problem: "proxmox-boot-tool status failed (exit \(outcome.status)): \(outcome.printed)")
      }
      return ProxmoxBootStatus(output: outcome.printed)
    } catch {
      return ProxmoxBootStatus(problem: "proxmox-boot-tool status could not run: \(error)")
    }
  }
}

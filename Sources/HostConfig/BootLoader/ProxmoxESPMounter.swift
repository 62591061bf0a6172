import Foundation
import RootFS
import Spawn
import Synchronization

/// Reads an ESP of the live host by mounting its partition read-only for the moment of the
/// read, as `proxmox-boot-tool` mounts it for its own: `/dev/disk/by-uuid/UUID` with
/// `mount -o ro,nosuid,nodev,noexec` on a private folder (mode 0700) made under
/// `/run/virthost`, unmounted and removed before the read returns, on error too.
///
/// Used by ``ProxmoxBoot/read(_:status:esps:)`` on the live root only, for an ESP whose
/// contents are not under the root at `/var/tmp/espmounts/UUID`; never on another root
/// (its UUIDs name another machine's partitions). Each ESP is mounted once per process: a
/// plan reads the boot loader several times, and nothing virthost plans changes an ESP.
public struct ProxmoxESPMounter: ProxmoxESPReader {
  /// The live host's: partitions in `/dev/disk/by-uuid`, mount folders in `/run/virthost`.
  public static let live = ProxmoxESPMounter(deviceFolder: "/dev/disk/by-uuid", runFolder: "/run/virthost")
  /// The mount options: read-only, and nothing on it is run or opened as a device.
  public static let options = "ro,nosuid,nodev,noexec"

  /// The folder whose entry named by the UUID is the partition.
  public var deviceFolder: String
  /// The folder (made with mode 0700 when missing) in which each mount's folder is made.
  public var runFolder: String

  /// A reader of the partitions `deviceFolder/UUID` (a test: image files, which `mount`
  /// attaches to a loop device), mounted in folders made in `runFolder`.
  public init(deviceFolder: String, runFolder: String) {
    self.deviceFolder = deviceFolder
    self.runFolder = runFolder
  }

  private static let read = Mutex<[String: Result<ProxmoxESPSnapshot, ProxmoxESPReadFailure>]>([:])

  public func read(_ uuid: String) -> Result<ProxmoxESPSnapshot, ProxmoxESPReadFailure> {
    // A UUID is hex digits and dashes (vfat's XXXX-XXXX); anything else, a `../` among it,
    // would name another device than a partition of this UUID.
    guard !uuid.isEmpty, uuid.allSatisfy({ $0 == "-" || $0.isHexDigit }) else {
      return .failure(ProxmoxESPReadFailure("'\(uuid)' is not a file-system UUID (hex digits and dashes): not mounted"))
    }
    let device = deviceFolder + "/" + uuid
    let key = runFolder + "\n" + device
    if let known = Self.read.withLock({ $0[key] }) { return known }
    let result = mountAndRead(device)
    Self.read.withLock { $0[key] = result }
    return result
  }

  /// Mounts `device`, reads it, unmounts it and removes the folder.
  private func mountAndRead(_ device: String) -> Result<ProxmoxESPSnapshot, ProxmoxESPReadFailure> {
    guard FileManager.default.fileExists(atPath: device) else {
      return .failure(ProxmoxESPReadFailure("\(device) does not exist (no partition has this UUID)"))
    }
    guard let live = try? HostRoot("/"),
      let mount = live.findProgram(HostRoot.programFolders.map { $0 + "/mount" }),
      let umount = live.findProgram(HostRoot.programFolders.map { $0 + "/umount" })
    else { return .failure(ProxmoxESPReadFailure("mount or umount is not installed")) }
    let folder: String
    switch makePrivateFolder() {
    case .success(let made): folder = made
    case .failure(let failure): return .failure(failure)
    }
    defer { rmdir(folder) }
    let command = "mount -o \(Self.options) \(device) \(folder)"
    do {
      let outcome = try ProgramRunner.run(
        mount, ["-o", Self.options, device, folder], step: "mount an ESP read-only", timeout: .seconds(30))
      guard outcome.status == 0 else {
        return .failure(ProxmoxESPReadFailure("\(command) failed (exit \(outcome.status)): \(outcome.printed)"))
      }
    } catch {
      // Killed at its timeout, mount may still have finished its mount(2): take it away, or
      // the folder stays mounted (and busy for the rmdir) with nothing left to unmount it.
      _ = unmount(folder, with: umount)
      return .failure(ProxmoxESPReadFailure("\(command) could not run: \(error)"))
    }
    let snapshot = (try? HostRoot(folder)).flatMap {
      ProxmoxESPSnapshot.read(top: "/", in: $0, source: "\(device) (mounted read-only)")
    }
    if let problem = unmount(folder, with: umount) { return .failure(ProxmoxESPReadFailure(problem)) }
    guard let snapshot else {
      return .failure(ProxmoxESPReadFailure("\(device) holds none of EFI, loader/loader.conf and grub"))
    }
    return .success(snapshot)
  }

  /// Makes `runFolder` (0700) when missing and a new private folder in it.
  private func makePrivateFolder() -> Result<String, ProxmoxESPReadFailure> {
    if mkdir(runFolder, 0o700) != 0 && errno != EEXIST {
      return .failure(ProxmoxESPReadFailure("cannot make \(runFolder): \(String(cString: strerror(errno)))"))
    }
    var template = Array((runFolder + "/esp.XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else {
      return .failure(
        ProxmoxESPReadFailure("cannot make a folder in \(runFolder): \(String(cString: strerror(errno)))"))
    }
    return .success(String(cString: made))
  }

  /// Unmounts `folder` (lazily when a plain unmount fails); why it is still mounted otherwise.
  private func unmount(_ folder: String, with umount: String) -> String? {
    var printed = ""
    for arguments in [[folder], ["--lazy", folder]] {
      let outcome = try? ProgramRunner.run(umount, arguments, step: "unmount an ESP", timeout: .seconds(30))
      if outcome?.status == 0 { return nil }
      printed = outcome?.printed ?? "could not run"
    }
    return "umount \(folder) failed: \(printed); the ESP stays mounted read-only there"
  }
}

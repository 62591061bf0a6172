import RootFS

/// What virthost reads on one ESP that `proxmox-boot-tool` keeps in step, while it can see
/// it: the files that tell its mode and the grub.cfg that boots from it.
public struct ProxmoxESPSnapshot: Sendable, Equatable {
  /// What it holds (`EFI/proxmox/grubx64.efi`, `loader/loader.conf`, a `grub` folder).
  public var contents: ProxmoxBoot.Contents
  /// The text of its `grub/grub.cfg`, `nil` when it has none.
  public var grubConfig: String?

  public init(contents: ProxmoxBoot.Contents, grubConfig: String?) {
    self.contents = contents
    self.grubConfig = grubConfig
  }

  /// Reads the ESP whose top is the folder `top` of `root`, described as `source`; `nil` when
  /// the folder holds none of `EFI`, `loader/loader.conf` or `grub` (not an ESP's contents).
  public static func read(top: String, in root: HostRoot, source: String) -> ProxmoxESPSnapshot? {
    let prefix = top == "/" ? "" : top
    let loaderConf = root.isFile(prefix + "/loader/loader.conf")
    let grubFolder = root.isDirectory(prefix + "/grub")
    guard root.isDirectory(prefix + "/EFI") || loaderConf || grubFolder else { return nil }
    let contents = ProxmoxBoot.Contents(
      grubEFI: root.isFile(prefix + "/" + ProxmoxBoot.grubEFI), loaderConf: loaderConf, grubFolder: grubFolder,
      source: source)
    let config = prefix + "/grub/grub.cfg"
    return ProxmoxESPSnapshot(
      contents: contents, grubConfig: root.isFile(config) ? (try? root.text(config)) ?? nil : nil)
  }
}

/// Where virthost reads an ESP that is not under the root: on the live host, a read-only
/// mount of its partition (``ProxmoxESPMounter``); in a test, a folder of its contents.
public protocol ProxmoxESPReader: Sendable {
  /// Reads the ESP `uuid`, or says in a sentence why it cannot.
  func read(_ uuid: String) -> Result<ProxmoxESPSnapshot, ProxmoxESPReadFailure>
}

/// Why an ESP could not be read (`mount` failed, no such partition…), in one sentence.
public struct ProxmoxESPReadFailure: Error, Sendable, Equatable, CustomStringConvertible {
  public var description: String
  public init(_ description: String) { self.description = description }
}

/// ESPs whose contents are folders on this machine, one per UUID (a test's fixture copies):
/// each read as the mounted partition is.
public struct ProxmoxESPFolders: ProxmoxESPReader {
  /// The folder of each ESP's contents, by UUID.
  public var folders: [String: String]

  public init(_ folders: [String: String]) { self.folders = folders }

  public func read(_ uuid: String) -> Result<ProxmoxESPSnapshot, ProxmoxESPReadFailure> {
    guard let folder = folders[uuid], let root = try? HostRoot(folder) else {
      return .failure(ProxmoxESPReadFailure("no folder holds ESP \(uuid)"))
    }
    guard let snapshot = ProxmoxESPSnapshot.read(top: "/", in: root, source: folder) else {
      return .failure(ProxmoxESPReadFailure("\(folder) holds none of EFI, loader/loader.conf and grub"))
    }
    return .success(snapshot)
  }
}

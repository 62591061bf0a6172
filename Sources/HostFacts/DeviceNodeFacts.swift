import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// Who would open a device node: a user and its groups, as the kernel's permission check
/// (`generic_permission`) sees them, without POSIX ACLs.
///
/// Used to judge a device under a root other than `/` from its mode bits; on the live root
/// `access(2)` answers for this process instead, ACLs and capabilities included.
public struct Credentials: Sendable, Equatable {
  /// The user ID.
  public var uid: UInt32
  /// The primary group and the supplementary groups.
  public var gids: [UInt32]
  /// Whether reading and writing are allowed whatever the mode bits (`CAP_DAC_OVERRIDE`, held by root).
  public var overridesPermissions: Bool

  /// A user with these IDs; `overridesPermissions` defaults to being root.
  public init(uid: UInt32, gids: [UInt32], overridesPermissions: Bool? = nil) {
    self.uid = uid
    self.gids = gids
    self.overridesPermissions = overridesPermissions ?? (uid == 0)
  }

  /// This process: its real user and group IDs and supplementary groups, as `access(2)` checks them.
  public static var caller: Credentials {
    let count = getgroups(0, nil)
    var groups = [gid_t](repeating: 0, count: Int(max(count, 0)))
    let filled = count > 0 ? getgroups(count, &groups) : 0
    return Credentials(uid: getuid(), gids: [getgid()] + groups.prefix(Int(max(filled, 0))))
  }

  /// Whether these credentials may both read and write a file of `status`: the owner's bits
  /// for its owner, else the group's bits for a member of its group, else the others' bits.
  public func canReadAndWrite(_ status: FileStatus) -> Bool {
    if overridesPermissions { return true }
    let bits: UInt32
    if status.owner == uid {
      bits = (status.mode >> 6) & 0o7
    } else if gids.contains(status.group) {
      bits = (status.mode >> 3) & 0o7
    } else {
      bits = status.mode & 0o7
    }
    return bits & 0o6 == 0o6
  }
}

/// One device node under the root: whether it is there, what it is, and whether the caller
/// may open it for reading and writing.
///
/// Under a fixture root an empty regular file stands for a device (git stores no device
/// nodes); on the live root only a character device counts.
public struct DeviceNode: Sendable, Codable, Equatable {
  /// The node's path from the root (`/dev/kvm`).
  public var path: String
  /// Whether something is at the path (links followed), as `virt-host-validate`'s `access(F_OK)`.
  /// Unknown when the root has no `/dev` at all (an offline image, whose `/dev` is filled at boot).
  public var present: Fact<Bool>
  /// What is there: `character device`, `regular file`, `directory`, `other`.
  public var kind: Fact<String>
  /// Its permissions: mode in octal, owner and group IDs (`0660 0:36`).
  public var permissions: Fact<String>
  /// Whether the caller may read and write it: on the live root `access(path, R_OK | W_OK)` on
  /// the real path, as `virt-host-validate` asks; under another root the mode bits judged for
  /// the ``Credentials`` given. Unknown when the node is absent.
  public var accessible: Fact<Bool>

  init(_ root: HostRoot, _ path: String, as credentials: Credentials) {
    self.path = path
    guard let status = root.status(path) else {
      let devices = root.isDirectory("/dev")
      present =
        devices
        ? .known(false, source: path) : .unknown("/dev not found (an offline image has no devices)", source: path)
      let reason = devices ? "\(path) not found" : "/dev not found"
      kind = .unknown(reason, source: path)
      permissions = .unknown(reason, source: path)
      accessible = .unknown(reason, source: path)
      return
    }
    present = .known(true, source: path)
    kind = .known(Self.words(status.kind), source: path)
    permissions = .known(
      "\(String(status.mode, radix: 8).leftPadded(to: 4)) \(status.owner):\(status.group)", source: path)
    if root.isLive {
      let source = "access(\(path), R_OK | W_OK)"
      guard let access = root.isAccessible(path, R_OK | W_OK) else {
        accessible = .unknown("\(path) has too many levels of symbolic links", source: source)
        return
      }
      accessible = .known(access, source: source)
    } else {
      accessible = .known(
        credentials.canReadAndWrite(status),
        source:
          "\(path): mode bits for uid \(credentials.uid), gids \(credentials.gids.map(String.init).joined(separator: ","))"
      )
    }
  }

  /// Whether the node is a usable device: a character device, or under a non-live root the
  /// empty regular file that stands for one. `nil` when unknown.
  func isDevice(live: Bool) -> Bool? {
    guard let present = present.value else { return nil }
    guard present else { return false }
    return kind.value == "character device" || (!live && kind.value == "regular file")
  }

  static func words(_ kind: FileStatus.Kind) -> String {
    switch kind {
    case .characterDevice: "character device"
    case .blockDevice: "block device"
    case .regular: "regular file"
    case .directory: "directory"
    case .symbolicLink: "symbolic link"
    case .other: "other"
    }
  }
}

/// The device nodes QEMU guests need: KVM itself, vhost-net, the TUN/TAP device, and AMD's
/// secure processor for SEV.
public struct DeviceNodeFacts: Sendable, Codable, Equatable {
  /// `/dev/kvm`: KVM's device; QEMU opens it for reading and writing.
  public var kvm: DeviceNode
  /// `/dev/vhost-net`: virtio networking in the kernel (module `vhost_net`).
  public var vhostNet: DeviceNode
  /// `/dev/net/tun`: TAP devices for guest networks (module `tun`).
  public var tun: DeviceNode
  /// `/dev/sev`: AMD's secure processor, present when the firmware enables SEV (module `ccp`).
  public var sev: DeviceNode
  /// Whether the root is the live machine's `/` (a regular file then is no device).
  public var live: Bool

  private enum CodingKeys: String, CodingKey {
    case kvm
    case vhostNet = "vhost_net"
    case tun, sev, live
  }

  init(_ root: HostRoot, as credentials: Credentials) {
    kvm = DeviceNode(root, "/dev/kvm", as: credentials)
    vhostNet = DeviceNode(root, "/dev/vhost-net", as: credentials)
    tun = DeviceNode(root, "/dev/net/tun", as: credentials)
    sev = DeviceNode(root, "/dev/sev", as: credentials)
    live = root.isLive
  }
}

extension String {
  /// The string with leading zeros up to `width` characters.
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}

#if canImport(Glibc)
  import Glibc
#endif

/// Why a file or folder could have been changed by someone other than root and the user
/// running virthost: the one rule, as OpenSSH's StrictModes judges a user's keys, for
/// virthost's state (``HostRoot/readState(_:limit:)``) and the plan files it saves.
public enum Untrusted: Equatable, Sendable {
  /// Owned by this other user.
  case owner(UInt32)
  /// Writable by its group or others; the permission bits.
  case writableByOthers(mode: UInt32)

  /// The judgement of an entry of status `info`: `nil` when it is owned by root or by the
  /// user running virthost and only its owner can write it. A root-owned folder with the
  /// sticky bit (`/tmp`), where no one else can rename or remove root's entries, passes when
  /// `stickyRootFolder` says so (state reads walk through `/tmp`; a plan file is not saved
  /// there, since others can plant names in it).
  public static func judge(_ info: stat, stickyRootFolder: Bool) -> Untrusted? {
    guard info.st_uid == 0 || info.st_uid == geteuid() else { return .owner(info.st_uid) }
    let mode = UInt32(info.st_mode & 0o7777)
    let sticky = info.st_mode & S_IFMT == S_IFDIR && mode & UInt32(S_ISVTX) != 0 && info.st_uid == 0
    if mode & 0o022 != 0 && !(sticky && stickyRootFolder) { return .writableByOthers(mode: mode) }
    return nil
  }
}

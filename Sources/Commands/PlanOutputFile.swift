import Foundation
import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// The file `virthost plan --out FILE` saves, for `virthost apply FILE`.
///
/// A plan quotes hunks of the files it changes, some of them readable by root alone (a GRUB
/// password hash in `/etc/grub.d/40_custom`), and `apply` carries out what it says. So the
/// file is written for its owner alone (mode 0600, set on the descriptor whatever the umask),
/// and only into a folder no one else can write: the folder is opened once, judged on that
/// descriptor (`fstat`: owned by root or by the user running virthost, and not writable by
/// its group or others, as OpenSSH's StrictModes judges a home folder; a sticky `/tmp` is
/// refused too, since its other users can plant names in it), and the file is made there
/// under an unpredictable temporary name (`O_CREAT|O_EXCL|O_NOFOLLOW`) and renamed over
/// `FILE`, replacing a link at that name rather than writing through it.
///
/// Not a host file of a root (``RootFS/HostRootWriter`` writes those): the path is the one the
/// user gave, on the machine virthost runs on.
final class PlanOutputFile {
  /// The path as given.
  let path: String
  /// The folder as the messages name it: absolute, `.` and `..` removed.
  let folderShown: String
  private let name: String
  private let folder: Int32

  /// The mode of a saved plan.
  static let mode: mode_t = 0o600

  private init(path: String, folderShown: String, name: String, folder: Int32) {
    self.path = path
    self.folderShown = folderShown
    self.name = name
    self.folder = folder
  }

  /// Opens the folder of `path` and judges it, before anything is planned.
  ///
  /// - Throws: a ``CommandFailure`` naming the folder when it cannot be opened, when its owner
  ///   is neither root nor the user running virthost, or when its group or others can write it.
  static func open(_ path: String) throws(CommandFailure) -> PlanOutputFile {
    let folderShown = URL(fileURLWithPath: path).standardized.deletingLastPathComponent().path
    let slash = path.lastIndex(of: "/")
    let name = String(slash.map { path[path.index(after: $0)...] } ?? path[...])
    guard !name.isEmpty, name != ".", name != ".." else {
      throw CommandFailure("cannot save the plan to \(path): --out names a folder; give a file name")
    }
    let folderPath = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
    let folder = Glibc.open(folderPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard folder >= 0 else {
      throw CommandFailure(
        "cannot save the plan to \(path): the folder \(folderShown): \(String(cString: strerror(errno)))")
    }
    let file = PlanOutputFile(path: path, folderShown: folderShown, name: name, folder: folder)
    var info = stat()
    guard fstat(folder, &info) == 0 else {
      throw CommandFailure(
        "cannot save the plan to \(path): the folder \(folderShown): \(String(cString: strerror(errno)))")
    }
    if let reason = untrusted(info) {
      throw CommandFailure(
        "refusing to save the plan in \(folderShown): \(reason); another user could read the plan or replace it "
          + "before `virthost apply` carries it out. Save it in a folder only you and root can write.")
    }
    return file
  }

  deinit { close(folder) }

  /// Why a folder with status `info` is not trusted with a plan, or `nil` when only its owner
  /// (root or the user running virthost) can write it.
  static func untrusted(_ info: stat) -> String? {
    let permissions = String(info.st_mode & 0o7777, radix: 8)
    let mode = "mode " + String(repeating: "0", count: max(0, 4 - permissions.count)) + permissions
    switch Untrusted.judge(info, stickyRootFolder: false) {
    case .owner(let uid)?: return "it belongs to \(userName(uid)) (\(mode))"
    case .writableByOthers?: return "its group or others can write it (\(mode))"
    case nil: return nil
    }
  }

  /// Writes `bytes` as the plan file: a new temporary file in the folder, mode 0600, renamed
  /// over the file's name.
  ///
  /// - Throws: a ``CommandFailure`` naming the file; the temporary file is then removed.
  func save(_ bytes: [UInt8]) throws(CommandFailure) {
    var temporary = ""
    var fd: Int32 = -1
    for _ in 0..<8 {
      temporary = Self.temporaryName(for: name)
      fd = openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, Self.mode)
      if fd >= 0 || errno != EEXIST { break }
    }
    guard fd >= 0 else {
      throw CommandFailure(
        "cannot save the plan to \(path): cannot create a file in \(folderShown): \(String(cString: strerror(errno)))")
    }
    var failure = fchmod(fd, Self.mode) == 0 ? 0 : errno
    var offset = 0
    while failure == 0 && offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { failure = count < 0 ? errno : EIO } else { offset += count }
    }
    if failure == 0 && fsync(fd) != 0 { failure = errno }
    if close(fd) != 0 && failure == 0 { failure = errno }
    if failure == 0 && renameat(folder, temporary, folder, name) != 0 { failure = errno }
    guard failure != 0 else { return }
    unlinkat(folder, temporary, 0)
    throw CommandFailure("cannot save the plan to \(path): \(String(cString: strerror(failure)))")
  }

  /// `.NAME.` and twelve random letters and digits (the system's random source).
  private static func temporaryName(for name: String) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    return "." + name + "." + String((0..<12).map { _ in alphabet.randomElement()! })
  }

  /// The user name of `uid`, or `uid N` when it has none.
  private static func userName(_ uid: uid_t) -> String {
    guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
    return String(cString: name)
  }
}

import HostProcesses

#if canImport(Glibc)
  import Glibc
#endif

/// The daemon's pidfile: created exclusively, refused while it names a live
/// process, removed on a clean exit.
final class PidFile {
  /// The pidfile's path on disk.
  let path: String

  private init(path: String) {
    self.path = path
  }

  /// The pid the file at `path` names when that process is alive (and is not
  /// us). A zombie (exited, not yet reaped) is not alive.
  static func livePid(at path: String) -> pid_t? {
    guard let bytes = RawFile.read(path, limit: 64) else { return nil }
    let text = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" || $0 == " " }).first
    guard let text, let pid = pid_t(text), pid > 0, pid != getpid() else { return nil }
    guard kill(pid, 0) == 0 || errno == EPERM else { return nil }
    if let status = RawFile.read("/proc/\(pid)/status", limit: 4096),
      String(decoding: status, as: UTF8.self).contains("\nState:\tZ")
    {
      return nil
    }
    return pid
  }

  /// Creates the pidfile holding our pid, replacing a stale one.
  ///
  /// - Returns: the pidfile, or one sentence saying why not (another instance
  ///   runs, or the file cannot be created).
  static func acquire(_ path: String) -> Result<PidFile, PidFileFailure> {
    for _ in 0..<2 {
      let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
      if fd >= 0 {
        DebugLog.writeAll(fd, "\(getpid())\n")
        close(fd)
        return .success(PidFile(path: path))
      }
      guard errno == EEXIST else {
        return .failure(PidFileFailure(description: "cannot create \(path): \(RawFile.describe(errno: errno))"))
      }
      if let pid = livePid(at: path) {
        return .failure(PidFileFailure(description: "already running as pid \(pid) (\(path))"))
      }
      unlink(path)
    }
    return .failure(PidFileFailure(description: "cannot create \(path): another process keeps creating it"))
  }

  /// Removes the file when it still holds our pid.
  func release() {
    guard let bytes = RawFile.read(path, limit: 64) else { return }
    let text = String(decoding: bytes, as: UTF8.self).split(whereSeparator: { $0 == "\n" }).first
    if let text, pid_t(text) == getpid() { unlink(path) }
  }
}

/// Why a pidfile could not be taken, as one sentence.
struct PidFileFailure: Error, CustomStringConvertible {
  var description: String
}

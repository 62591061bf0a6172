import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The few writes apply and rollback make under a root: whole files replaced
/// atomically, live values written in place, folders created.
enum HostFileSystem {
  /// Replaces `path` with `data` through a temporary file, flushed to the disk, and a
  /// rename, keeping an existing file's permission bits (or giving a new one `mode`).
  ///
  /// The file is always whole: its old bytes or `data`. On failure (the disk full, a
  /// read-only folder) the temporary file is removed and the error names `path`.
  static func replace(_ path: String, with data: Data, mode: Int) throws {
    let url = URL(fileURLWithPath: path)
    let manager = FileManager.default
    let folder = url.deletingLastPathComponent().path
    try manager.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let existing = (try? manager.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? nil
    let temporary = folder + "/.\(url.lastPathComponent).virthost-new"
    do {
      try writeFlushed(temporary, data, mode: existing ?? mode, reportedAs: path)
      guard rename(temporary, path) == 0 else { throw HostFileSystemError(path: path, errno: errno) }
    } catch {
      unlink(temporary)
      throw error
    }
    // The rename itself reaches the disk with the folder.
    let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if descriptor >= 0 {
      fsync(descriptor)
      close(descriptor)
    }
  }

  /// Writes `data` to a new file `path` with `mode` and flushes it to the disk;
  /// errors name `reportedAs`.
  private static func writeFlushed(_ path: String, _ data: Data, mode: Int, reportedAs name: String) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(mode))
    guard descriptor >= 0 else { throw HostFileSystemError(path: name, errno: errno) }
    defer { close(descriptor) }
    guard fchmod(descriptor, mode_t(mode)) == 0 else { throw HostFileSystemError(path: name, errno: errno) }
    try data.withUnsafeBytes { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { throw HostFileSystemError(path: name, errno: errno) }
        offset += written
      }
    }
    guard fsync(descriptor) == 0 else { throw HostFileSystemError(path: name, errno: errno) }
  }

  /// Removes `path` when it exists, a symlink whose target is missing included.
  static func remove(_ path: String) throws {
    guard (try? FileManager.default.attributesOfItem(atPath: path)) != nil else { return }
    try FileManager.default.removeItem(atPath: path)
  }

  /// Removes the folder `path` when it exists and is empty.
  static func removeEmptyFolder(_ path: String) throws {
    guard (try? FileManager.default.contentsOfDirectory(atPath: path))?.isEmpty == true else { return }
    try FileManager.default.removeItem(atPath: path)
  }

  /// Writes `value` and a newline to `path` in place, as `echo value > path` does:
  /// the way `/sys` and `/proc/sys` files take values.
  static func writeLive(_ path: String, _ value: String) throws {
    let descriptor = open(path, O_WRONLY | O_TRUNC)
    guard descriptor >= 0 else { throw HostFileSystemError(path: path, message: String(cString: strerror(errno))) }
    defer { close(descriptor) }
    let bytes = Array((value + "\n").utf8)
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    guard written == bytes.count else {
      throw HostFileSystemError(path: path, message: String(cString: strerror(errno)))
    }
  }
}

/// A write under the root that failed.
struct HostFileSystemError: Error, CustomStringConvertible {
  var path: String
  var message: String
  var description: String { "\(path): \(message)" }

  init(path: String, message: String) {
    self.path = path
    self.message = message
  }

  /// The failure `code` (an `errno`) of `path`, as `strerror` words it.
  init(path: String, errno code: Int32) {
    self.init(path: path, message: String(cString: strerror(code)))
  }

  /// `error` in one line: an `NSError` of Foundation's file calls as its path and the
  /// system's words (`…/grub.conf: No space left on device`), not its dictionary;
  /// any other error as it describes itself.
  static func describe(_ error: any Error) -> String {
    let nsError = error as NSError
    guard !(error is HostFileSystemError), nsError.domain == NSCocoaErrorDomain else { return "\(error)" }
    let path = nsError.userInfo["NSDestinationFilePath"] as? String ?? nsError.userInfo[NSFilePathErrorKey] as? String
    let codes: [CocoaError.Code: Int32] = [
      .fileWriteOutOfSpace: ENOSPC, .fileWriteVolumeReadOnly: EROFS, .fileWriteNoPermission: EACCES,
      .fileReadNoPermission: EACCES, .fileNoSuchFile: ENOENT, .fileReadNoSuchFile: ENOENT,
    ]
    let reason: String
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      reason = String(cString: strerror(Int32(underlying.code)))
    } else if let code = codes[CocoaError.Code(rawValue: nsError.code)] {
      reason = String(cString: strerror(code))
    } else {
      reason = nsError.localizedDescription
    }
    return path.map { "\($0): \(reason)" } ?? reason
  }
}

import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The few writes apply and rollback make under a root: whole files replaced
/// atomically, live values written in place, folders created.
enum HostFileSystem {
  /// Replaces `path` with `data` through a temporary file and a rename, keeping
  /// an existing file's permission bits (or giving a new one `mode`).
  static func replace(_ path: String, with data: Data, mode: Int) throws {
    let url = URL(fileURLWithPath: path)
    let manager = FileManager.default
    try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    let existing = (try? manager.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? nil
    let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).virthost-new")
    try data.write(to: temporary)
    try manager.setAttributes([.posixPermissions: existing ?? mode], ofItemAtPath: temporary.path)
    guard rename(temporary.path, path) == 0 else {
      let message = String(cString: strerror(errno))
      try? manager.removeItem(at: temporary)
      throw HostFileSystemError(path: path, message: message)
    }
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
}

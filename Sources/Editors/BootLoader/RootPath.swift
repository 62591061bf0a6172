// Left for the boot-loader editor until it reads through RootFS (issue 14, engineer A): delete at merge.
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Paths of a root directory (the live `/` or an offline tree) seen from inside it.
///
/// Symlinks are resolved inside the root: an absolute link text such as
/// `/lib/systemd/system/ksm.service` names a file of the root, never of the
/// machine running virthost.
struct RootPath {
  /// The root, without a trailing slash; empty for the live `/`.
  let prefix: String

  init(_ root: String) {
    var trimmed = root
    while trimmed.hasSuffix("/") { trimmed.removeLast() }
    prefix = trimmed
  }

  /// Whether the root is the live system's `/`.
  var isLive: Bool {
    if prefix.isEmpty { return true }
    guard let real = realpath(prefix, nil) else { return false }
    defer { free(real) }
    return String(cString: real) == "/"
  }

  /// The absolute path on this machine of `path` (a path from the root).
  func full(_ path: String) -> String { prefix + path }

  /// The kind of entry at `path` without following a final symlink (its folders are resolved inside the root).
  func kind(_ path: String) -> FileAttributeType? {
    rawKind(physical(path))
  }

  /// The kind of the entry at `path` (folders already resolved), from `lstat`.
  private func rawKind(_ path: String) -> FileAttributeType? {
    var status = stat()
    guard lstat(full(path), &status) == 0 else { return nil }
    switch status.st_mode & S_IFMT {
    case S_IFREG: return .typeRegular
    case S_IFDIR: return .typeDirectory
    case S_IFLNK: return .typeSymbolicLink
    case S_IFCHR: return .typeCharacterSpecial
    case S_IFBLK: return .typeBlockSpecial
    case S_IFSOCK: return .typeSocket
    default: return .typeUnknown
    }
  }

  /// `path` with its folders resolved inside the root and its last part kept as it is:
  /// the entry itself, even when it is a symlink.
  func physical(_ path: String) -> String {
    var parts = Self.components(path)
    guard let last = parts.popLast() else { return "/" }
    let folder = resolve("/" + parts.joined(separator: "/"))
    return (folder == "/" ? "" : folder) + "/" + last
  }

  func isDirectory(_ path: String) -> Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: full(resolve(path)), isDirectory: &isDirectory)
      && isDirectory.boolValue
  }

  /// The text of the symlink at `path` (its folders resolved inside the root), or `nil` when it is not a symlink.
  func linkText(_ path: String) -> String? {
    rawLinkText(physical(path))
  }

  /// The text of the symlink at `path`, whose folders are already resolved.
  private func rawLinkText(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = readlink(full(path), &buffer, buffer.count - 1)
    guard count >= 0 else { return nil }  // not a symlink (EINVAL) or missing
    return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// `path` with every symlink resolved inside the root (at most 40 links),
  /// as a normalized path from the root. A missing part ends the resolution there.
  func resolve(_ path: String) -> String {
    var pending = Self.components(path)
    var done: [String] = []
    var links = 0
    while !pending.isEmpty {
      let part = pending.removeFirst()
      if part == "." || part.isEmpty { continue }
      if part == ".." {
        if !done.isEmpty { done.removeLast() }
        continue
      }
      let candidate = "/" + (done + [part]).joined(separator: "/")
      if let text = rawLinkText(candidate), links < 40 {
        links += 1
        if text.hasPrefix("/") { done = [] }
        pending = Self.components(text) + pending
      } else {
        done.append(part)
      }
    }
    return "/" + done.joined(separator: "/")
  }

  /// The names in the folder `path`, sorted; empty when it is missing.
  func list(_ path: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: full(resolve(path)))) ?? []).sorted()
  }

  /// The text of the file at `path` (symlinks followed inside the root), or `nil` when missing.
  func read(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: full(resolve(path))) else { return nil }
    return String(decoding: data, as: UTF8.self)
  }

  static func components(_ path: String) -> [String] {
    path.utf8.split(separator: UInt8(ascii: "/")).map { String(Substring($0)) }
  }
}

extension RootPath {
  /// Writes `text` to `path` (symlinks resolved inside the root) through a
  /// temporary file beside it and a rename, keeping the mode and owner of the
  /// file it replaces; a new file gets `mode` and its folder is created.
  func writeAtomically(_ path: String, _ text: String, mode: mode_t = 0o644) throws(EditorError) {
    let target = full(resolve(path))
    let folder = (target as NSString).deletingLastPathComponent
    do {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    } catch {
      throw EditorError(file: path, message: "cannot create its folder: \(error.localizedDescription)")
    }
    var status = stat()
    let exists = stat(target, &status) == 0
    var template = Array((target + ".virthost.XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else {
      throw EditorError(file: path, message: "cannot be written: \(String(cString: strerror(errno)))")
    }
    let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    let bytes = Array(text.utf8)
    var written = 0
    while written < bytes.count {
      let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, bytes.count - written) }
      if result <= 0 { break }
      written += result
    }
    let mode = exists ? status.st_mode & 0o7777 : mode
    let failed =
      written != bytes.count || fchmod(descriptor, mode) != 0
      || (exists && geteuid() == 0 && fchown(descriptor, status.st_uid, status.st_gid) != 0)
      || fsync(descriptor) != 0
    let reason = String(cString: strerror(errno))
    close(descriptor)
    if failed || rename(temporary, target) != 0 {
      let message = failed ? reason : String(cString: strerror(errno))
      unlink(temporary)
      throw EditorError(file: path, message: "cannot be written: \(message)")
    }
  }
}

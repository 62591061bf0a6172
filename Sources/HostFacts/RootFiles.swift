import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Read-only access to the files under a root directory, as the host would see them.
///
/// Paths are given from the root (`/proc/cpuinfo`). Under a root other than `/`,
/// symbolic links are resolved inside the root, as `chroot` would: an absolute link
/// target starts again at the root, never at the live `/`. Only regular files are
/// read, opened non-blocking and up to a size limit, so that a FIFO, a device or a
/// huge log can never hang or flood a reader. Nothing here writes or opens for writing.
struct RootFiles: Sendable {
  /// What went wrong reading a path; its description names the path.
  enum Problem: Error, Equatable, CustomStringConvertible {
    case notFound(String)
    case notRegularFile(String)
    case notDirectory(String)
    case unreadable(String, String)
    case tooManyLinks(String)

    var description: String {
      switch self {
      case .notFound(let path): "\(path) not found"
      case .notRegularFile(let path): "\(path) is not a regular file"
      case .notDirectory(let path): "\(path) is not a directory"
      case .unreadable(let path, let reason): "\(path) cannot be read: \(reason)"
      case .tooManyLinks(let path): "\(path) has too many levels of symbolic links"
      }
    }
  }

  /// The kinds of file a reader cares about.
  enum Kind: Equatable {
    case regular, directory, characterDevice, other
  }

  /// The root's absolute path without a trailing slash; empty for `/`.
  let root: String
  /// Whether the root is the live machine's `/`.
  let isLive: Bool
  /// The most a single read returns, in bytes.
  let limit: Int

  init(root: String, limit: Int = 16 << 20) {
    var path = URL(fileURLWithPath: root).standardizedFileURL.path
    if let real = realpath(path, nil) {
      path = String(cString: real)
      free(real)
    }
    while path.hasSuffix("/") { path.removeLast() }
    self.root = path
    self.isLive = path.isEmpty
    self.limit = limit
  }

  /// The path on this machine that `path` (from the root) names, links resolved inside
  /// the root; `nil` after 40 links, as the kernel's `ELOOP`.
  func hostPath(_ path: String) -> String? {
    if isLive { return path }
    var resolved: [Substring] = []
    var pending = Array(path.split(separator: "/").reversed())
    var links = 0
    while let component = pending.popLast() {
      if component == "." { continue }
      if component == ".." {
        _ = resolved.popLast()
        continue
      }
      let candidate = root + "/" + (resolved + [component]).joined(separator: "/")
      if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: candidate) {
        links += 1
        if links > 40 { return nil }
        if target.hasPrefix("/") { resolved = [] }
        pending.append(contentsOf: target.split(separator: "/").reversed())
      } else {
        resolved.append(component)
      }
    }
    return root + "/" + resolved.joined(separator: "/")
  }

  /// The kind of file at `path`, links followed; `nil` when nothing is there.
  func kind(_ path: String) -> Kind? {
    guard let host = hostPath(path) else { return nil }
    var info = stat()
    guard stat(host, &info) == 0 else { return nil }
    switch info.st_mode & S_IFMT {
    case S_IFREG: return .regular
    case S_IFDIR: return .directory
    case S_IFCHR: return .characterDevice
    default: return .other
    }
  }

  /// The text of the regular file at `path`, at most `limit` bytes (invalid UTF-8 repaired).
  func read(_ path: String) -> Result<String, Problem> {
    guard let host = hostPath(path) else { return .failure(.tooManyLinks(path)) }
    let descriptor = open(host, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard descriptor >= 0 else { return .failure(problem(errno, path)) }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { return .failure(problem(errno, path)) }
    guard info.st_mode & S_IFMT == S_IFREG else { return .failure(.notRegularFile(path)) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while bytes.count < limit {
      let count = buffer.withUnsafeMutableBytes { readBytes(descriptor, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        return .failure(problem(errno, path))
      }
      if count == 0 { break }
      bytes.append(contentsOf: buffer[0..<min(count, limit - bytes.count)])
    }
    return .success(String(decoding: bytes, as: UTF8.self))
  }

  /// The trimmed first line of the file at `path` (sysfs and procfs values).
  func value(_ path: String) -> Result<String, Problem> {
    read(path).map { text in
      String(text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
        .trimmingCharacters(in: .whitespaces)
    }
  }

  /// The names in the directory at `path`, sorted, without those starting with a dot:
  /// `/proc` and `/sys` have none, and a fixture root keeps an otherwise empty folder in
  /// git with a `.keep` file.
  func entries(_ path: String) -> Result<[String], Problem> {
    guard let host = hostPath(path) else { return .failure(.tooManyLinks(path)) }
    switch kind(path) {
    case nil: return .failure(.notFound(path))
    case .directory?: break
    default: return .failure(.notDirectory(path))
    }
    do {
      return .success(try FileManager.default.contentsOfDirectory(atPath: host).filter { !$0.hasPrefix(".") }.sorted())
    } catch {
      return .failure(.unreadable(path, "\(error.localizedDescription)"))
    }
  }

  private func problem(_ code: Int32, _ path: String) -> Problem {
    switch code {
    case ENOENT, ENOTDIR: .notFound(path)
    case ELOOP: .tooManyLinks(path)
    default: .unreadable(path, String(cString: strerror(code)))
    }
  }
}

/// The C library's `read(2)`, named apart from `RootFiles.read(_:)`.
private func readBytes(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}

#if canImport(Glibc)
  import Glibc
#endif

/// A root directory standing for a host's `/`: the live `/` or an offline tree (an image,
/// a fixture) with the same paths.
///
/// This is the one place that knows where a host path lives on this machine. Paths are
/// given from the root (`/etc/default/grub`); symbolic links met on the way are resolved
/// inside the root, as `chroot` would see them: an absolute link text starts again at the
/// root and `..` never climbs above it, so an offline tree never reaches the live host.
/// Reading is in `HostRoot+Reading.swift`; writing belongs to ``HostRootWriter`` alone.
public struct HostRoot: Hashable, Sendable {
  /// The root as a normalised absolute path (no `.`, `..`, duplicate or trailing slash,
  /// symlinks of the root path itself resolved); `/` for the live host.
  public let path: String
  /// Whether the root is the live machine's `/`, where services run and the kernel is the host's.
  public let isLive: Bool
  /// The most links followed while resolving one path, as the kernel's `ELOOP` limit.
  public static let linkLimit = 40

  /// The root at `directory`, which must exist and be a directory (relative paths are
  /// taken from the current folder).
  ///
  /// - Throws: ``HostRootError/missingRoot(_:)`` or ``HostRootError/rootNotDirectory(_:)``.
  public init(_ directory: String) throws(HostRootError) {
    let given = directory.isEmpty ? "/" : directory
    guard let real = realpath(given, nil) else { throw .missingRoot(given) }
    let resolved = String(cString: real)
    free(real)
    var info = stat()
    guard stat(resolved, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { throw .rootNotDirectory(given) }
    path = resolved
    isLive = resolved == "/"
  }

  /// The live host's `/`.
  public static var live: HostRoot { try! HostRoot("/") }  // "/" always exists and is a directory

  /// The root's path as a prefix of host paths: empty for the live `/`.
  var prefix: String { isLive ? "" : path }

  /// The path on this machine of `path` (from the root), *without* resolving links:
  /// for handing a whole tree to a program that resolves it itself (libaugeas, `grub-mkconfig`).
  /// Prefer ``hostPath(_:)``, which resolves links inside the root.
  package func unresolvedHostPath(_ path: String) -> String {
    let normal = Self.normalise(path)
    return isLive ? normal : prefix + (normal == "/" ? "" : normal)
  }

  /// The path on this machine of `path` (from the root) with every link resolved inside
  /// the root; `nil` when the links loop (more than ``linkLimit``).
  package func hostPath(_ path: String) -> String? {
    resolve(path).map(unresolvedHostPath)
  }

  /// `path` with every symlink resolved inside the root, as a normalised path from the root;
  /// `nil` when the links loop. A missing part ends the resolution: the rest is kept as given.
  public func resolve(_ path: String) -> String? {
    let resolved = resolveUnrecorded(path)
    note(.resolve(path), resolved ?? Self.loopAnswer)
    return resolved
  }

  /// ``resolve(_:)`` without recording (the re-check of a ``ReadTrace``).
  func resolveUnrecorded(_ path: String) -> String? {
    var pending = Array(Self.components(path).reversed())
    var done: [String] = []
    var links = 0
    while let part = pending.popLast() {
      if part == "." { continue }
      if part == ".." {
        _ = done.popLast()
        continue
      }
      done.append(part)
      guard let text = rawLinkText(done) else { continue }
      links += 1
      if links > Self.linkLimit { return nil }
      done.removeLast()
      if text.hasPrefix("/") { done = [] }
      pending.append(contentsOf: Self.components(text).reversed())
    }
    return "/" + done.joined(separator: "/")
  }

  /// `path` with its folders resolved inside the root and its last part kept as it is:
  /// the entry itself, even when it is a symlink. `nil` when the links loop.
  public func physical(_ path: String) -> String? {
    var parts = Self.components(Self.normalise(path))
    guard let last = parts.popLast() else { return "/" }
    guard let folder = resolveUnrecorded("/" + parts.joined(separator: "/")) else { return nil }
    return (folder == "/" ? "" : folder) + "/" + last
  }

  /// `path` as a normalised absolute path: duplicate slashes, `.` and `..` removed, no
  /// links resolved (`..` at the top stays at the top).
  public static func normalise(_ path: String) -> String {
    var parts: [String] = []
    for part in components(path) where part != "." {
      if part == ".." {
        _ = parts.popLast()
      } else {
        parts.append(part)
      }
    }
    return "/" + parts.joined(separator: "/")
  }

  /// The non-empty parts of `path` between slashes.
  static func components(_ path: String) -> [String] {
    path.utf8.split(separator: UInt8(ascii: "/")).map { String(Substring($0)) }
  }

  /// The text of the symlink at the already resolved parts `parts`, or `nil`.
  private func rawLinkText(_ parts: [String]) -> String? {
    let host = prefix + "/" + parts.joined(separator: "/")
    guard let memo = LinkMemo.current else { return Self.readLink(host) }
    return memo.linkText(host, reading: Self.readLink)
  }

  /// The text of the symlink `host` (a path on this machine), or `nil` when it is none.
  static func readLink(_ host: String) -> String? {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(PATH_MAX) + 1) { buffer in
      let count = readlink(host, buffer.baseAddress!, buffer.count - 1)
      guard count >= 0 else { return nil }
      return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress!, count: count), as: UTF8.self)
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif

/// What is at a path under a root, from `stat` or `lstat`.
public struct FileStatus: Equatable, Sendable {
  /// The kinds of entry readers tell apart.
  public enum Kind: Equatable, Sendable {
    case regular, directory, symbolicLink, characterDevice, blockDevice, other
  }
  public var kind: Kind
  /// The permission bits, with set-id and sticky bits (`st_mode & 0o7777`).
  public var mode: UInt32
  public var owner: UInt32
  public var group: UInt32
  public var size: Int
  /// The last modification, in nanoseconds since the epoch (`st_mtim`).
  public var modified: Int

  init(_ info: stat) {
    switch info.st_mode & S_IFMT {
    case S_IFREG: kind = .regular
    case S_IFDIR: kind = .directory
    case S_IFLNK: kind = .symbolicLink
    case S_IFCHR: kind = .characterDevice
    case S_IFBLK: kind = .blockDevice
    default: kind = .other
    }
    mode = UInt32(info.st_mode & 0o7777)
    owner = info.st_uid
    group = info.st_gid
    size = Int(info.st_size)
    modified = Int(info.st_mtim.tv_sec) * 1_000_000_000 + Int(info.st_mtim.tv_nsec)
  }
}

extension HostRoot {
  /// The most bytes ``read(_:limit:)`` takes from one file unless told otherwise (16 MiB):
  /// more than any configuration file, `/proc` or sysfs file virthost reads.
  public static let defaultReadLimit = 16 << 20

  /// What is at `path`; with `followingLinks` false, a final symlink is reported as itself
  /// (its folders are still resolved inside the root). `nil` when nothing is there.
  public func status(_ path: String, followingLinks: Bool = true) -> FileStatus? {
    let status = statusUnrecorded(path, followingLinks: followingLinks)
    note(.status(path, followingLinks: followingLinks), status.map(\.answer) ?? Self.absentAnswer)
    return status
  }

  /// ``status(_:followingLinks:)`` without recording.
  func statusUnrecorded(_ path: String, followingLinks: Bool) -> FileStatus? {
    guard let resolved = followingLinks ? resolveUnrecorded(path) : physical(path) else { return nil }
    var info = stat()
    let host = unresolvedHostPath(resolved)
    // A final link left unresolved (its target missing) is reported by lstat as the link.
    guard (followingLinks ? stat(host, &info) : lstat(host, &info)) == 0 else { return nil }
    return FileStatus(info)
  }

  /// Whether something (a file, a folder, a link even if dangling) is at `path`.
  public func exists(_ path: String) -> Bool { status(path, followingLinks: false) != nil }

  /// Whether `path` (links followed) is a regular file.
  public func isFile(_ path: String) -> Bool { status(path)?.kind == .regular }

  /// Whether `path` (links followed) is a folder.
  public func isDirectory(_ path: String) -> Bool { status(path)?.kind == .directory }

  /// The text of the symlink at `path` (its folders resolved inside the root), or `nil`
  /// when `path` is not a symlink.
  public func linkText(_ path: String) -> String? {
    let text = linkTextUnrecorded(path)
    note(.linkText(path), text.map { "-> " + $0 } ?? "not a link")
    return text
  }

  /// ``linkText(_:)`` without recording.
  func linkTextUnrecorded(_ path: String) -> String? {
    physical(path).flatMap { Self.readLink(unresolvedHostPath($0)) }
  }

  /// The bytes of the regular file at `path` (links followed inside the root), read
  /// without blocking: a FIFO, a device or a socket is refused, never opened for long.
  ///
  /// - Throws: ``HostRootError/notFound(_:)``, ``HostRootError/notRegularFile(_:)``,
  ///   ``HostRootError/tooLarge(_:limit:)`` when the file holds more than `limit` bytes, and so on.
  public func read(_ path: String, limit: Int = defaultReadLimit) throws(HostRootError) -> [UInt8] {
    do {
      let bytes = try readUnrecorded(path, limit: limit)
      note(.read(path), "sha256:" + SHA256.hex(bytes))
      return bytes
    } catch {
      note(.read(path), Self.answer(error))
      throw error
    }
  }

  /// ``read(_:limit:)`` without recording.
  func readUnrecorded(_ path: String, limit: Int = defaultReadLimit) throws(HostRootError) -> [UInt8] {
    guard let resolved = resolveUnrecorded(path) else { throw .tooManyLinks(path) }
    let host = unresolvedHostPath(resolved)
    let descriptor = open(host, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard descriptor >= 0 else { throw .from(errno: errno, path, "read") }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0 else { throw .from(errno: errno, path, "read") }
    guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegularFile(path) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(min(Int(info.st_size), limit) + 1)
    let complete = withUnsafeTemporaryAllocation(byteCount: 65536, alignment: 1) { chunk -> Int32? in
      while true {
        let count = systemRead(descriptor, chunk.baseAddress, chunk.count)
        if count < 0 && errno == EINTR { continue }
        if count < 0 { return errno }
        if count == 0 { return nil }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: chunk[..<count]))
        if bytes.count > limit { return 0 }
      }
    }
    if let code = complete { throw code == 0 ? .tooLarge(path, limit: limit) : .from(errno: code, path, "read") }
    return bytes
  }

  /// The bytes of `path`, or `nil` when nothing is there (a dangling link included).
  public func readIfPresent(_ path: String, limit: Int = defaultReadLimit) throws(HostRootError) -> [UInt8]? {
    do {
      return try read(path, limit: limit)
    } catch .notFound {
      return nil
    }
  }

  /// The text of the file at `path`, which must be UTF-8 without NUL bytes (the check a
  /// parser needs); `nil` when nothing is there.
  ///
  /// - Throws: ``HostRootError/notText(_:line:column:reason:)`` at the first offending byte.
  public func text(_ path: String, limit: Int = defaultReadLimit) throws(HostRootError) -> String? {
    guard let bytes = try readIfPresent(path, limit: limit) else { return nil }
    if let problem = TextBytes.problem(in: bytes) {
      throw .notText(path, line: problem.line, column: problem.column, reason: problem.message)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// The first line of the file at `path` without surrounding blanks: how `/proc` and
  /// sysfs give single values. Invalid UTF-8 is repaired, as these are not parsed.
  public func value(_ path: String) throws(HostRootError) -> String {
    let bytes = try read(path, limit: 1 << 20)
    let line = bytes.split(separator: UInt8(ascii: "\n"), maxSplits: 1, omittingEmptySubsequences: false).first ?? []
    return String(decoding: line, as: UTF8.self).trimmedOfBlanks
  }

  /// The names in the folder at `path` (links followed inside the root), sorted by their
  /// bytes; names starting with a dot are left out unless `includingHidden` (configuration
  /// folders ignore them, and fixture roots keep empty folders in git with `.keep`).
  public func list(_ path: String, includingHidden: Bool = false) throws(HostRootError) -> [String] {
    do {
      let names = try listUnrecorded(path, includingHidden: includingHidden)
      note(.list(path, hidden: includingHidden), Self.answer(names))
      return names
    } catch {
      note(.list(path, hidden: includingHidden), Self.answer(error))
      throw error
    }
  }

  /// ``list(_:includingHidden:)`` without recording.
  func listUnrecorded(_ path: String, includingHidden: Bool) throws(HostRootError) -> [String] {
    guard let resolved = resolveUnrecorded(path) else { throw .tooManyLinks(path) }
    let host = unresolvedHostPath(resolved)
    guard let directory = opendir(host) else { throw .from(errno: errno, path, "list") }
    defer { closedir(directory) }
    return Self.names(in: directory, includingHidden: includingHidden)
  }

  /// The names the open folder `directory` lists, sorted by their bytes, `.` and `..` left
  /// out, and names starting with a dot too unless `includingHidden`.
  static func names(in directory: OpaquePointer, includingHidden: Bool) -> [String] {
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
      }
      if name == "." || name == ".." || (!includingHidden && name.hasPrefix(".")) { continue }
      names.append(name)
    }
    return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
  }

  /// The names in the folder at `path`, or none when it is missing or not a folder.
  public func listIfPresent(_ path: String, includingHidden: Bool = false) -> [String] {
    (try? list(path, includingHidden: includingHidden)) ?? []
  }
}

/// The C library's `read(2)`, named apart from ``HostRoot/read(_:limit:)``.
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
  read(descriptor, buffer, count)
}

extension String {
  /// The string without leading and trailing spaces, tabs and line ends.
  package var trimmedOfBlanks: String {
    let blanks: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0D]
    let bytes = Array(utf8)
    guard let first = bytes.firstIndex(where: { !blanks.contains($0) }) else { return "" }
    let last = bytes.lastIndex(where: { !blanks.contains($0) })!
    return String(decoding: bytes[first...last], as: UTF8.self)
  }
}

import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads files under a root directory the way a chroot would see them: symlinks
/// are resolved inside the root (an absolute link target starts at the root,
/// `..` never climbs above it), so an offline image never reaches the live host.
struct RootFiles {
  /// The root as given.
  let root: String
  private var base: String { root.hasSuffix("/") ? String(root.dropLast()) : root }

  /// The absolute path on this machine of `path` (a path from the root).
  func host(_ path: String) -> String { base + path }

  /// `path` with every symlink resolved inside the root (by ``RootPath``), or
  /// `nil` when it (or a directory on the way) does not exist or the links loop.
  func resolve(_ path: String) -> String? {
    let resolved = RootPath(root).resolve(path)
    var status = stat()
    // A loop leaves a link unresolved, which stat (following it) reports as ELOOP.
    return stat(host(resolved), &status) == 0 ? resolved : nil
  }

  /// Whether `path` (resolved) is a regular file.
  func isFile(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: host(path), isDirectory: &directory) && !directory.boolValue
  }

  /// Whether `path` (resolved) is a directory.
  func isDirectory(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: host(path), isDirectory: &directory) && directory.boolValue
  }

  /// The real paths of the existing regular files among `paths`, each once, in
  /// the order first reached.
  func realFiles(_ paths: [String]) -> [String] {
    var seen: [String] = []
    for path in paths {
      guard let real = resolve(path), isFile(real), !seen.contains(real) else { continue }
      seen.append(real)
    }
    return seen
  }

  /// The paths `directory/*suffix` (one level, names sorted), before resolution.
  func glob(_ directory: String, suffix: String) -> [String] {
    guard let real = resolve(directory), isDirectory(real),
      let names = try? FileManager.default.contentsOfDirectory(atPath: host(real))
    else { return [] }
    return names.filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }.sorted().map { directory + "/" + $0 }
  }

  /// The subdirectories of `directory` (names sorted).
  func subdirectories(_ directory: String) -> [String] {
    guard let real = resolve(directory), isDirectory(real),
      let names = try? FileManager.default.contentsOfDirectory(atPath: host(real))
    else { return [] }
    return names.sorted().map { directory + "/" + $0 }.filter { path in resolve(path).map(isDirectory) ?? false }
  }

  /// The text of `path` (a real path), or `nil` when it cannot be read as UTF-8.
  func text(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: host(path)) else { return nil }
    return String(data: data, encoding: .utf8)
  }

  /// Whether the root is the live system's `/`.
  var isLiveRoot: Bool {
    guard let real = realpath(root.isEmpty ? "/" : root, nil) else { return false }
    defer { free(real) }
    return String(cString: real) == "/"
  }
}

/// The lines of `text`, split on LF only (a CR stays in its line, as Augeas sees it).
func lines(of text: String) -> [String] {
  text.components(separatedBy: "\n")
}

/// The 1-based line numbers of `text` whose content satisfies `matches`.
func lineNumbers(in text: String, where matches: (String) -> Bool) -> [Int] {
  lines(of: text).enumerated().filter { matches($0.element) }.map { $0.offset + 1 }
}

/// Line `number` (1-based) of `text`, without its newline.
func line(_ number: Int, of text: String) -> String? {
  let all = lines(of: text)
  return number >= 1 && number <= all.count ? all[number - 1] : nil
}

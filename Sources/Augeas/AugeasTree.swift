internal import CAugeas

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An Augeas tree over a root directory, loaded with an explicit set of lenses
/// and files.
///
/// One instance owns one `augeas` handle and closes it in `deinit`. The handle
/// is not thread-safe, so the type is deliberately not `Sendable`: the compiler
/// keeps each tree in one isolation domain. Open one tree per task instead of
/// sharing one.
///
/// Paths are Augeas path expressions; the files of the root appear under
/// `/files`, for example `/files/etc/ksmtuned.conf`.
public final class AugeasTree {
  private let handle: OpaquePointer
  /// The root directory the tree reads and writes under, as given.
  public let root: String
  /// The transforms this tree loaded.
  public let transforms: [Transform]
  /// Where the root's files lie in a pooled handle opened on `/`; `""` otherwise.
  private let prefix: String
  /// The pool the handle goes back to, for a pooled handle.
  private let pool: AugeasHandlePool?
  private let searchPath: String?
  /// How many ``SiblingWalk``s this tree started: each gets a variable of its own.
  var walks = 0

  /// Opens a tree on `root`, loads `transforms` (and nothing else), and
  /// checks that every file parsed.
  ///
  /// The corresponding Augeas functions are `aug_init` (with
  /// `AUG_NO_MODL_AUTOLOAD | AUG_NO_LOAD`) and `aug_load`.
  ///
  /// - Parameters:
  ///   - root: the directory that stands for `/`; the live host's `/` or a fixture tree.
  ///   - transforms: the lenses and the files they parse.
  ///   - loadPath: extra lens directories, searched before the shipped lenses.
  /// - Throws: ``AugeasError`` with code `.parseFailed` and a ``FileProblem``
  ///   naming the file, line and message when a file cannot be parsed.
  public init(root: String, transforms: [Transform], loadPath: [String] = []) throws(AugeasError) {
    let flags = UInt32(AUG_NO_MODL_AUTOLOAD.rawValue | AUG_NO_LOAD.rawValue | AUG_NO_ERR_CLOSE.rawValue)
    let searchPath = loadPath.isEmpty ? nil : loadPath.joined(separator: ":")
    let pool = AugeasHandlePool.current
    let prefix = pool == nil ? nil : Self.poolPrefix(root)
    let reused = prefix == nil ? nil : pool?.take(loadPath: searchPath)
    guard let handle = reused ?? AugeasCalls.run({ aug_init(prefix == nil ? root : "/", searchPath, flags) }) else {
      throw AugeasError(code: .initFailed, operation: "aug_init", path: root, message: "out of memory")
    }
    // Judged before the handle is the tree's: once every stored property is set, a throw
    // runs `deinit`, which would close (or pool) the handle closed here a second time.
    if reused == nil,
      let error = AugeasCalls.run({ () -> AugeasError? in
        guard aug_error(handle) != 0 else { return nil }
        defer { aug_close(handle) }
        return Self.error(handle, operation: "aug_init", path: root)
      })
    {
      throw error
    }
    self.handle = handle
    self.root = root
    self.transforms = transforms
    self.prefix = prefix ?? ""
    self.pool = prefix == nil ? nil : pool
    self.searchPath = searchPath
    if reused != nil { try clear() }
    try configure(transforms)
    try withHandle { (handle) throws(AugeasError) in try check(aug_load(handle), "aug_load", nil) }
    if let problem = fileProblems().first {
      throw AugeasError(
        code: .parseFailed, operation: "aug_load", path: "/files" + problem.file,
        message: "a file could not be parsed", file: problem)
    }
  }

  deinit {
    if let pool { pool.give(handle, loadPath: searchPath) } else { AugeasCalls.run { aug_close(handle) } }
  }

  /// The prefix under which a pooled handle (opened on `/`) finds `root`'s files:
  /// `""` for `/`, the root without its trailing slash otherwise; `nil` for a
  /// root that Augeas paths or globs would have to escape, or that is relative.
  static func poolPrefix(_ root: String) -> String? {
    var trimmed = Substring(root)
    while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    if trimmed.isEmpty { return root.hasPrefix("/") ? "" : nil }
    guard trimmed.hasPrefix("/") else { return nil }
    let components = trimmed.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
    for component in components {
      if component.isEmpty || component == "." || component == ".." { return nil }
      let plain = component.unicodeScalars.allSatisfy { scalar in
        scalar.isASCII
          && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-+~".unicodeScalars.contains(scalar))
      }
      if !plain { return nil }
    }
    return String(trimmed)
  }

  /// Empties a handle taken from the pool: what the last tree loaded, its
  /// transforms, its error records and scratch nodes. Compiled lenses stay.
  private func clear() throws(AugeasError) {
    for path in [
      "/augeas/load/*", "/files/*", "/augeas/files/*", "/augeas/text/*",
      "/*[label() != 'augeas' and label() != 'files']",
    ] {
      try withHandle { (handle) throws(AugeasError) in try check(aug_rm(handle, path), "aug_rm", path) }
    }
  }

  /// `path` as the handle knows it: the `/files` and `/augeas/files` of a pooled
  /// tree lie under its root's prefix.
  func inner(_ path: String) -> String {
    guard !prefix.isEmpty else { return path }
    for top in ["/files", "/augeas/files"] where path.hasPrefix(top) {
      let rest = path.dropFirst(top.count)
      if rest.isEmpty || rest.first == "/" { return top + prefix + rest }
    }
    return path
  }

  /// A path the handle returned, as callers know it (the inverse of ``inner(_:)``).
  func outer(_ path: String) -> String {
    guard !prefix.isEmpty else { return path }
    for top in ["/files", "/augeas/files"] {
      let full = top + prefix
      if path == full { return top }
      if path.hasPrefix(full + "/") { return top + path.dropFirst(full.count) }
    }
    return path
  }

  private func configure(_ transforms: [Transform]) throws(AugeasError) {
    var names: [String: Int] = [:]
    for transform in transforms {
      var name = transform.loadName
      names[name, default: 0] += 1
      if let count = names[name], count > 1 { name += "\(count)" }
      let base = "/augeas/load/\(name)"
      try set(base + "/lens", transform.lens)
      for include in transform.includes { try set(base + "/incl[last()+1]", prefix + include) }
      for exclude in transform.excludes { try set(base + "/excl[last()+1]", prefix + exclude) }
    }
  }

  // MARK: - The one place the handle is reached

  func withHandle<T>(_ body: (OpaquePointer) throws(AugeasError) -> T) throws(AugeasError) -> T {
    try AugeasCalls.run { () throws(AugeasError) -> T in try body(handle) }
  }

  func check(_ result: Int32, _ operation: String, _ path: String?) throws(AugeasError) {
    if result < 0 { throw Self.error(handle, operation: operation, path: path) }
  }

  static func error(_ handle: OpaquePointer, operation: String, path: String?) -> AugeasError {
    let code = aug_error(handle)
    return AugeasError(
      code: .init(augeasCode: code), operation: operation, path: path,
      message: string(aug_error_message(handle)) ?? "unknown error",
      minorMessage: string(aug_error_minor_message(handle)),
      details: string(aug_error_details(handle)))
  }

  static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
    pointer.map { String(cString: $0) }
  }

  // MARK: - Reading

  /// The value of the single node at `path`, or `nil` when the node has no
  /// value or does not exist.
  ///
  /// The corresponding Augeas function is `aug_get`.
  /// - Throws: `.multipleMatches` when `path` matches more than one node;
  ///   `.invalidPath` for a malformed expression.
  public func get(_ path: String) throws(AugeasError) -> String? {
    try withHandle { (handle) throws(AugeasError) -> String? in
      var value: UnsafePointer<CChar>? = nil
      let result = aug_get(handle, inner(path), &value)
      if result < 0 { throw Self.error(handle, operation: "aug_get", path: path) }
      if result > 1 {
        throw AugeasError(
          code: .multipleMatches, operation: "aug_get", path: path,
          message: "\(result) nodes match where one was expected")
      }
      return Self.string(value)
    }
  }

  /// Whether at least one node matches `path`.
  public func exists(_ path: String) throws(AugeasError) -> Bool {
    try count(path) > 0
  }

  /// The label (last path component without index) of the single node at `path`.
  ///
  /// The corresponding Augeas function is `aug_label`.
  public func label(_ path: String) throws(AugeasError) -> String? {
    try withHandle { (handle) throws(AugeasError) -> String? in
      var value: UnsafePointer<CChar>? = nil
      let result = aug_label(handle, inner(path), &value)
      if result < 0 { throw Self.error(handle, operation: "aug_label", path: path) }
      return Self.string(value)
    }
  }

  /// The paths of every node matching `path`, in document order.
  ///
  /// The corresponding Augeas function is `aug_match`; the array it returns
  /// is freed here, and nowhere else.
  public func match(_ path: String) throws(AugeasError) -> [String] {
    try withHandle { (handle) throws(AugeasError) -> [String] in
      var matches: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
      let count = aug_match(handle, inner(path), &matches)
      if count < 0 { throw Self.error(handle, operation: "aug_match", path: path) }
      defer {
        for index in 0..<Int(count) { free(matches?[index]) }
        free(matches)
      }
      return (0..<Int(count)).compactMap { index in matches?[index].map { outer(String(cString: $0)) } }
    }
  }

  /// How many nodes match `path`.
  ///
  /// The corresponding Augeas function is `aug_match` with no result array.
  public func count(_ path: String) throws(AugeasError) -> Int {
    try withHandle { (handle) throws(AugeasError) -> Int in
      let count = aug_match(handle, inner(path), nil)
      if count < 0 { throw Self.error(handle, operation: "aug_match", path: path) }
      return Int(count)
    }
  }

  /// The label and value of every child of the single node at `path`, in order.
  ///
  /// One evaluation of `path` for all the children, where ``match(_:)`` and a
  /// ``label(_:)`` and ``get(_:)`` per child evaluate it again for each (Augeas
  /// finds `title[1234]` by walking its siblings, so that is quadratic in long
  /// files).
  public func children(of path: String) throws(AugeasError) -> [(label: String, value: String?)] {
    try nodes(path + "/*")
  }

  /// The label and value of every node matching `expression`, in document order, from
  /// one evaluation of it.
  ///
  /// The corresponding Augeas functions are `aug_defvar`, `aug_ns_count` and `aug_ns_attr`.
  public func nodes(_ expression: String) throws(AugeasError) -> [(label: String, value: String?)] {
    try withHandle { (handle) throws(AugeasError) -> [(label: String, value: String?)] in
      let variable = "virthost_nodes"
      let count = aug_defvar(handle, variable, inner(expression))
      // Augeas checks every node a variable holds at each removal: none is kept.
      defer { aug_defvar(handle, variable, nil) }
      if count < 0 { throw Self.error(handle, operation: "aug_defvar", path: expression) }
      var result: [(label: String, value: String?)] = []
      result.reserveCapacity(Int(count))
      for index in 0..<count {
        var label: UnsafePointer<CChar>? = nil
        var value: UnsafePointer<CChar>? = nil
        if aug_ns_attr(handle, variable, index, &value, &label, nil) < 0 {
          throw Self.error(handle, operation: "aug_ns_attr", path: expression)
        }
        result.append((Self.string(label) ?? "", Self.string(value)))
      }
      return result
    }
  }

  // MARK: - Changing

  /// Sets the value of the node at `path`, creating it (and its parents) when
  /// missing; `nil` clears the value but keeps the node.
  ///
  /// The corresponding Augeas function is `aug_set`.
  /// - Throws: `.multipleMatches` when `path` matches several nodes.
  public func set(_ path: String, _ value: String?) throws(AugeasError) {
    try withHandle { (handle) throws(AugeasError) in
      try check(aug_set(handle, inner(path), value), "aug_set", path)
    }
  }

  /// Sets `value` on the nodes `sub` below each node matching `base`;
  /// returns how many nodes changed.
  ///
  /// The corresponding Augeas function is `aug_setm`.
  @discardableResult
  public func setMultiple(base: String, sub: String?, value: String?) throws(AugeasError) -> Int {
    try withHandle { (handle) throws(AugeasError) -> Int in
      let result = aug_setm(handle, inner(base), sub, value)
      if result < 0 { throw Self.error(handle, operation: "aug_setm", path: base) }
      return Int(result)
    }
  }

  /// Clears the value of the node at `path` (the node stays).
  ///
  /// The corresponding Augeas function is `aug_set` with a `NULL` value.
  public func clear(_ path: String) throws(AugeasError) {
    try set(path, nil)
  }

  /// Removes every node matching `path` and their children; returns how many
  /// nodes were removed.
  ///
  /// The corresponding Augeas function is `aug_rm`.
  @discardableResult
  public func remove(_ path: String) throws(AugeasError) -> Int {
    try withHandle { (handle) throws(AugeasError) -> Int in
      let result = aug_rm(handle, inner(path))
      if result < 0 { throw Self.error(handle, operation: "aug_rm", path: path) }
      return Int(result)
    }
  }

  /// Inserts a new sibling labelled `label` before or after the single node at `path`.
  ///
  /// The corresponding Augeas function is `aug_insert`.
  public func insert(_ label: String, at path: String, before: Bool) throws(AugeasError) {
    try withHandle { (handle) throws(AugeasError) in
      try check(aug_insert(handle, inner(path), label, before ? 1 : 0), "aug_insert", path)
    }
  }

  /// Moves the node at `source` to `destination`, replacing what stood there.
  ///
  /// The corresponding Augeas function is `aug_mv`.
  public func move(_ source: String, to destination: String) throws(AugeasError) {
    try withHandle { (handle) throws(AugeasError) in
      try check(aug_mv(handle, inner(source), inner(destination)), "aug_mv", source)
    }
  }

  /// Renames the nodes matching `path` to `label`; returns how many were renamed.
  ///
  /// The corresponding Augeas function is `aug_rename`.
  @discardableResult
  public func rename(_ path: String, to label: String) throws(AugeasError) -> Int {
    try withHandle { (handle) throws(AugeasError) -> Int in
      let result = aug_rename(handle, inner(path), label)
      if result < 0 { throw Self.error(handle, operation: "aug_rename", path: path) }
      return Int(result)
    }
  }
}

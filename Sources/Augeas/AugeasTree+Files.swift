internal import CAugeas

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file that ``AugeasTree/save()`` wrote.
public struct SavedFile: Sendable, Equatable {
  /// The path as loaded, relative to the root: `/boot/grub/menu.lst`.
  public var path: String
  /// The file really written, symlinks resolved inside the root: `/boot/grub/grub.conf`.
  public var target: String
}

extension AugeasTree {
  /// The files that failed to load or save, with what Augeas recorded for each.
  public func fileProblems() -> [FileProblem] {
    problems(under: "/augeas/files")
  }

  func problems(under prefix: String) -> [FileProblem] {
    guard let errors = try? match(prefix + "//error") else { return [] }
    return errors.map { errorPath in
      let node = String(errorPath.dropLast("/error".count))
      let file = String(node.dropFirst(prefix.count))
      return FileProblem(
        file: file,
        kind: (try? get(errorPath)) ?? "error",
        message: (try? get(errorPath + "/message")) ?? nil,
        line: ((try? get(errorPath + "/line")) ?? nil).flatMap { Int($0) },
        character: ((try? get(errorPath + "/char")) ?? nil).flatMap { Int($0) },
        lens: (try? get(errorPath + "/lens")) ?? nil)
    }
  }

  /// The text that saving would write for `file` (a path relative to the
  /// root, such as `/etc/ksmtuned.conf`), without writing anything.
  ///
  /// The corresponding Augeas function is `aug_preview`. Use it for dry-run
  /// diffs; the preview of an unchanged file is its current text.
  /// - Throws: `.saveFailed` with a ``FileProblem`` when the tree cannot be
  ///   rendered back to text with the file's lens.
  public func preview(file: String) throws(AugeasError) -> String {
    let path = "/files" + file
    let preview = try withHandle { (handle) throws(AugeasError) -> Result<String, AugeasError> in
      var out: UnsafeMutablePointer<CChar>? = nil
      let result = aug_preview(handle, inner(path), &out)
      defer { free(out) }
      guard result >= 0 else { return .failure(Self.error(handle, operation: "aug_preview", path: path)) }
      return .success(out.map { String(cString: $0) } ?? "")
    }
    // The problems are read once the handle's lock is released: `problems(under:)` takes it
    // again, and the lock is not recursive (a second take from the same thread is fatal).
    // Augeas 1.14 records a preview's failure under /augeas/text/files/FILE (not /augeas/files).
    guard case .failure(var error) = preview else { return try preview.get() }
    let found = (problems(under: "/augeas/text/files") + problems(under: "/augeas/files")).first { $0.file == file }
    if let problem = found {
      error.code = .saveFailed
      error.file = problem
    }
    throw error
  }

  /// Writes every changed file and reports which ones were written.
  ///
  /// The corresponding Augeas function is `aug_save`. Augeas writes each file
  /// to a temporary file beside it and renames it into place, keeps the mode
  /// and owner, writes a symlinked file through its target (the link stays),
  /// and skips files whose text did not change.
  /// - Throws: `.saveFailed` with the ``FileProblem`` of the first file that
  ///   could not be written; the files written before it are listed in the
  ///   error's details.
  @discardableResult
  public func save() throws(AugeasError) -> [SavedFile] {
    try remove("/augeas/events/saved")
    let result = try withHandle { (handle) throws(AugeasError) -> Int32 in aug_save(handle) }
    var saved: [SavedFile] = []
    for node in try match("/augeas/events/saved") {
      guard let raw = try get(node) else { continue }
      let value = outer(raw)
      guard value.hasPrefix("/files") else { continue }
      let path = String(value.dropFirst("/files".count))
      saved.append(SavedFile(path: path, target: resolveInRoot(path)))
    }
    if result < 0 {
      let problem = fileProblems().first
      throw AugeasError(
        code: .saveFailed, operation: "aug_save", path: problem.map { "/files" + $0.file },
        message: "a file could not be written",
        details: saved.isEmpty ? nil : "written before the failure: " + saved.map(\.target).joined(separator: ", "),
        file: problem)
    }
    return saved
  }

  /// `path` (relative to the root) with symlinks resolved, still relative to the root.
  func resolveInRoot(_ path: String) -> String {
    let rootPrefix = root.hasSuffix("/") ? String(root.dropLast()) : root
    guard let resolved = realpath(rootPrefix + path, nil) else { return path }
    defer { free(resolved) }
    let full = String(cString: resolved)
    guard let realRoot = realpath(rootPrefix.isEmpty ? "/" : rootPrefix, nil) else { return path }
    defer { free(realRoot) }
    let base = String(cString: realRoot)
    if base == "/" { return full }
    return full.hasPrefix(base + "/") ? String(full.dropFirst(base.count)) : path
  }
}

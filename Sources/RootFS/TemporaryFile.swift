#if canImport(Glibc)
  import Glibc
#endif

/// A new file under an unpredictable name, as `mkstemp(3)` makes one, but opened with
/// `O_CLOEXEC`: `mkostemp`, which sets it at the open, is not in Swift's Glibc module, and a
/// flag set after the open leaves a moment in which a program started by another thread
/// inherits the descriptor (it then keeps the file open for writing: an executable written
/// so, the bundled tuner, fails to start with "Text file busy").
enum TemporaryFile {
  /// Creates `prefix` followed by six random letters or digits (`O_CREAT | O_EXCL |
  /// O_NOFOLLOW`, mode 0600), trying other names while one is taken.
  ///
  /// - Returns: the descriptor, open for writing, and the path; `nil` with `errno` set when
  ///   no file could be created.
  static func create(_ prefix: String) -> (descriptor: Int32, path: String)? {
    let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789".utf8)
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<100 {
      let suffix = (0..<6).map { _ in letters[Int.random(in: 0..<letters.count, using: &generator)] }
      let path = prefix + String(decoding: suffix, as: UTF8.self)
      let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
      if descriptor >= 0 { return (descriptor, path) }
      guard errno == EEXIST else { return nil }
    }
    errno = EEXIST
    return nil
  }
}

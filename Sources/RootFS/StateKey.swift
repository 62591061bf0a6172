import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The secret with which virthost authenticates the state it writes (``SealedState``): 32
/// random bytes, kept as hex in a file only its owner can read, outside any managed root,
/// made on first use.
///
/// Whoever can read the key can forge a converged trace or a backup, so the file must be
/// the user's own (root's on a real host), mode 0600, in folders no one else can write;
/// otherwise it is refused, never used. A trace or backup made with another machine's key
/// (an image, a tarball, another account) does not authenticate here.
public struct StateKey: Sendable, Equatable {
  /// Where root's key lives: `/var/lib/virthost/state.key` of the machine running virthost.
  public static let rootPath = "/var/lib/virthost/state.key"
  /// The environment variable that names another key file (tests; a build pipeline that
  /// keeps its own key).
  public static let environmentVariable = "VIRTHOST_STATE_KEY"

  /// The key's bytes.
  let bytes: [UInt8]

  /// A key of these bytes (tests: another machine's key).
  public init(bytes: [UInt8]) {
    self.bytes = bytes
  }

  /// The key file of this process, as a path on this machine: ``environmentVariable``
  /// when set, ``rootPath`` for root, and for another user
  /// `$XDG_STATE_HOME/virthost/state.key` (by default `~/.local/state/virthost/state.key`).
  public static var location: String {
    if let named = environment(environmentVariable), !named.isEmpty { return named }
    if geteuid() == 0 { return rootPath }
    if let state = environment("XDG_STATE_HOME"), state.hasPrefix("/") { return state + "/virthost/state.key" }
    return (environment("HOME") ?? "/nonexistent") + "/.local/state/virthost/state.key"
  }

  /// This machine's key, read from ``location``; with `creating`, made there (its missing
  /// folders mode 0700) when there is none.
  ///
  /// - Throws: ``StateFileError``: the key is missing (and not created), readable or
  ///   writable by others, in a folder others can write, or not 64 hex digits.
  public static func machine(creating: Bool) throws(StateFileError) -> StateKey {
    let path = location
    do {
      return try read(path)
    } catch  where error.kind == .missing && creating {
      try create(path)
      return try read(path)
    }
  }

  /// The authentication code of `message` under this key.
  public func mac(_ message: some Collection<UInt8>) -> [UInt8] {
    HMAC.sha256(key: bytes, message: message)
  }

  /// The key in the file `path`.
  private static func read(_ path: String) throws(StateFileError) -> StateKey {
    let text = try HostRoot.readTrustedFile(path, limit: 4096, privateToOwner: true)
    let digits = text.last == UInt8(ascii: "\n") ? Array(text.dropLast()) : text
    guard digits.count == 64, let bytes = bytes(ofHex: digits) else {
      throw StateFileError(.unreadable, path, "is not a virthost state key (64 hex digits)")
    }
    return StateKey(bytes: bytes)
  }

  /// Makes a new key file at `path`: written whole to a temporary (0600), then linked to
  /// its name, so two first runs at once agree on one key.
  private static func create(_ path: String) throws(StateFileError) {
    var parts = HostRoot.components(path)
    parts.removeLast()
    var folder = ""
    for part in parts {
      folder += "/" + part
      guard mkdir(folder, 0o700) == 0 || errno == EEXIST else {
        throw StateFileError(.unreadable, folder, "cannot create the folder: \(String(cString: strerror(errno)))")
      }
    }
    close(try HostRoot.openTrustedFolder(folder.isEmpty ? "/" : folder, allowMissing: false))
    var generator = SystemRandomNumberGenerator()
    let secret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
    let text = Array((SHA256.hex(bytes: secret) + "\n").utf8)
    guard let (descriptor, temporary) = TemporaryFile.create(folder + "/.state.key.") else {
      throw StateFileError(.unreadable, path, "cannot create: \(String(cString: strerror(errno)))")
    }
    defer { unlink(temporary) }
    let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    let flushed = fchmod(descriptor, 0o600) == 0 && fsync(descriptor) == 0
    close(descriptor)
    guard written == text.count, flushed, link(temporary, path) == 0 || errno == EEXIST else {
      throw StateFileError(.unreadable, path, "cannot create: \(String(cString: strerror(errno)))")
    }
  }

  /// The bytes of the hex digits `digits`, or `nil` when one is not a hex digit.
  static func bytes(ofHex digits: [UInt8]) -> [UInt8]? {
    func value(_ digit: UInt8) -> UInt8? {
      switch digit {
      case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
      case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
      default: nil
      }
    }
    guard digits.count % 2 == 0 else { return nil }
    var bytes: [UInt8] = []
    for index in stride(from: 0, to: digits.count, by: 2) {
      guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
      bytes.append(high << 4 | low)
    }
    return bytes
  }

  private static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }
}

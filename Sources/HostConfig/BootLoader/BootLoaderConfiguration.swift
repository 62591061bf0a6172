import RootFS

/// One boot-loader format as read from a root: its files parsed into a
/// ``BootConfigTree`` and its boot entries with their kernel arguments.
///
/// ``GrubLegacy``, ``Grub2`` and ``BLS`` conform; the editors add editing to the same
/// types. A new format is a new conforming type, a new ``BootLoaderKind`` case, its
/// entry in ``BootLoaderKind/configuration`` and its rule in ``BootLoaderKind/detect(in:)``.
public protocol BootLoaderConfiguration {
  /// The format.
  static var kind: BootLoaderKind { get }

  /// Reads and parses the format's files under `root`, checking what the editors and
  /// readers rely on.
  ///
  /// - Throws: when the format's files are missing, or naming the file and line of
  ///   anything that cannot be parsed (CRLF line endings, a quoted argument with
  ///   spaces, an unknown line).
  static func read(_ root: HostRoot) throws(ConfigFileError) -> Self

  /// The files parsed, in the order the format reads them.
  var tree: BootConfigTree { get }

  /// Every file read (real paths from the root): the parsed ones, then files only
  /// read (grubenv). What a plan digests.
  var sourceFiles: [String] { get }

  /// Every boot entry and its kernel arguments, as the tree holds them now.
  func entries() throws(ConfigFileError) -> [BootEntry]

  /// Every place the command line lives, as the tree holds it now (edits included): the
  /// current entries and the sources of the next kernel's entries, for the coverage check.
  /// By default the entries alone. `entries` are ``entries()`` as the caller already has
  /// them (reading them again costs a walk of every entry's Augeas paths).
  func commandLineSources(entries: [BootEntry]) throws(ConfigFileError) -> [CommandLineSource]
}

extension BootLoaderConfiguration {
  public var sourceFiles: [String] { tree.files }

  public func commandLineSources(entries: [BootEntry]) throws(ConfigFileError) -> [CommandLineSource] {
    entries.map(CommandLineSource.init(entry:))
  }

  /// ``commandLineSources(entries:)`` of the entries read now.
  public func commandLineSources() throws(ConfigFileError) -> [CommandLineSource] {
    try commandLineSources(entries: try entries())
  }
}

extension BootLoaderKind {
  /// Reads the boot-loader configuration of `root`: of `kind`, or of the kind
  /// ``detect(in:)`` finds. The one place a kind meets the type that reads it.
  public static func read(_ root: HostRoot, kind: BootLoaderKind? = nil) throws(ConfigFileError)
    -> any BootLoaderConfiguration
  {
    let detected: BootLoaderKind
    if let kind { detected = kind } else { detected = try detect(in: root) }
    switch detected {
    case .grubLegacy: return try GrubLegacy.read(root)
    case .grub2: return try Grub2.read(root)
    case .bls: return try BLS.read(root)
    }
  }
}

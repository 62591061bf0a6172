import HostConfig

/// A boot-loader format that can be edited: the reading of ``BootLoaderConfiguration``
/// (entries, parsed tree) plus an argument edit and what must run after the files are
/// written. ``GrubLegacy``, ``Grub2`` and ``BLS`` conform; ``BootLoaderEditor`` is the
/// façade over them.
///
/// An edit changes the format's in-memory tree only; the façade renders the changed files
/// and the applier writes them. Nothing here writes a file or runs a program.
protocol BootLoaderFormat: BootLoaderConfiguration {
  /// Makes the entries `request` selects satisfy it, in the tree; returns the files
  /// whose tree changed (their rendered text then differs from the text read).
  ///
  /// - Throws: ``EditorError`` (or a reading error) when the request cannot be met
  ///   (a `default` selection that cannot be resolved, an argument the format cannot
  ///   hold); the tree may be partly changed then, so the editor is not used further.
  func ensure(_ request: KernelArgsRequest) throws -> Set<String>

  /// What must run once the changed files are written for the boot loader to see them
  /// (GRUB 2's grub.cfg regeneration); `nil` for a format the boot loader reads itself.
  func regeneration() -> Regeneration?

  /// The planned change of `file`, one of the files ``ensure(_:)`` returned that is not in
  /// ``tree`` (grubenv, rendered byte-exact; a file created); `nil` for a file of the tree.
  func change(outsideTree file: String) throws -> FileChange?

  /// What runs on the live host once `file` (a changed file) is written, if anything.
  func command(for file: String) -> HostCommand?

  /// What tuned owns of the command line, when a profile is active and the format reads it.
  var tuned: Tuned? { get }

  /// Where the edits are written when that is not where the value is read (GRUB 2: a
  /// drop-in written after a distribution's), one sentence each. None by default.
  func explanations() -> [String]

  /// The lines of the generated configuration that differ, in the arguments with a key
  /// in `keys`, from what its sources give: what a regeneration would change. None by
  /// default (a format whose files the boot loader reads itself).
  func staleGeneratedLines(comparing keys: Set<String>) -> [String]

  /// The generated configurations that boot but cannot be read (a Proxmox ESP that is not
  /// mounted), one sentence each: whether they are stale is not known. None by default.
  func unreadGeneratedConfigurations() -> [String]
}

extension BootLoaderFormat {
  func regeneration() -> Regeneration? { nil }
  func change(outsideTree file: String) throws -> FileChange? { nil }
  func command(for file: String) -> HostCommand? { nil }
  var tuned: Tuned? { nil }
  func explanations() -> [String] { [] }
  func staleGeneratedLines(comparing keys: Set<String>) -> [String] { [] }
  func unreadGeneratedConfigurations() -> [String] { [] }
}

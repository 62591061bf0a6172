import Augeas
import Foundation
import HostConfig
import RootFS

/// Plans changes to the kernel arguments of a root's boot loader: a thin façade over
/// the formats (``GrubLegacy``, ``Grub2``, ``BLS``, each a ``BootLoaderFormat``), which
/// read their files through ``HostRoot`` and parse them with Augeas's lenses.
///
/// The life of an edit: `init` detects the format (unless given), reads and parses every
/// file and checks it (anything the editor cannot parse is an error naming the file and
/// line, before any change); ``ensure(_:)`` changes the in-memory tree;
/// ``changedFiles()`` names the files whose text will change, without rendering them;
/// ``pendingChanges()`` renders their new texts; ``regeneration()`` says what must run
/// once they are written. Nothing here writes a file or runs a program: the applier
/// writes the planned texts and runs the regeneration.
///
/// It owns an Augeas tree, so it is not `Sendable`: use it in one task.
public final class BootLoaderEditor {
  /// The boot loader whose files are edited.
  public let kind: BootLoaderKind
  /// The root the files are read under.
  public let root: HostRoot

  private let format: any BootLoaderFormat
  /// What must run after the format's files are written, read once at `init`.
  private let plannedRegeneration: Regeneration?
  /// The parsed files whose tree was changed since they were read. Augeas's lenses
  /// render an unchanged tree as the text it came from, and a changed tree as a
  /// different text, so these are exactly the files whose text changes.
  private var changed: Set<String> = []

  /// What tuned owns of the command line (BLS hosts with an active profile), or `nil`.
  public var tuned: Tuned? { format.tuned }

  /// The files read (real paths from the root): what a plan digests.
  public var sourceFiles: [String] { format.sourceFiles }

  /// Opens the boot loader configuration of `root`; `kind` nil detects it.
  ///
  /// Loads only the lenses and files that kind needs, each real file once
  /// however many symlinked names reach it.
  /// - Throws: ``EditorError`` naming the file and line of anything that cannot
  ///   be parsed (CRLF line endings, a quoted argument with spaces, an unknown
  ///   line), or when no (or several) boot loader configurations are found.
  public init(root: HostRoot, kind: BootLoaderKind? = nil) throws(EditorError) {
    let configuration: any BootLoaderConfiguration
    do { configuration = try BootLoaderKind.read(root, kind: kind) } catch { throw error }
    let kind = type(of: configuration).kind
    guard let format = configuration as? any BootLoaderFormat else {
      throw EditorError(message: "\(kind.rawValue) configurations can be read but not edited")
    }
    self.kind = kind
    self.root = root
    self.format = format
    plannedRegeneration = format.regeneration()
  }

  /// Opens the boot loader configuration of the root at `root` (see ``init(root:kind:)``).
  ///
  /// - Throws: also when `root` is not a folder.
  public convenience init(root: String, kind: BootLoaderKind? = nil) throws(EditorError) {
    let host: HostRoot
    do { host = try HostRoot(root) } catch { throw EditorError(message: error.description) }
    try self.init(root: host, kind: kind)
  }

  /// Every boot entry and its kernel arguments, edits included (for GRUB 2, the two
  /// summaries described in ``BootEntry``).
  public func entries() throws(EditorError) -> [BootEntry] {
    do { return try format.entries() } catch { throw error }
  }

  /// Every place the command line lives, edits included (see ``CommandLineSource``).
  public func commandLineSources() throws(EditorError) -> [CommandLineSource] {
    do { return try format.commandLineSources() } catch { throw error }
  }

  /// ``commandLineSources()`` with the ``entries()`` the caller read after its edits.
  public func commandLineSources(entries: [BootEntry]) throws(EditorError) -> [CommandLineSource] {
    do { return try format.commandLineSources(entries: entries) } catch { throw error }
  }

  /// What runs on the live host for the changed file `file` (see ``HostCommand``), known
  /// without rendering it.
  public func command(for file: String) -> HostCommand? { format.command(for: file) }

  /// Makes the selected entries satisfy `request`, in memory only.
  ///
  /// - Throws: for an invalid argument, an argument both present and absent,
  ///   a `default` selection that cannot be resolved (`default=saved`, out of
  ///   range), or (GRUB 2, `default`) an argument that `GRUB_CMDLINE_LINUX`
  ///   sets for every entry. Nothing is changed then.
  public func ensure(_ request: KernelArgsRequest) throws(EditorError) {
    try request.validate()
    do { changed.formUnion(try format.ensure(request)) } catch { throw EditorError.wrapping(error) }
  }

  /// The files (real paths, in ``sourceFiles`` order) whose text the edits change,
  /// known without rendering any text.
  public func changedFiles() -> [String] {
    let known = format.tree.files + format.sourceFiles.filter { !format.tree.files.contains($0) }
    return known.filter(changed.contains) + changed.subtracting(known).sorted()
  }

  /// The text the tree of `file` (one of the parsed files) renders to now,
  /// always through its lens, even when nothing changed; for a file the format renders
  /// itself (an edited grubenv, RHEL 8's `/etc/default/grub` beside BLS entries), its text.
  /// - Throws: ``EditorError`` when the lens cannot render the tree.
  public func render(_ file: String) throws(EditorError) -> String {
    do {
      if let outside = try format.change(outsideTree: file), let after = outside.after { return after }
      return try format.tree.render(file)
    } catch { throw EditorError.wrapping(error) }
  }

  /// The planned change: each file whose text the edits change, with its text as read
  /// and its new text; nothing is written (the applier writes ``FileChange/after``).
  /// Only the ``changedFiles()`` are rendered.
  public func pendingChanges() throws(EditorError) -> [FileChange] {
    var changes: [FileChange] = []
    for file in changedFiles() {
      let outside: FileChange?
      do { outside = try format.change(outsideTree: file) } catch { throw EditorError.wrapping(error) }
      if var outside {
        outside.command = format.command(for: file)
        changes.append(outside)
        continue
      }
      let after = try render(file)
      // A parsed file that does not exist (GRUB 2's 99-virthost.cfg) is created.
      let before = root.exists(file) ? format.tree.text(of: file) : nil
      if after != before {
        var change = FileChange(path: file, before: before, after: after)
        change.command = format.command(for: file)
        changes.append(change)
      }
    }
    return changes
  }

  /// What must run once the ``pendingChanges()`` are written (GRUB 2's grub.cfg
  /// regeneration); `nil` when nothing changes or the boot loader reads its files itself.
  public func regeneration() -> Regeneration? {
    changedFiles().isEmpty ? nil : plannedRegeneration
  }

  /// Where the edits are written when that is not where the value is read, one sentence
  /// each (GRUB 2: "… is decided by …; virthost writes … 99-virthost.cfg").
  public func explanations() -> [String] { format.explanations() }

  /// The lines of the generated configuration (GRUB 2's grub.cfg) whose arguments with a
  /// key in `keys` differ from what its sources (the evaluated `/etc/default/grub` and
  /// drop-ins) give, as read before any edit: "pending regeneration" when the sources
  /// need no change. One sentence each, naming file and line; none for a boot loader
  /// that reads its files itself, or a root without a generated configuration.
  public func staleGeneratedLines(comparing keys: Set<String>) -> [String] {
    format.staleGeneratedLines(comparing: keys)
  }

  /// The generated configurations that boot but cannot be read (a Proxmox ESP that is not
  /// mounted under the root), one sentence each: whether they wait for a regeneration is
  /// not known.
  public func unreadGeneratedConfigurations() -> [String] { format.unreadGeneratedConfigurations() }

  /// What a change to this boot loader's files makes run, whether or not anything
  /// changed (to repair a grub.cfg left stale by a failed run); `nil` when the boot
  /// loader reads its files itself.
  public func regenerationCommand() -> Regeneration? { plannedRegeneration }
}

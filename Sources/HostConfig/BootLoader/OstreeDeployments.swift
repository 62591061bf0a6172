import Augeas
import Foundation
import RootFS

/// The ostree deployments of an image-mode host as its boot entries show them, with where
/// each argument of the next boot's command line comes from. Read-only; never edits an entry.
///
/// ostree writes one BLS entry per deployment (`/boot/loader/entries/ostree-N-STATEROOT.conf`,
/// `version N`, the highest version the default); its `options` carry `ostree=` and the
/// deployment's arguments. bootc's `loader-entries set-options-for-source` records each
/// source's arguments in the same entry as an extension key `x-options-source-NAME` (bootc's
/// `crates/lib/src/loader_entries.rs`, `OPTIONS_SOURCE_KEY_PREFIX`; man page
/// `bootc-loader-entries-set-options-for-source(8)`), and merges them into `options`; an
/// argument of `options` that no source lists is untracked. A deployment staged for the next
/// boot (`ostree admin deploy --stage`, bootc, rpm-ostree) has no entry until ostree finalizes
/// it at shutdown: its arguments are then only in `/run/ostree/staged-deployment`, the GVariant
/// ostree's `_ostree_sysroot_stage_write_deployment` writes (`src/libostree/ostree-sysroot-deploy.c`:
/// `target`, the deployment `{name: CSUM.SERIAL, osname}`; `kargs`, the arguments when the
/// caller gave them, as bootc and rpm-ostree do; `bootconfig-extra`, the extension keys, since
/// ostree 2026.1), read here as the staged deployment's entry.
public struct OstreeDeployments: Sendable, Equatable {
  /// One deployment's entry.
  public struct Entry: Sendable, Equatable {
    /// The entry file (a real path from the root).
    public var file: String
    /// Its BLS `version` (ostree's deployment order: the highest is the default).
    public var version: Int
    /// The words of its `options`, in order, `ostree=` included.
    public var arguments: [String]
    /// Per source name, the arguments its `x-options-source-NAME` key lists.
    public var sources: [String: [String]]
    /// Its `ostree=` value (`/ostree/boot.1/fedora/<bootcsum>/0`); empty for a staged deployment.
    public var ostreePath: String
    /// The deployment's folder from the physical root (`/ostree/deploy/OS/deploy/CSUM.SERIAL`),
    /// when known without `ostree=` (a staged deployment).
    public var deployment: String? = nil

    /// The entry in words: its file and `ostree=`, or the staged file and deployment.
    public var shown: String {
      ostreePath.isEmpty
        ? "\(file), staged: \(deployment.map { ($0 as NSString).lastPathComponent } ?? "a deployment")"
        : "\(file), ostree=\(ostreePath)"
    }
  }

  /// Where an argument of an entry's `options` comes from.
  public enum Owner: Sendable, Equatable, CustomStringConvertible {
    /// The image: a file of the deployment's `usr/lib/bootc/kargs.d`.
    case image(file: String)
    /// A source tracked by bootc (`x-options-source-NAME`).
    case source(String)
    /// No source lists it (the installer, `rpm-ostree kargs`, an admin).
    case untracked

    public var description: String {
      switch self {
      case .image(let file): "the image's \(file)"
      case .source(let name): "the source \(name) (x-options-source-\(name))"
      case .untracked: "no tracked source"
      }
    }
  }

  /// The ostree entries, highest version first.
  public var entries: [Entry]
  /// Whether a staged deployment waits for finalization (`/run/ostree/staged-deployment`).
  public var hasStagedDeployment: Bool
  /// The staged deployment as an entry (``Entry/file`` is the staged file), when its file
  /// gives its arguments; `nil` when there is none or it does not (no `kargs`: the merge
  /// deployment's, which this reader does not follow).
  public var staged: Entry?

  /// The file that marks a staged deployment.
  public static let stagedDeploymentFile = "/run/ostree/staged-deployment"
  /// The BLS key prefix of bootc's per-source arguments.
  public static let sourceKeyPrefix = "x-options-source-"
  /// The folder of an image's kernel arguments, from a deployment's root.
  public static let kargsFolder = "/usr/lib/bootc/kargs.d"

  /// The deployment the next boot starts: the staged one, else the entry with the highest
  /// version. `nil` with a staged deployment whose arguments are not known.
  public var next: Entry? { hasStagedDeployment ? staged : entries.first }

  /// Reads the ostree entries of `root` through the Spacevars lens (as every BLS entry).
  /// - Throws: naming the file and line, when an entry cannot be parsed or has no or several
  ///   `options` lines, or a `version` that is not a number.
  public static func read(_ root: HostRoot) throws(ConfigFileError) -> OstreeDeployments {
    let files = root.realFiles(BLS.entryNames(root))
    let tree = try BootConfigTree(root: root, files: files.map { ($0, "Spacevars.lns") })
    var entries: [Entry] = []
    for file in files {
      let node = tree.path(of: file)
      let options: [String]
      var versionText: String?
      var arguments: [String] = []
      var sources: [String: [String]] = [:]
      do throws(AugeasError) {
        options = try tree.augeas.match(node + "/options")
        if let version = try tree.augeas.match(node + "/version").first { versionText = try tree.augeas.get(version) }
        if options.count == 1 { arguments = words(try tree.augeas.get(options[0]) ?? "") }
        for key in try tree.augeas.match(node + "/*") {
          let label = String(key.split(separator: "/").last ?? "")
          guard label.hasPrefix(sourceKeyPrefix) else { continue }
          let name = String(label.dropFirst(sourceKeyPrefix.count)).replacingOccurrences(
            of: #"\[[0-9]+\]$"#, with: "", options: .regularExpression)
          sources[name] = words(try tree.augeas.get(key) ?? "")
        }
      } catch {
        throw ConfigFileError(error)
      }
      guard options.count <= 1 else {
        let lines = tree.lineNumbers(in: file) { $0.hasPrefix("options ") || $0.hasPrefix("options\t") }
        throw ConfigFileError(
          file: file, line: lines.dropFirst().first, message: "the entry has \(options.count) options lines")
      }
      guard let ostree = arguments.first(where: { $0.hasPrefix("ostree=") }) else { continue }
      guard let version = versionText.flatMap({ Int($0) }) else {
        let line = tree.lineNumbers(in: file) { $0.hasPrefix("version") }.first
        throw ConfigFileError(
          file: file, line: line,
          message: "an ostree entry needs a numeric version (ostree orders deployments by it); found: "
            + (versionText ?? "no version line"))
      }
      entries.append(
        Entry(
          file: file, version: version, arguments: arguments, sources: sources,
          ostreePath: String(ostree.dropFirst("ostree=".count))))
    }
    return OstreeDeployments(
      entries: entries.sorted { $0.version > $1.version }, hasStagedDeployment: root.exists(stagedDeploymentFile),
      staged: try readStaged(root))
  }

  /// The staged deployment of `root`, from its GVariant (see the type's comment).
  /// - Throws: naming the file, when it is not the dictionary ostree writes.
  static func readStaged(_ root: HostRoot) throws(ConfigFileError) -> Entry? {
    let data: [UInt8]?
    do {
      data = try root.readIfPresent(stagedDeploymentFile)
    } catch {
      throw ConfigFileError(file: stagedDeploymentFile, message: "cannot be read: \(error)")
    }
    guard let data else { return nil }
    guard let dictionary = GVariantValue(data[...]).vardict else {
      throw ConfigFileError(
        file: stagedDeploymentFile, message: "is not the a{sv} GVariant ostree writes for a staged deployment")
    }
    guard let kargs = dictionary["kargs"] else { return nil }
    guard kargs.type == "as", let arguments = kargs.value.strings else {
      throw ConfigFileError(
        file: stagedDeploymentFile, message: "its kargs are a \(kargs.type), not the array of strings ostree writes")
    }
    var sources: [String: [String]] = [:]
    if let extra = dictionary["bootconfig-extra"], extra.type == "a{ss}", let keys = extra.value.stringDict {
      for (key, value) in keys where key.hasPrefix(sourceKeyPrefix) && !value.isEmpty {
        sources[String(key.dropFirst(sourceKeyPrefix.count))] = words(value)
      }
    }
    var deployment: String?
    if let target = dictionary["target"], target.type == "a{sv}", let fields = target.value.vardict,
      let name = fields["name"]?.value.string, let osname = fields["osname"]?.value.string
    {
      deployment = "/ostree/deploy/\(osname)/deploy/\(name)"
    }
    return Entry(
      file: stagedDeploymentFile, version: Int.max, arguments: arguments, sources: sources, ostreePath: "",
      deployment: deployment)
  }

  /// The words of a command line.
  static func words(_ text: String) -> [String] {
    text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
  }

  /// The folder, from `root`, of the deployment `entry` boots: its `ostree=` path followed
  /// through ostree's links (`boot.N` → `boot.N.M`, `…/BOOTSERIAL` → `../../../deploy/…`),
  /// on the physical root (`/sysroot`) or, where `/ostree` is not a link to it, at the top;
  /// `nil` when neither holds it.
  public static func deploymentFolder(of entry: Entry, in root: HostRoot) -> String? {
    let path = entry.deployment ?? entry.ostreePath
    for candidate in ["/sysroot" + path, path] where !path.isEmpty && root.isDirectory(candidate) {
      return root.resolve(candidate)
    }
    return nil
  }

  /// Who owns `argument` (a word of `entry`'s options): the image when a kargs.d file of
  /// `imageArguments` lists it, else the first source that lists it, else untracked.
  public static func owner(
    of argument: String, in entry: Entry, imageArguments: [(file: String, arguments: [String])]
  ) -> Owner {
    if let file = imageArguments.first(where: { $0.arguments.contains(argument) }) { return .image(file: file.file) }
    if let source = entry.sources.keys.sorted().first(where: { entry.sources[$0]!.contains(argument) }) {
      return .source(source)
    }
    return .untracked
  }
}

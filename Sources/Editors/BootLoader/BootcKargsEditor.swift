import Augeas
import RootFS

/// bootc's kernel arguments of an image: `/usr/lib/bootc/kargs.d/*.toml`, each a `kargs`
/// array and an optional `match-architectures` array, read and made with the shipped Toml
/// lens. bootc appends every file's arguments, in file-name order, when it installs or
/// updates a deployment of the image.
///
/// virthost owns `50-virthost.toml` (arguments for every architecture) and
/// `50-virthost-<arch>.toml` (`match-architectures = ["<arch>"]`) whole; the other files
/// are the image's, only read. Never writes. Not `Sendable`: it owns an `AugeasTree`.
public final class BootcKargsEditor {
  /// The lens of the files.
  public static let lens = "Toml.lns"
  /// Where bootc reads them in an image.
  public static let folder = "/usr/lib/bootc/kargs.d"
  /// The comment at the top of virthost's files.
  public static let header = "Written by virthost from host.yaml; edits are replaced."

  /// One file of the folder, as read.
  public struct File: Sendable, Equatable {
    /// The file (a real path from the root).
    public var path: String
    /// Its `kargs`, in order.
    public var arguments: [String]
    /// Its `match-architectures`; `nil` when it applies to every architecture.
    public var architectures: [String]?
  }

  private let text: OwnedFileText

  /// Opens the editor on `root`.
  public init(root: HostRoot) throws(EditorError) {
    text = try OwnedFileText(root: root)
  }

  /// virthost's file for `architecture` (`nil`: every architecture).
  public static func ownPath(architecture: String?) -> String {
    folder + "/50-virthost" + (architecture.map { "-" + $0 } ?? "") + ".toml"
  }

  /// The change that makes virthost's file for `architecture` hold `arguments`; `nil` when
  /// it does. With no argument, the file is removed.
  public func change(arguments: [String], architecture: String?) throws(EditorError) -> FileChange? {
    let path = Self.ownPath(architecture: architecture)
    guard !arguments.isEmpty else {
      guard let before = try text.current(path) else { return nil }
      return FileChange(path: path, before: before, after: nil)
    }
    let new = try text.render(lens: Self.lens, header: Self.header, file: path) { (tree, node) throws(AugeasError) in
      try tree.set("\(node)/entry[1]", "kargs")
      for (index, argument) in arguments.enumerated() {
        try tree.set("\(node)/entry[1]/array/string[\(index + 1)]", argument)
      }
      if let architecture {
        try tree.set("\(node)/entry[2]", "match-architectures")
        try tree.set("\(node)/entry[2]/array/string[1]", architecture)
      }
    }
    return try text.change(path, to: new)
  }

  /// The image's files, in the order bootc reads them: virthost's own left out, unless
  /// `includingVirthost` (a deployed image, whose files virthost wrote at its build, are all
  /// the image's).
  /// - Throws: naming the file, when the lens refuses one.
  public func imageFiles(includingVirthost: Bool = false) throws(EditorError) -> [File] {
    let own = text.root.glob(Self.folder, suffix: ".toml").filter {
      !includingVirthost
        && ($0.hasPrefix(Self.folder + "/50-virthost.") || $0.hasPrefix(Self.folder + "/50-virthost-"))
    }
    var files: [File] = []
    for path in text.root.glob(Self.folder, suffix: ".toml").sorted() where !own.contains(path) {
      let content = try text.current(path) ?? ""
      let entries = try text.entries(in: content, lens: Self.lens, file: path) { (tree, node) throws(AugeasError) in
        var values: [String: [String]] = [:]
        for entry in try tree.match("\(node)/entry") {
          guard let key = try tree.get(entry) else { continue }
          var strings: [String] = []
          for path in try tree.match("\(entry)/array/string") {
            if let value = try tree.get(path) { strings.append(value) }
          }
          values[key] = strings
        }
        return values
      }
      files.append(File(path: path, arguments: entries["kargs"] ?? [], architectures: entries["match-architectures"]))
    }
    return files
  }
}

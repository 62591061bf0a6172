import Augeas
import RootFS

#if canImport(Glibc)
  import Glibc
#endif

/// `/etc/libvirt/qemu.conf` under a root, parsed with the root's own copy of libvirt's lens
/// `libvirtd_qemu.aug` (the lens of the host's libvirt version, which its package installs in
/// `/usr/share/augeas/lenses/`), and the settings that lens declares.
///
/// Both files are read through ``HostRoot`` (so a plan's trace records them). libaugeas loads a
/// lens module only from a folder on this machine, so the lens text read is put in a private
/// temporary folder (mode 0700, removed when the reader goes) that the tree's load path names:
/// not a host file, and nothing under the root is written.
///
/// Refused, as a ``ConfigFileError`` naming the file: a missing qemu.conf or lens (with the
/// package that ships it), a `hugetlbfs_mount` in its list form (libvirt reads it, the lens
/// cannot), any text the lens does not parse (line and column). Never writes the root.
///
/// Not `Sendable`: it owns an `AugeasTree`, which the editor edits.
public final class QemuConf {
  /// The file's path from the root.
  public static let path = "/etc/libvirt/qemu.conf"
  /// libvirt's lens of the file, from the root.
  public static let lensFile = "/usr/share/augeas/lenses/libvirtd_qemu.aug"
  /// The lens in the module.
  public static let lens = "Libvirtd_qemu.lns"
  /// Where the file's tree lives in the Augeas tree.
  public static let node = "/qemu"
  /// The packages that ship the file, as messages name them.
  public static let filePackages = "libvirt-daemon-system on Debian and Ubuntu, libvirt-daemon-driver-qemu on RHEL"
  /// The package that ships the lens, as messages name it.
  public static let lensPackage = "libvirt-daemon-driver-qemu"

  /// The file really read, symlinks resolved inside the root.
  public let file: String
  /// The file's text on disk.
  public let text: String
  /// The settings the root's lens declares.
  public let settings: QemuConfSettings
  /// The tree of ``text`` at ``node``.
  public let tree: AugeasTree
  private let lensFolder: LensFolder

  /// Reads and parses the root's qemu.conf with the root's lens.
  /// - Throws: ``ConfigFileError`` when either file is missing or cannot be read, when
  ///   `hugetlbfs_mount` is a list, or when the lens does not parse the text.
  public init(root: HostRoot) throws(ConfigFileError) {
    file = root.resolve(Self.path) ?? Self.path
    let read: String?
    do { read = try root.text(file) } catch { throw ConfigFileError(error, reading: file) }
    guard let read else {
      throw ConfigFileError(
        file: Self.path, message: "does not exist: libvirt's QEMU driver is not installed (\(Self.filePackages))")
    }
    text = read
    let lensText: String?
    do { lensText = try root.text(Self.lensFile) } catch { throw ConfigFileError(error, reading: Self.lensFile) }
    guard let lensText else {
      throw ConfigFileError(
        file: Self.lensFile,
        message:
          "does not exist: libvirt's lens of \(Self.path) is missing; install \(Self.lensPackage), which ships it")
    }
    settings = QemuConfSettings(lens: lensText)
    if let problem = Self.listFormHugetlbfsMount(in: text, file: file) { throw problem }
    lensFolder = try LensFolder(module: "libvirtd_qemu.aug", text: lensText)
    let folder = lensFolder.path
    let opened = AugeasHandlePool.$current.withValue(nil) {
      // A load path of its own: a pooled handle would keep a compiled lens of a folder that is gone.
      Result { () throws(AugeasError) in try AugeasTree(root: "/", transforms: [], loadPath: [folder]) }
    }
    do { tree = try opened.get() } catch { throw ConfigFileError(error) }
    try parse(text)
  }

  /// Parses `text` into the tree at ``node``, replacing what was there.
  /// - Throws: ``ConfigFileError`` with the file, line and column the lens stopped at.
  public func parse(_ text: String) throws(ConfigFileError) {
    do {
      try tree.parseText(text, lens: Self.lens, into: Self.node)
    } catch {
      var problem = ConfigFileError(text: error, file: file)
      _ = problem.placeAtCRLF(in: text)
      throw problem
    }
  }

  /// The tree rendered back to text, `original` the text it was parsed from.
  public func render(original: String) throws(ConfigFileError) -> String {
    do {
      return try tree.renderText(lens: Self.lens, from: Self.node, original: original)
    } catch {
      throw ConfigFileError(text: error, file: file)
    }
  }

  /// The value of `key` in the tree (its last assignment, the one libvirt keeps), `nil` when
  /// the file does not set it.
  public func value(_ key: String) throws(ConfigFileError) -> QemuConfValue? {
    try ConfigFileError.catching { () throws -> QemuConfValue? in
      guard let node = try tree.match(Self.node + "/" + key).last else { return nil }
      if settings.types[key] == .stringList {
        return .list(try tree.children(of: node).compactMap(\.value))
      }
      return try tree.get(node).map(QemuConfValue.scalar)
    }
  }

  /// The refusal of a `hugetlbfs_mount = [ … ]` line outside comments: libvirt reads a list of
  /// mount points there, but its own lens declares the setting a string and cannot parse the
  /// file, so nothing could edit it without losing the list.
  static func listFormHugetlbfsMount(in text: String, file: String) -> ConfigFileError? {
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      let indent = line.prefix { $0 == " " || $0 == "\t" }
      var rest = line.dropFirst(indent.count)
      guard rest.hasPrefix("hugetlbfs_mount") else { continue }
      rest = rest.dropFirst("hugetlbfs_mount".count).drop { $0 == " " || $0 == "\t" }
      guard rest.first == "=" else { continue }
      rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
      guard rest.first == "[" else { continue }
      return ConfigFileError(
        file: file, line: index + 1, column: indent.count + 1,
        message:
          "hugetlbfs_mount is a list, which libvirt reads but its lens libvirtd_qemu.aug cannot parse (it takes one "
          + "string); virthost does not rewrite the file: write one mount point as a string, or leave qemu.conf unmanaged"
      )
    }
    return nil
  }
}

/// A private temporary folder holding one lens module, removed with the value.
private final class LensFolder {
  let path: String
  private let module: String

  init(module: String, text: String) throws(ConfigFileError) {
    self.module = module
    let base = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.hasPrefix("/") ? $0 : nil } ?? "/tmp"
    var template = Array((base + "/virthost-lens.XXXXXX").utf8CString)
    guard let made = mkdtemp(&template) else {
      throw ConfigFileError(
        message: "cannot make a temporary folder for \(module): \(String(cString: strerror(errno)))")
    }
    // `path` is set last: once every stored property is set, a throw runs `deinit`, which
    // would remove the folder a second time (by then perhaps another's of the same name).
    let path = String(cString: made)
    let descriptor = open(path + "/" + module, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
    var written = descriptor >= 0
    if written {
      let bytes = Array(text.utf8)
      var offset = 0
      while offset < bytes.count {
        let count = bytes[offset...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        if count <= 0 {
          written = false
          break
        }
        offset += count
      }
      close(descriptor)
    }
    if !written {
      let reason = String(cString: strerror(errno))
      unlink(path + "/" + module)
      rmdir(path)
      throw ConfigFileError(message: "cannot stage \(module) in \(path): \(reason)")
    }
    self.path = path
  }

  deinit {
    unlink(path + "/" + module)
    rmdir(path)
  }
}

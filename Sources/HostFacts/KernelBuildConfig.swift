import RootFS

/// The build of one kernel release as the files of `/boot` and `/lib/modules` describe it:
/// every option of `/boot/config-<release>`, and the modules built into it
/// (`/lib/modules/<release>/modules.builtin`). What is built in is never loaded (it is
/// there from the start) and reads no modprobe.d option: its parameters come from the
/// kernel command line (`vfio-pci.ids=`), and its driver binds devices before any udev rule.
public struct KernelBuildConfig: Sendable, Equatable {
  /// The release (`6.1.0-28-amd64`).
  public var release: String
  /// The configuration file read.
  public var source: String
  /// Every option to its value (`y`, `m`, `n` for `# … is not set`, or a string or number).
  public var values: [String: String]
  /// The module names built in (`e1000`, `vfio_pci`), `-` written `_`; `nil` when
  /// `modules.builtin` cannot be read.
  public var builtinModules: Set<String>?

  /// Why a configuration cannot be read.
  public struct Unreadable: Error, Sendable {
    /// The file and the reason, as one phrase.
    public var reason: String

    /// Creates the reason.
    public init(reason: String) { self.reason = reason }
  }

  /// Reads release `release`'s configuration under `root` (`/boot/config-<release>`).
  public static func read(_ root: HostRoot, release: String) -> Result<KernelBuildConfig, Unreadable> {
    let path = "/boot/config-\(release)"
    switch root.factText(path) {
    case .failure(let problem): return .failure(Unreadable(reason: "\(path): \(problem.factReason)"))
    case .success(let text): return .success(KernelBuildConfig(root, release: release, source: path, text: text))
    }
  }

  /// The configuration `text` (read from `source`) of release `release`, with its built-in
  /// modules read under `root`.
  public init(_ root: HostRoot, release: String, source: String, text: String) {
    let builtin = "/lib/modules/\(release)/modules.builtin"
    self.release = release
    self.source = source
    values = KernelFacts.parseConfig(text)
    builtinModules = (try? root.factText(builtin).get()).map { text in
      Set(
        text.split(separator: "\n").compactMap { line -> String? in
          guard let name = line.split(separator: "/").last, name.hasSuffix(".ko") else { return nil }
          return name.dropLast(3).replacingOccurrences(of: "-", with: "_")
        })
    }
  }

  /// Whether `option` is `y`.
  public func isBuiltIn(_ option: String) -> Bool { values[option] == "y" }

  /// Whether the driver or module `name` (`e1000`, `snd_hda_intel`, `vfio-pci`) is built in;
  /// `nil` when `modules.builtin` could not be read.
  public func isBuiltInModule(_ name: String) -> Bool? {
    builtinModules.map { $0.contains(name.replacingOccurrences(of: "-", with: "_")) }
  }

  /// The `CONFIG_VFIO*` options, sorted, as `NAME=value`: what the plan's facts digest keeps.
  public var vfioOptions: [String] {
    values.filter { $0.key.hasPrefix("CONFIG_VFIO") }.map { "\($0.key)=\($0.value)" }.sorted()
  }
}

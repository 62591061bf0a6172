import Foundation

/// The layouts of `scripts/oracles/sysctl-oracle.sh`, built from the same fixtures, and what the
/// oracle recorded for each (`Tests/EditorsTests/Fixtures/oracles/sysctl/<name>.tsv`):
/// the files laid out, the order `systemd-analyze cat-config sysctl.d` read them in and the value
/// `systemd-sysctl` wrote to each fake key.
///
/// Keep ``builders`` in step with the script: a test checks that every recorded case has one
/// and that the built files are the recorded ones.
public struct SysctlOracleCase: Sendable {
  /// The case's name (the `.tsv` file's name without extension).
  public var name: String
  /// `file` lines: each path under the root, a link as `path -> text`.
  public var files: [String]
  /// The paths `cat-config` printed, in order (its `# $ROOT/...` headers).
  public var readOrder: [String]
  /// `value` lines: key → value written, `nil` for "(not written)"; empty where the script
  /// recorded no values (the split-usr case).
  public var values: [(key: String, value: String?)]

  /// The folder of the recorded cases.
  public static let folder = "Tests/EditorsTests/Fixtures/oracles/sysctl"
  static let fixtures = "Tests/EditorsTests/Fixtures/"

  /// Every recorded case, by name.
  public static func all() throws -> [SysctlOracleCase] {
    let url = FixtureRoot.repository.appendingPathComponent(folder)
    return try FileManager.default.contentsOfDirectory(atPath: url.path).filter { $0.hasSuffix(".tsv") }.sorted()
      .map { try load(String($0.dropLast(4))) }
  }

  /// The recorded case `name`.
  public static func load(_ name: String) throws -> SysctlOracleCase {
    let url = FixtureRoot.repository.appendingPathComponent("\(folder)/\(name).tsv")
    var result = SysctlOracleCase(name: name, files: [], readOrder: [], values: [])
    for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
      switch fields[0] {
      case "file": result.files.append(fields[1])
      case "cat" where fields.count > 1 && fields[1].hasPrefix("# $ROOT/"):
        result.readOrder.append(String(fields[1].dropFirst("# $ROOT".count)))
      case "value": result.values.append((fields[1], fields[2] == "(not written)" ? nil : fields[2]))
      default: continue
      }
    }
    return result
  }

  /// Lays the case's files out in `root`, as the script does.
  public func build(in root: FixtureRoot) throws {
    guard let steps = Self.builders[name] else { throw CocoaError(.featureUnsupported) }
    try steps(Layout(root: root))
  }

  /// The files and links under `root`, in the `file` lines' form, sorted.
  public static func listing(of root: FixtureRoot) throws -> [String] {
    var result: [String] = []
    let manager = FileManager.default
    for case let relative as String in manager.enumerator(atPath: root.path)! {
      let path = "/" + relative
      if let text = try? manager.destinationOfSymbolicLink(atPath: root.path + path) {
        result.append("\(path) -> \(text)")
      } else if !(try manager.attributesOfItem(atPath: root.path + path)[.type] as? FileAttributeType == .typeDirectory)
      {
        result.append(path)
      }
    }
    return result.sorted()
  }

  /// The script's steps: `put` copies a fixture (links kept), `write` and `append` add text.
  public struct Layout {
    let root: FixtureRoot

    /// Steps that lay files out in `root`.
    public init(root: FixtureRoot) { self.root = root }

    public func put(_ fixture: String, _ path: String) throws {
      try FileManager.default.createDirectory(
        at: root.url(path).deletingLastPathComponent(), withIntermediateDirectories: true)
      let source = FixtureRoot.repository.appendingPathComponent(SysctlOracleCase.fixtures + fixture).path
      let copy = try ProgramRun.run("/bin/cp", ["-P", source, root.path + path])
      guard copy.status == 0 else { throw CocoaError(.fileWriteUnknown) }
    }

    public func write(_ path: String, _ text: String) throws { try root.write(path, text) }

    public func append(_ path: String, _ text: String) throws { try root.write(path, try root.text(path) + text) }

    public func remove(_ path: String) throws { try FileManager.default.removeItem(atPath: root.path + path) }

    public func link(_ path: String, to text: String) throws {
      try FileManager.default.createDirectory(
        at: root.url(path).deletingLastPathComponent(), withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(atPath: root.path + path, withDestinationPath: text)
    }

    /// What a Debian 12 systemd host has: systemd's and procps's files.
    public func debianDefaults() throws {
      try put("debian12-packages/systemd/usr/lib/sysctl.d/50-pid-max.conf", "/usr/lib/sysctl.d/50-pid-max.conf")
      try put("debian12-packages/systemd/etc/sysctl.d/99-sysctl.conf", "/etc/sysctl.d/99-sysctl.conf")
      try put(
        "debian12-packages/procps/usr/lib/sysctl.d/99-protect-links.conf", "/usr/lib/sysctl.d/99-protect-links.conf")
      try put("debian12-packages/procps/etc/sysctl.d/README.sysctl", "/etc/sysctl.d/README.sysctl")
      try put("debian12-packages/procps/etc/sysctl.conf", "/etc/sysctl.conf")
    }

    public func vendorDefault() throws {
      try put("oracle-constructed/usr/lib/sysctl.d/50-default.conf", "/usr/lib/sysctl.d/50-default.conf")
    }
  }

  /// One builder per case, mirroring `scripts/oracles/sysctl-oracle.sh`.
  static let builders: [String: @Sendable (Layout) throws -> Void] = [
    "debian12-stock": { try $0.debianDefaults() },
    "sysctl-conf-linked": {
      try $0.debianDefaults()
      try $0.append("/etc/sysctl.conf", "vm.swappiness = 10\n")
    },
    "sysctl-conf-unlinked": {
      try $0.debianDefaults()
      try $0.append("/etc/sysctl.conf", "vm.swappiness = 10\n")
      try $0.remove("/etc/sysctl.d/99-sysctl.conf")
    },
    "etc-90-loses-to-vendor-99": {
      try $0.debianDefaults()
      try $0.write("/etc/sysctl.d/90-virthost.conf", "fs.protected_regular = 0\n")
    },
    "etc-same-name-masks-vendor": {
      try $0.debianDefaults()
      try $0.write("/etc/sysctl.d/99-protect-links.conf", "fs.protected_regular = 0\n")
    },
    "etc-later-name-wins": {
      try $0.debianDefaults()
      try $0.write("/etc/sysctl.d/99-zz-virthost.conf", "fs.protected_regular = 0\n")
    },
    "etc-devnull-masks-vendor": {
      try $0.debianDefaults()
      try $0.link("/etc/sysctl.d/99-protect-links.conf", to: "/dev/null")
    },
    "vendor-globs-exclusion": {
      try $0.debianDefaults()
      try $0.vendorDefault()
      try $0.put(
        "debian12-packages/systemd-man-sysctl.d.5-example4/etc/sysctl.d/20-rp_filter.conf",
        "/etc/sysctl.d/20-rp_filter.conf")
    },
    "vendor-glob-only": { try $0.vendorDefault() },
    "explicit-vs-glob": {
      try $0.vendorDefault()
      try $0.write("/etc/sysctl.d/10-early.conf", "net.ipv4.conf.eth0.rp_filter = 0\n")
      try $0.write("/etc/sysctl.d/90-virthost.conf", "net.ipv4.conf.all.rp_filter = 1\n")
    },
    "run-masks-vendor": {
      try $0.debianDefaults()
      try $0.vendorDefault()
      try $0.put("oracle-constructed/run/sysctl.d/60-runtime.conf", "/run/sysctl.d/60-runtime.conf")
      try $0.write("/run/sysctl.d/50-default.conf", "kernel.numa_balancing = 1\n")
    },
    "etc-masks-run": {
      try $0.debianDefaults()
      try $0.put("oracle-constructed/run/sysctl.d/60-runtime.conf", "/run/sysctl.d/60-runtime.conf")
      try $0.write("/etc/sysctl.d/60-runtime.conf", "vm.swappiness = 5\n")
    },
    "split-usr-lib-vs-usr-lib": {
      try $0.write("/lib/sysctl.d/50-x.conf", "vm.swappiness = 1\n")
      try $0.write("/usr/lib/sysctl.d/50-x.conf", "vm.swappiness = 2\n")
      try $0.write("/lib/sysctl.d/40-only-lib.conf", "kernel.pid_max = 100000\n")
    },
  ]

  /// The names of the cases with a builder.
  public static var builtCases: [String] { builders.keys.sorted() }
}

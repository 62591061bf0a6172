import RootFS

/// Debian's insserv under a root, as update-rc.d finds and runs it, and the boot order it
/// wrote: the makefile-style `/etc/init.d/.depend.boot`, `.depend.start` and `.depend.stop`
/// that sysv-rc's `/lib/init/rc` hands to startpar (`CONCURRENCY=makefile`).
///
/// Under that order startpar starts only the targets of `.depend.start` (runlevels 2–5) and
/// `.depend.boot` (`S`): a script with `S` links that insserv has not listed does not start
/// at boot. Reading only; the applier runs ``command(_:)``. Not for computing insserv's
/// order or sequence numbers, which only insserv knows (it reads every script's LSB block).
public struct Insserv: Sendable {
  /// The root read.
  public let root: HostRoot
  /// The program update-rc.d runs: `/sbin/insserv` when executable, else `/usr/lib/insserv/insserv`.
  public let program: String

  /// The folder of the `.depend.*` files.
  public static let dependFolder = "/etc/init.d"

  /// insserv of `root` when it is configured as update-rc.d requires (`create_sequence`: the
  /// program executable and `/etc/insserv.conf` present); `nil` otherwise, and then
  /// update-rc.d renames links without it.
  public init?(root: HostRoot) {
    guard root.exists("/etc/insserv.conf"),
      let program = ["/sbin/insserv", "/usr/lib/insserv/insserv"].first(where: { path in
        root.status(path).map { $0.kind == .regular && $0.mode & 0o111 != 0 } ?? false
      })
    else { return nil }
    self.root = root
    self.program = program
  }

  /// The call update-rc.d makes after renaming `name`'s links (`enable`, `disable`) or for
  /// `defaults`: `insserv NAME`, with `-f` when initscripts is not installed (no
  /// `/etc/rcS.d/S??mountkernfs.sh`), so that facilities it would provide do not fail it.
  public func command(_ name: String) -> [String] {
    let initscripts = root.listIfPresent("/etc/rcS.d").contains { entry in
      entry.count == "S00mountkernfs.sh".count && entry.hasPrefix("S") && entry.hasSuffix("mountkernfs.sh")
        && entry.dropFirst().prefix(2).allSatisfy(\.isNumber)
    }
    return [program] + (initscripts ? [] : ["-f"]) + [name]
  }

  /// Whether sysv-rc boots in insserv's order here: `.depend.boot`, `.depend.start` and
  /// `.depend.stop` all non-empty and no `/etc/init.d/.legacy-bootordering` (`/lib/init/rc`'s
  /// test; `concurrency=none` on the kernel command line is not read).
  public var ordersBoot: Bool {
    let files = ["boot", "start", "stop"].map { Self.dependFolder + "/.depend." + $0 }
    return files.allSatisfy { root.status($0).map { $0.kind == .regular && $0.size > 0 } ?? false }
      && !root.exists(Self.dependFolder + "/.legacy-bootordering")
  }

  /// The file whose targets startpar starts in `level`: `.depend.boot` for `S`, `.depend.start` for 2–5.
  public static func dependFile(level: String) -> String {
    dependFolder + (level == "S" ? "/.depend.boot" : "/.depend.start")
  }

  /// The `TARGETS =` names of the `.depend.*` file at `path`; `nil` when it cannot be read.
  public func targets(_ path: String) -> Set<String>? {
    guard let bytes = try? root.readIfPresent(path) else { return nil }
    let text = String(decoding: bytes, as: UTF8.self)
    for line in text.split(separator: "\n") where line.hasPrefix("TARGETS") {
      let value = line.dropFirst("TARGETS".count).drop { $0 == " " || $0 == "\t" }
      guard value.first == "=" else { continue }
      return Set(value.dropFirst().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
    }
    return []
  }
}

/// A hugetlbfs mount of one page size: where virthost mounts it, its systemd unit's name, the
/// options it asks for, and how `/proc/mounts` shows it. One place for the facts and the plan.
///
/// systemd mounts hugetlbfs only at `/dev/hugepages`, for the default page size; libvirt's QEMU
/// driver finds every hugetlbfs mount in `/proc/mounts` when its daemon starts, one per size, so
/// a pool of another size needs a mount of its own (`/dev/hugepages1G`, as OpenStack's EDPM
/// roles mount it).
public struct HugetlbfsMount: Sendable, Equatable {
  /// The page size, in KiB.
  public var sizeKiB: Int
  /// The QEMU group's number, when known: the mount's root is then `mode=01770` and that group's.
  public var gid: UInt32?

  /// Creates a mount of `sizeKiB` pages.
  public init(sizeKiB: Int, gid: UInt32? = nil) {
    self.sizeKiB = sizeKiB
    self.gid = gid
  }

  /// `1G`, `2M`.
  public var sizeText: String {
    if sizeKiB % (1024 * 1024) == 0 { return "\(sizeKiB / (1024 * 1024))G" }
    if sizeKiB % 1024 == 0 { return "\(sizeKiB / 1024)M" }
    return "\(sizeKiB)K"
  }

  /// `/dev/hugepages1G`.
  public var path: String { "/dev/hugepages" + sizeText }
  /// `dev-hugepages1G.mount`: systemd's name for a mount at ``path`` (no character to escape).
  public var unit: String { "dev-hugepages\(sizeText).mount" }
  /// Where virthost writes the unit.
  public var unitPath: String { "/etc/systemd/system/" + unit }

  /// The mode of the mount's root with a group: the QEMU group may create files, others may
  /// not, and only a file's owner removes it.
  public static let groupMode: UInt32 = 0o1770

  /// The options of the unit's `Options=` line.
  public var options: String {
    "pagesize=\(sizeText)" + (gid.map { ",mode=0\(String(Self.groupMode, radix: 8)),gid=\($0)" } ?? "")
  }

  /// One line of `/proc/mounts` (`hugetlbfs /dev/hugepages1G hugetlbfs rw,relatime,gid=64055,mode=1770,pagesize=1024M 0 0`).
  public struct Entry: Sendable, Equatable, Codable {
    /// The mount point.
    public var path: String
    /// The file system type.
    public var type: String
    /// The options, in order.
    public var options: [String]

    /// Creates an entry.
    public init(path: String, type: String, options: [String]) {
      self.path = path
      self.type = type
      self.options = options
    }

    /// The mode of the mount's root: `mode=` in octal, 0755 when the kernel leaves it out.
    public var mode: UInt32 { value("mode").flatMap { UInt32($0, radix: 8) } ?? 0o755 }

    /// The page size the kernel shows (`pagesize=1024M`: the kernel divides by 1024 at most
    /// twice, so 1 GiB reads `1024M`), in KiB; `nil` when absent.
    public var pageSizeKiB: Int? {
      guard let text = value("pagesize"), let unit = text.last, let number = Int(text.dropLast()) else { return nil }
      // A size too large for an Int (a mount table no kernel writes) is no size, never a trap.
      func times(_ factor: Int) -> Int? {
        let (product, overflow) = number.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
      }
      switch unit {
      case "K": return number
      case "M": return times(1024)
      case "G": return times(1024 * 1024)
      default: return Int(text).map { $0 / 1024 }
      }
    }

    /// The value of `key=` among the options.
    public func value(_ key: String) -> String? {
      options.first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }
  }

  /// The entries of `/proc/mounts` text (fields split on blanks; `\040` escapes kept as written).
  public static func entries(_ procMounts: String) -> [Entry] {
    procMounts.split(separator: "\n").compactMap { line in
      let fields = line.split(separator: " ")
      guard fields.count >= 4 else { return nil }
      return Entry(
        path: String(fields[1]), type: String(fields[2]), options: fields[3].split(separator: ",").map(String.init))
    }
  }

  /// What differs between `entry` and this mount, in words (`pagesize=2M, not 1G`); empty when
  /// it matches. The mode the kernel shows without its leading zeros; `mode=` and `gid=` are
  /// left out of `/proc/mounts` when they are 0755 and 0.
  public func differences(_ entry: Entry) -> [String] {
    var result: [String] = []
    if entry.type != "hugetlbfs" { result.append("type \(entry.type), not hugetlbfs") }
    if entry.pageSizeKiB != sizeKiB {
      result.append("pagesize=\(entry.value("pagesize") ?? "absent"), not \(sizeText)")
    }
    if let gid {
      if entry.value("gid") != "\(gid)" { result.append("gid=\(entry.value("gid") ?? "0"), not \(gid)") }
      let mode = String(Self.groupMode, radix: 8)
      if entry.value("mode") != mode { result.append("mode=\(entry.value("mode") ?? "755"), not \(mode)") }
    }
    return result
  }
}

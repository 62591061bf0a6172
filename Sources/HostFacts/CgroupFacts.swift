import RootFS

/// The cgroup controllers libvirt puts guests in, read as libvirt's `virCgroupNew` detects them:
/// cgroup v2 first (a `cgroup2` mount whose `cgroup.controllers` lists something), then the
/// cgroup v1 mounts for the controllers v2 does not provide.
///
/// The mount table is `/proc/self/mounts` (the live root) or `/proc/mounts` (a fixture's
/// file); mount points are then read under the root. Unlike libvirt, which reads the
/// `cgroup.controllers` of its own process's cgroup, virthost reads the top of the hierarchy:
/// what the kernel offers the whole machine, wherever `virthost` runs.
public struct CgroupFacts: Sendable, Codable, Equatable {
  /// The controllers `virt-host-validate qemu` checks, in its order, by libvirt's names.
  public static let required = ["cpu", "cpuacct", "cpuset", "memory", "devices", "blkio"]

  /// How cgroups are mounted: `v2` (one unified hierarchy with controllers), `v1` (controller
  /// hierarchies only, or with a controller-less `cgroup2` for systemd: "hybrid"), `none`.
  public var layout: Fact<String>
  /// The mount points of cgroup v1 hierarchies, by the controllers they carry (libvirt's names).
  public var v1Mounts: Fact<[String: String]>
  /// The controllers of the cgroup v2 hierarchy, as the kernel names them (`io`, not `blkio`);
  /// `[]` when `cgroup2` is mounted without controllers; unknown when it is not mounted.
  public var v2Controllers: Fact<[String]>
  /// For each of ``required``: whether libvirt finds it, and where.
  public var controllers: [String: Fact<Bool>]

  private enum CodingKeys: String, CodingKey {
    case layout
    case v1Mounts = "v1_mounts"
    case v2Controllers = "v2_controllers"
    case controllers
  }

  static let mountTables = ["/proc/self/mounts", "/proc/mounts"]
  static let releasePath = "/proc/sys/kernel/osrelease"
  /// libvirt's cgroup v1 controller names, looked for among a `cgroup` mount's options.
  static let v1Names = ["cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "net_cls", "perf_event"]

  init(_ root: HostRoot) {
    var table: (path: String, text: String)?
    var problem = ""
    for path in Self.mountTables {
      switch root.textFact(path) {
      case .success(let text):
        table = (path, text)
      case .failure(let reason):
        problem = problem.isEmpty ? reason.description : "\(problem), \(reason)"
        continue
      }
      break
    }
    guard let table else {
      let source = Self.mountTables.joined(separator: ", ")
      layout = .unknown(problem, source: source)
      v1Mounts = .unknown(problem, source: source)
      v2Controllers = .unknown(problem, source: source)
      controllers = Dictionary(uniqueKeysWithValues: Self.required.map { ($0, .unknown(problem, source: source)) })
      return
    }
    let mounts = Self.mounts(table.text)
    var v1: [String: String] = [:]
    for mount in mounts where mount.type == "cgroup" {
      for option in mount.options where Self.v1Names.contains(option) && v1[option] == nil {
        v1[option] = mount.directory
      }
    }
    v1Mounts = .known(v1, source: table.path)
    // libvirt uses the first cgroup2 mount that lists controllers; a bare one (systemd's
    // "unified" in hybrid mode) does not count.
    var v2Folder: String?
    var v2: Fact<[String]> = .unknown("no cgroup2 file system in \(table.path)", source: table.path)
    for mount in mounts where mount.type == "cgroup2" {
      let file = (mount.directory == "/" ? "" : mount.directory) + "/cgroup.controllers"
      let read = root.valueFact(file)
      guard let line = read.value else {
        v2 = .unknown(read.unknown ?? "", source: file)
        continue
      }
      let names = line.split(separator: " ").map(String.init)
      v2 = .known(names, source: file)
      if !names.isEmpty {
        v2Folder = mount.directory
        break
      }
    }
    v2Controllers = v2
    let v2Names = v2Folder == nil ? [] : (v2.value ?? [])
    switch (v2Folder != nil, !v1.isEmpty) {
    case (true, true): layout = .known("hybrid", source: table.path)
    case (true, false): layout = .known("v2", source: table.path)
    case (false, true): layout = .known("v1", source: table.path)
    case (false, false): layout = .known("none", source: table.path)
    }
    let devicesByBPF = Self.devicesByBPF(root)
    var found: [String: Fact<Bool>] = [:]
    for name in Self.required {
      if let folder = v2Folder {
        let file = (folder == "/" ? "" : folder) + "/cgroup.controllers"
        switch name {
        case "cpuacct":
          // cgroup v2 has no cpuacct: cpu.stat always holds the usage libvirt reads.
          found[name] = .known(true, source: "\(file) (cgroup v2 accounts CPU time in cpu.stat)")
          continue
        case "devices":
          // cgroup v2 controls devices with BPF programs (kernel 4.15 and later).
          if devicesByBPF.value == true {
            found[name] = devicesByBPF
            continue
          }
        case "blkio" where v2Names.contains("io"):
          found[name] = .known(true, source: "\(file) (io)")
          continue
        default:
          if v2Names.contains(name) {
            found[name] = .known(true, source: file)
            continue
          }
        }
      }
      if let directory = v1[name] {
        found[name] = .known(true, source: "\(table.path): cgroup \(directory)")
      } else if v2Folder != nil, name == "devices", devicesByBPF.value == nil {
        found[name] = devicesByBPF
      } else {
        found[name] = .known(false, source: table.path)
      }
    }
    controllers = found
  }

  /// Whether cgroup v2 can control devices: BPF device programs exist from kernel 4.15 on.
  private static func devicesByBPF(_ root: HostRoot) -> Fact<Bool> {
    let release = root.valueFact(releasePath)
    guard let text = release.value else { return .unknown(release.unknown ?? "", source: releasePath) }
    let parts = text.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
    guard parts.count == 2 else {
      return .unknown("\(releasePath) holds \"\(text)\", not a kernel release", source: releasePath)
    }
    let source = "\(releasePath) (cgroup v2 controls devices by BPF from kernel 4.15)"
    return .known(parts[0] > 4 || (parts[0] == 4 && parts[1] >= 15), source: source)
  }

  /// One line of a mount table.
  struct Mount: Equatable {
    var directory: String
    var type: String
    var options: [String]
  }

  /// The mounts of a `/proc/mounts` text: device, folder (octal escapes such as `\040` decoded),
  /// type, options.
  static func mounts(_ text: String) -> [Mount] {
    text.split(separator: "\n").compactMap { line in
      let fields = line.split(separator: " ")
      guard fields.count >= 4 else { return nil }
      return Mount(
        directory: unescape(fields[1]), type: String(fields[2]),
        options: fields[3].split(separator: ",").map(String.init))
    }
  }

  /// A mount table field with its `\NNN` octal escapes decoded.
  static func unescape(_ field: Substring) -> String {
    var bytes: [UInt8] = []
    let raw = Array(field.utf8)
    var index = 0
    while index < raw.count {
      if raw[index] == UInt8(ascii: "\\"), index + 4 <= raw.count,
        let value = UInt8(String(decoding: raw[(index + 1)..<(index + 4)], as: UTF8.self), radix: 8)
      {
        bytes.append(value)
        index += 4
      } else {
        bytes.append(raw[index])
        index += 1
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}

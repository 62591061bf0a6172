import RootFS

/// Whether KVM is usable: its device and the vendor's kernel module.
public struct KVMFacts: Sendable, Codable, Equatable {
  /// Whether `/dev/kvm` exists: a character device on a live host; under a fixture root,
  /// an empty regular file `dev/kvm` stands for it. Unknown when the root has no `/dev`
  /// at all (an offline image, whose `/dev` is filled only at boot).
  public var device: Fact<Bool>
  /// The KVM module for the CPU's vendor: `kvm_amd`, `kvm_intel`, or `kvm` for another vendor.
  public var module: Fact<String>
  /// Whether `module` is loaded: listed in `/proc/modules`, or built in (`/sys/module/<module>`
  /// present without a `/proc/modules` line).
  public var moduleLoaded: Fact<Bool>

  private enum CodingKeys: String, CodingKey {
    case device
    case module
    case moduleLoaded = "module_loaded"
  }

  static let devicePath = "/dev/kvm"
  static let modules = "/proc/modules"

  /// Reads `/dev/kvm` and the vendor's module of the host at `root` whose processors `cpu`
  /// describes; `/dev/kvm` as `devices` found it (the one reader of device nodes), read now
  /// when not given.
  public init(_ root: HostRoot, cpu: CPUFacts, devices: DeviceNodeFacts? = nil) {
    let node = (devices ?? DeviceNodeFacts(root, as: .caller)).kvm
    switch node.present.value {
    case nil: device = .unknown(node.present.unknown ?? "", source: Self.devicePath)
    case false?: device = .known(false, source: Self.devicePath)
    case true?:
      device =
        ["character device", "regular file"].contains(node.kind.value ?? "")
        ? .known(true, source: Self.devicePath)
        : .unknown("\(Self.devicePath) is neither a device nor a file", source: Self.devicePath)
    }
    module = cpu.vendor.map { vendor in
      switch vendor {
      case .amd: "kvm_amd"
      case .intel: "kvm_intel"
      case .unknown: "kvm"
      }
    }
    guard let name = module.value else {
      moduleLoaded = .unknown(module.unknown ?? "", source: Self.modules)
      return
    }
    let listed = root.factText(Self.modules).map { text in
      text.split(separator: "\n").contains { $0.split(separator: " ").first.map(String.init) == name }
    }
    let builtIn = "/sys/module/\(name)"
    switch listed {
    case .success(true): moduleLoaded = .known(true, source: Self.modules)
    case .success(false):
      moduleLoaded =
        root.isDirectory(builtIn) ? .known(true, source: builtIn) : .known(false, source: Self.modules)
    case .failure(let problem):
      moduleLoaded =
        root.isDirectory(builtIn)
        ? .known(true, source: builtIn)
        : .unknown("\(problem.factReason) and \(builtIn) not found", source: Self.modules)
    }
  }
}

import RootFS

/// KVM's kernel modules as they run: which vendor module is loaded and the live values of
/// the parameters of `kvm` and of that module (`/sys/module/<module>/parameters/*`).
public struct KVMModuleFacts: Sendable, Codable, Equatable {
  /// `kvm_intel` or `kvm_amd`, whichever has a `/sys/module` folder; unknown when neither.
  public var vendorModule: Fact<String>
  /// The live parameters of each module present among `kvm`, `kvm_intel` and `kvm_amd`, by
  /// module then parameter (`kvm_intel` → `nested` → `Y`); `[:]` when none is; unknown
  /// without `/sys/module`.
  public var parameters: Fact<[String: [String: String]]>

  private enum CodingKeys: String, CodingKey {
    case vendorModule = "vendor_module"
    case parameters
  }

  /// The modules read.
  public static let modules = ["kvm", "kvm_intel", "kvm_amd"]

  /// Reads the modules' folders under `root`.
  public init(_ root: HostRoot) {
    let vendors = ["kvm_intel", "kvm_amd"]
    if let loaded = vendors.first(where: { root.isDirectory("/sys/module/\($0)") }) {
      vendorModule = .known(loaded, source: "/sys/module/\(loaded)")
    } else {
      vendorModule = .unknown("neither kvm_intel nor kvm_amd is loaded", source: "/sys/module")
    }
    let source = "/sys/module/{kvm,kvm_intel,kvm_amd}/parameters"
    guard root.isDirectory("/sys/module") else {
      parameters = .unknown("/sys/module not found", source: source)
      return
    }
    var values: [String: [String: String]] = [:]
    for module in Self.modules {
      let folder = "/sys/module/\(module)/parameters"
      guard root.isDirectory(folder) else { continue }
      var parameters: [String: String] = [:]
      for name in root.listIfPresent(folder) {
        if let value = try? root.value("\(folder)/\(name)") { parameters[name] = value }
      }
      values[module] = parameters
    }
    parameters = .known(values, source: source)
  }

  /// The live value of `module`'s `parameter`, `nil` when the module is not loaded or lacks it.
  public func live(_ module: String, _ parameter: String) -> String? {
    parameters.value?[module]?[parameter]
  }
}

import HostConfig
import Yams

/// `modules: {load: [vhost_net, vhost_vsock]}`: kernel modules loaded at every boot, from
/// virthost's own modules-load.d file (``ModulesLoadProvider``), and now on the live host
/// (``LoadedModulesProvider``, the effect `check` reads). A module built into the next
/// kernel is left out of the file with a note: it is in effect without loading.
enum ModulesFeature: Feature {
  static let keys = ["modules"]

  /// The block.
  struct Section: FeatureSection, Equatable {
    /// `load`: the modules, as written, in order.
    var load: [String] = []
  }

  static func parse(_ key: String, _ value: Node, into spec: inout HostSpec, _ reader: inout SpecParser.Reader) {
    var section = Section()
    for (_, _, list) in reader.entries(value, key, known: ["load"]) {
      for (name, item) in reader.list(list, "modules.load") {
        if let problem = ModuleOptionRules.moduleProblem(name) {
          reader.error(item, "modules.load.\(name)", problem)
        } else if section.load.contains(where: { ModuleOptionRules.sameModule($0, name) }) {
          reader.error(item, "modules.load.\(name)", "is listed twice")
        } else {
          section.load.append(name)
        }
      }
    }
    spec.sections[key] = section
  }

  static func facts(_ spec: HostSpec) -> Set<FeatureFact> { spec.modules == nil ? [] : [.nextKernel] }

  static func expand(_ expansion: inout Expansion, into wants: inout Wants) -> [any ResourceProvider] {
    guard let modules = expansion.spec.modules else { return [] }
    let kernel = expansion.nextKernel ?? PassthroughKernel.unknown
    var load: [String] = []
    for name in modules.load {
      guard kernel.isBuiltIn(driver: name) == true else {
        load.append(name)
        continue
      }
      expansion.diagnostics.append(
        Diagnostic(
          .note, .moduleBuiltIn,
          "\(name) is built into the next kernel (\(kernel.release ?? "unknown")): it is in effect without loading",
          detail: "\(ModulesLoadProvider.path) leaves it out.", keyPath: "modules.load"))
    }
    return [ModulesLoadProvider(modules: load), LoadedModulesProvider(modules: load)]
  }
}

extension HostSpec {
  /// `modules:`, or `nil` when absent.
  var modules: ModulesFeature.Section? { section("modules") }
}

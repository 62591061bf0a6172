import Editors
import HostConfig

/// The `kernel_module["NAME"]` resources: whether each module `modules.load` lists is loaded
/// in the running kernel (`/sys/module/NAME`), the effect `check` reads. On the live host a
/// module that is not loaded is loaded now, after the files (`modprobe NAME`); on another
/// root whose running kernel's files are there, it is noted as loading at the next boot
/// (`module-not-loaded`, pending); where they are not, nothing is said.
struct LoadedModulesProvider: ResourceProvider {
  /// The running kernel's modules, one folder each.
  static let folder = "/sys/module"

  /// The modules, in order.
  var modules: [String]

  var origin: String { "modules.load" }

  func changes(in context: PlanContext) -> [ResourceChange] {
    guard !modules.isEmpty, context.host.status(Self.folder) != nil else { return [] }
    let loaded = Set(context.host.listIfPresent(Self.folder))
    context.observe(.live(Self.folder), loaded.sorted().joined(separator: "\n"))
    return modules.map { name in
      let address = ResourceAddress(.kernelModule, ModuleOptionRules.normal(name))
      let isLoaded = loaded.contains(ModuleOptionRules.normal(name))
      let load = !isLoaded && context.isLive
      var change = ResourceChange(
        address, actions: load ? [.load] : [], before: isLoaded ? "loaded" : "not loaded", after: "loaded",
        reason: "modules.load loads \(name)", origin: origin)
      if load {
        change.operations = [.runAfterFiles(HostCommand(["modprobe", name], role: .afterWrite))]
      } else if !isLoaded {
        context.report(
          Diagnostic(
            .note, .moduleNotLoaded, "\(name) is not loaded: it loads at the next boot",
            detail: "The root is not /: load it on the host with `modprobe \(name)`.", address: address,
            keyPath: "modules.load"))
      }
      return change
    }
  }
}

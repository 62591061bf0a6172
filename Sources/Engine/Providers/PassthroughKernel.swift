import Foundation
import HostFacts
import RootFS
import Spawn

/// The kernel the next boot starts, as `passthrough:` needs it: its `CONFIG_VFIO*` options
/// and its built-in modules (`/boot/config-<release>`, `/lib/modules/<release>/modules.builtin`);
/// when that configuration is missing and the next kernel is the running one, `/proc/config.gz`.
/// A module built in is never loaded from modules-load.d and reads no modprobe.d option.
/// Read by the planner (once, into the facts digest) only when the desired state has `passthrough:`.
struct PassthroughKernel {
  /// The next boot's release (the newest `/boot/vmlinuz-*`, else the running one), when known.
  var release: String?
  /// Its build, or the reason it cannot be read.
  var build: Result<KernelBuildConfig, KernelBuildConfig.Unreadable>

  /// The modules vfio-pci needs, with the option that builds each.
  static let modules = [
    ("vfio", "CONFIG_VFIO"), ("vfio_iommu_type1", "CONFIG_VFIO_IOMMU_TYPE1"), ("vfio_pci", "CONFIG_VFIO_PCI"),
  ]

  /// A kernel nothing is known of.
  static let unknown = PassthroughKernel(release: nil, build: .failure(.init(reason: "not read")))

  /// Reads the next boot's kernel under `root`.
  static func read(_ root: HostRoot) -> PassthroughKernel {
    let release = TuningFacts.nextBootKernel(root) ?? KernelFacts(root: root).release.value
    guard let release else {
      return PassthroughKernel(release: nil, build: .failure(.init(reason: "no kernel in /boot, none running known")))
    }
    let build = KernelBuildConfig.read(root, release: release)
    guard case .failure = build, release == KernelFacts(root: root).release.value,
      let text = runningConfig(root)
    else { return PassthroughKernel(release: release, build: build) }
    return PassthroughKernel(
      release: release, build: .success(KernelBuildConfig(root, release: release, source: configGz, text: text)))
  }

  /// The running kernel's own configuration (`CONFIG_IKCONFIG_PROC`), gzip-compressed.
  static let configGz = "/proc/config.gz"

  /// `/proc/config.gz` as text, unpacked by `gzip -dc` from a private copy; `nil` when the
  /// root has none or it does not unpack.
  private static func runningConfig(_ root: HostRoot) -> String? {
    guard let bytes = (try? root.readIfPresent(configGz)) ?? nil else { return nil }
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-config-\(UUID().uuidString).gz")
    defer { try? FileManager.default.removeItem(at: copy) }
    guard (try? Data(bytes).write(to: copy, options: .withoutOverwriting)) != nil,
      let outcome = try? ProgramRunner.run(
        "/bin/gzip", ["-dc", copy.path], step: "unpack \(configGz)", timeout: .seconds(10), streams: .separate),
      outcome.status == 0
    else { return nil }
    return outcome.printed
  }

  /// Whether `vfio-pci` is built in (`CONFIG_VFIO_PCI=y`): it then takes `vfio-pci.ids=` from the command line.
  var vfioPCIBuiltIn: Bool { (try? build.get())?.isBuiltIn("CONFIG_VFIO_PCI") ?? false }

  /// The vfio modules to load at boot: those not built in (all of them when the build is unknown).
  var loadableModules: [String] {
    let build = try? build.get()
    return Self.modules.filter { !(build?.isBuiltIn($0.1) ?? false) }.map(\.0)
  }

  /// Whether the driver `name` is built into the next kernel; `nil` when that is unknown.
  func isBuiltIn(driver name: String) -> Bool? { (try? build.get())?.isBuiltInModule(name) }

  /// What the plan depends on, for the facts digest.
  var digestText: String {
    switch build {
    case .failure(let problem): "passthrough kernel \(release ?? "?"): \(problem.reason)"
    case .success(let build):
      "passthrough kernel \(build.release): \(build.vfioOptions.joined(separator: " ")); builtin modules "
        + (build.builtinModules.map { $0.sorted().joined(separator: ",") } ?? "unknown")
    }
  }
}

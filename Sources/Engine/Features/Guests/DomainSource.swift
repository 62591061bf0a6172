import Editors
import Foundation
import HostConfig

/// Where the domains' definitions come from: the files under the root for another root
/// (``DomainFiles``), libvirt's API on the live host (``LibvirtDomains``).
protocol DomainSource {
  /// Every domain's definition, by name, in name order.
  func definitions(in context: PlanContext) throws(EditorError) -> [DomainSourceEntry]
  /// Where apply defines a domain this source read, or why it cannot (said in the plan and the apply).
  func target(in context: PlanContext) -> DomainTarget
}

/// One domain's definition as a source holds it.
struct DomainSourceEntry {
  /// The domain's name.
  var name: String
  /// Where libvirt keeps the definition (`/etc/libvirt/qemu/web.xml`), for the diff and errors.
  var path: String
  /// The XML: the persistent (inactive) definition.
  var text: String
  /// What the guest runs with now, when it runs (the API source only).
  var running: RunningDomain?
}

/// A running guest as libvirt reports it: the affinity and balloon of the running instance,
/// and its live XML (what it was started with).
struct RunningDomain {
  /// The host CPUs each vCPU may run on, by vCPU number.
  var vcpuPins: [CPUList]
  /// The host CPUs the emulator threads may run on.
  var emulatorPin: CPUList
  /// The live XML's placement (huge pages, numatune, CPU mode, balloon as started).
  var definition: DomainDefinition
}

/// The definitions libvirt's QEMU driver keeps in `/etc/libvirt/qemu/NAME.xml`, read through
/// the root (recorded) and never written: domains are defined through libvirt, on the host.
struct DomainFiles: DomainSource {
  /// libvirt's folder of persistent QEMU domains.
  static let folder = "/etc/libvirt/qemu"

  func definitions(in context: PlanContext) throws(EditorError) -> [DomainSourceEntry] {
    var result: [DomainSourceEntry] = []
    for file in context.host.listIfPresent(Self.folder).filter({ $0.hasSuffix(".xml") }).sorted() {
      let path = "\(Self.folder)/\(file)"
      // Listed, so present: a file that cannot be read is said, never skipped as if absent.
      guard let data = context.readFile(path) else {
        throw EditorError(file: path, message: "cannot be read (libvirt keeps its definitions readable by root only)")
      }
      guard let text = String(data: data, encoding: .utf8) else {
        throw EditorError(file: path, message: "is not UTF-8 text")
      }
      result.append(DomainSourceEntry(name: String(file.dropLast(".xml".count)), path: path, text: text))
    }
    return result
  }

  func target(in context: PlanContext) -> DomainTarget {
    .refused("the root is not /: define on the host, through libvirt (its files are never written)")
  }
}

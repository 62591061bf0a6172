import Editors
import Foundation

/// Where the domains' definitions come from: the files under the root for a plan (here), or
/// libvirt's API on the live host (the libvirt layer, not built in this feature yet). The one
/// seam where the live source plugs in.
protocol DomainSource {
  /// Every domain's definition, by name, in name order.
  func definitions(in context: PlanContext) throws(EditorError) -> [DomainSourceEntry]
  /// Why this source cannot define a domain (said in the plan and the apply).
  func refusal(in context: PlanContext) -> String
}

/// One domain's definition as a source holds it.
struct DomainSourceEntry {
  /// The domain's name.
  var name: String
  /// Where the text was read (`/etc/libvirt/qemu/web.xml`), for the diff and errors.
  var path: String
  /// The XML.
  var text: String
}

/// The definitions libvirt's QEMU driver keeps in `/etc/libvirt/qemu/NAME.xml`, read through
/// the root (recorded) and never written: domains are defined through libvirt.
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

  func refusal(in context: PlanContext) -> String {
    context.isLive
      ? "defining domains through libvirt's API is not built yet (virsh define does it)"
      : "the root is not /: define on the host, through libvirt (its files are never written)"
  }
}

import Augeas
import Foundation
import HostConfig

/// One libvirt domain definition (`/etc/libvirt/qemu/NAME.xml`, or what `virsh dumpxml
/// --inactive` prints) read with Augeas's shipped `Xml.lns`: what it says of its placement
/// (``definition()``), and its text with the elements virthost owns changed (``edited(_:)``),
/// every other byte as it was.
///
/// It never writes: domains are defined through libvirt, not by writing its files. Not
/// `Sendable`: it owns an `AugeasTree`.
public final class DomainXML {
  /// The shipped lens.
  public static let lens = "Xml.lns"
  /// The file the text came from, for errors.
  public let file: String
  /// The text as read.
  public let text: String
  let tree: AugeasTree
  static let node = "/domain-xml"
  let domain = "/domain-xml/domain"
  /// One level of indentation, as the file's first child of `<domain>` is indented.
  let step: String

  /// Parses `text`, the definition read from `file`.
  ///
  /// - Throws: ``EditorError`` naming the file, the line and what is wrong when the lens does
  ///   not accept the text or it holds no `<domain>` element.
  public init(text: String, file: String) throws(EditorError) {
    self.file = file
    self.text = text
    do {
      tree = try AugeasTree(root: "/", transforms: [])
      try tree.parseText(text, lens: Self.lens, into: Self.node)
    } catch {
      throw EditorError(text: error, file: file)
    }
    let first = (try? tree.get(domain + "/#text[1]")) ?? nil
    let indent = first.map { String($0.drop { $0 == "\n" || $0 == "\r" }) } ?? ""
    step = indent.isEmpty ? "  " : indent
    guard (try? tree.exists(domain)) == true else {
      throw EditorError(
        file: file, line: 1, message: "holds no <domain> element: it is not a libvirt domain definition")
    }
  }

  /// What the definition says of its placement.
  ///
  /// - Throws: ``EditorError`` at the element's line for a size that is not a number with a
  ///   unit libvirt knows.
  public func definition() throws(EditorError) -> DomainDefinition {
    var result = DomainDefinition()
    do {
      result.name = try tree.get(domain + "/name/#text")
      if let vcpu = try tree.get(domain + "/vcpu/#text") {
        guard let count = Int(vcpu.trimmingCharacters(in: .whitespaces)), count > 0 else {
          throw problem("vcpu", "<vcpu> must be a positive number of vCPUs, not \"\(vcpu)\"")
        }
        result.vcpus = count
      }
      result.memoryKiB = try size(domain + "/memory", "memory")
      result.currentMemoryKiB = try size(domain + "/currentMemory", "currentMemory")
      for pin in try tree.match(domain + "/cputune/vcpupin") {
        if let vcpu = try tree.get(pin + "/#attribute/vcpu").flatMap({ Int($0) }),
          let cpuset = try tree.get(pin + "/#attribute/cpuset")
        {
          result.vcpuPins[vcpu] = cpuset
        }
      }
      result.emulatorPin = try tree.get(domain + "/cputune/emulatorpin/#attribute/cpuset")
      result.memoryMode = try tree.get(domain + "/numatune/memory/#attribute/mode")
      result.memoryNodeset = try tree.get(domain + "/numatune/memory/#attribute/nodeset")
      result.hugePages = try tree.exists(domain + "/memoryBacking/hugepages")
      for page in try tree.match(domain + "/memoryBacking/hugepages/page") {
        if let kib = try size(page, "page", attribute: "size") { result.hugePageSizesKiB.append(kib) }
      }
      result.cpuMode = try tree.get(domain + "/cpu/#attribute/mode")
      for name in DomainTuning.limitNames {
        if let kib = try size(domain + "/memtune/" + name, name) { result.limitsKiB[name] = kib }
      }
      result.manager = try manager()
    } catch let error as EditorError {
      throw error
    } catch {
      throw EditorError(file: file, message: "\(error)")
    }
    return result
  }

  /// The manager named by the definition's `metadata`: the namespaces nova, vdsm and
  /// virt-launcher write their records in.
  private func manager() throws(AugeasError) -> String? {
    for child in try tree.match(domain + "/metadata/*") {
      let label = try tree.label(child) ?? ""
      let namespaces = try tree.children(of: child + "/#attribute").compactMap(\.value)
      for (mark, name) in Self.managers
      where label.lowercased().hasPrefix(mark.label) || namespaces.contains(where: { $0.contains(mark.namespace) }) {
        return name
      }
    }
    return nil
  }

  /// The managers that regenerate a domain's definition, by the metadata element's prefix
  /// and namespace they write.
  static let managers: [(mark: (label: String, namespace: String), name: String)] = [
    (("nova:", "openstack.org/xmlns/libvirt/nova"), "OpenStack nova"),
    (("ovirt", "ovirt.org/"), "oVirt (vdsm)"),
    (("kubevirt", "kubevirt.io"), "KubeVirt (virt-launcher)"),
  ]

  /// The size at `path` (its text, or `attribute`) with its `unit`, in KiB; `nil` when absent.
  private func size(_ path: String, _ element: String, attribute: String? = nil) throws -> Int? {
    let value = try attribute.map { try tree.get(path + "/#attribute/" + $0) } ?? tree.get(path + "/#text")
    guard let value else { return nil }
    let unit = try tree.get(path + "/#attribute/unit") ?? "KiB"
    guard let number = Int(value.trimmingCharacters(in: .whitespaces)), number >= 0,
      let kib = Self.kibibytes(number, unit: unit)
    else {
      throw problem(element, "<\(element)> must be a size with a unit libvirt knows, not \"\(value)\" \(unit)")
    }
    return kib
  }

  /// `number` `unit` (libvirt's units: `b`, `KB`, `KiB`, `MiB`…) in KiB, rounded up; `nil` for an unknown unit.
  static func kibibytes(_ number: Int, unit: String) -> Int? {
    let bytes: [String: Int] = [
      "b": 1, "bytes": 1, "KB": 1000, "k": 1024, "KiB": 1024, "MB": 1_000_000, "M": 1 << 20, "MiB": 1 << 20,
      "GB": 1_000_000_000, "G": 1 << 30, "GiB": 1 << 30, "TB": 1_000_000_000_000, "T": 1 << 40, "TiB": 1 << 40,
    ]
    guard let factor = bytes[unit] else { return nil }
    let (total, overflow) = number.multipliedReportingOverflow(by: factor)
    return overflow ? nil : (total + 1023) / 1024
  }

  /// An error at the line of the first `<element` in the text.
  func problem(_ element: String, _ message: String) -> EditorError {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    let line = lines.firstIndex { $0.contains("<\(element)>") || $0.contains("<\(element) ") }.map { $0 + 1 }
    return EditorError(file: file, line: line, message: message)
  }
}

import Foundation
import Libvirt

/// A private instance of libvirt's built-in test driver: `test:///PATH` on a copy of
/// `Fixtures/node.xml`, so each test has its own domains (`test:///default` is shared by every
/// connection of the process) and no daemon runs.
struct LibvirtTestDriver {
  let uri: String

  init() throws {
    let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/node.xml")
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent(
      "virthost-libvirt-\(UUID().uuidString).xml")
    try FileManager.default.copyItem(at: source, to: copy)
    uri = "test://" + copy.path
  }

  func open(readOnly: Bool = false) throws -> LibvirtConnection {
    try LibvirtConnection(uri: uri, readOnly: readOnly)
  }
}

/// A small persistent domain for define tests, named `name`.
func domainXML(name: String, uuid: String, vcpus: Int = 1, memoryKiB: Int = 32768) -> String {
  """
  <domain type='test'>
    <name>\(name)</name>
    <uuid>\(uuid)</uuid>
    <memory unit='KiB'>\(memoryKiB)</memory>
    <vcpu placement='static'>\(vcpus)</vcpu>
    <os><type arch='x86_64'>hvm</type></os>
  </domain>
  """
}

import Editors
import Foundation
import TestSupport
import Testing

/// libvirt itself as the oracle of ``DomainXML``'s edits: its test driver (`test:///default`,
/// no daemon) validates the edited definition against its schema (`define --validate`) and
/// formats it back (`dumpxml --inactive`); the elements virthost owns come back as written,
/// quotes aside (libvirt writes single quotes, Xml.lns new attributes double).
@Suite struct DomainXMLOracleTests {
  static let virsh = ["/usr/bin/virsh", "/bin/virsh"].first { FileManager.default.isExecutableFile(atPath: $0) }

  /// The lines from `<memory` to `</numatune>`: every element virthost owns but `cpu`.
  static func owned(_ text: String) -> [String] {
    let lines = text.split(separator: "\n").map(String.init)
    guard let start = lines.firstIndex(where: { $0.hasPrefix("  <memory ") }),
      let end = lines.firstIndex(where: { $0 == "  </numatune>" })
    else { return [] }
    return lines[start...end].map { $0.replacingOccurrences(of: "\"", with: "'") }
  }

  @Test(.enabled(if: virsh != nil, "libvirt's virsh is not installed"))
  func libvirtAcceptsTheEditedDefinitionAndFormatsTheOwnedElementsTheSame() throws {
    let text = try DomainXMLTests.text(DomainXMLTests.qemu + "db.xml")
    var tuning = DomainXMLTests.webTuning
    tuning.vcpuPins = ["2", "3", "6", "7"]
    tuning.memoryNodeset = "1"
    let edited = try DomainXML(text: text, file: "db.xml").edited(tuning)
    let file = NSTemporaryDirectory() + "virthost-domain-\(UUID().uuidString).xml"
    try Data(edited.utf8).write(to: URL(fileURLWithPath: file))
    defer { try? FileManager.default.removeItem(atPath: file) }
    let run = try ProgramRun.run(
      Self.virsh!, ["-c", "test:///default", "define --validate \(file); dumpxml --inactive db"])
    #expect(run.status == 0, "\(run.transcript)")
    let formatted = Self.owned(run.output)
    #expect(!formatted.isEmpty)
    #expect(formatted == Self.owned(edited))
    #expect(run.output.contains("  <cpu mode='host-passthrough' check='partial'/>\n"))
  }
}

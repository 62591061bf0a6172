import Editors
import Foundation
import TestSupport
import Testing

/// Issue 36: libvirt domain definitions read and edited with Augeas's shipped Xml.lns, only
/// the elements virthost owns changed, on libvirt 9.0's own output.
@Suite struct DomainXMLTests {
  static let qemu = "examples/numa-pinned/root/etc/libvirt/qemu/"

  static func text(_ relative: String) throws -> String {
    try String(contentsOf: FixtureRoot.repository.appendingPathComponent(relative), encoding: .utf8)
  }

  /// The tuning the example's web guest gets, with a balloon and limits beside.
  static var webTuning: DomainTuning {
    var tuning = DomainTuning()
    tuning.vcpuPins = ["1", "5"]
    tuning.emulatorPin = "0,4"
    tuning.memoryNodeset = "0"
    tuning.memoryMode = "strict"
    tuning.hugePageSizeKiB = 1_048_576
    tuning.cpuMode = "host-passthrough"
    tuning.limits = [
      .init(name: "hard_limit", kibibytes: 5_242_880), .init(name: "min_guarantee", kibibytes: 1_048_576),
    ]
    tuning.currentMemoryKiB = 3_145_728
    return tuning
  }

  @Test func aDefinitionWithoutTuningGetsEveryElementIndentedWhereLibvirtWritesIt() throws {
    let text = try Self.text(Self.qemu + "web.xml")
    let edited = try DomainXML(text: text, file: "/etc/libvirt/qemu/web.xml").edited(Self.webTuning)
    #expect(edited == (try Golden.text("Tests/EditorsTests/Fixtures/guests/expected/web.xml", recording: edited)))
    // Every line of the original is still there, in order: only lines were added or changed in place.
    let kept = text.split(separator: "\n").filter { !$0.contains("currentMemory") && !$0.contains("<cpu ") }
    var remaining = edited.split(separator: "\n")[...]
    for line in kept {
      let index = try #require(remaining.firstIndex(of: line), "\(line) kept")
      remaining = remaining[(index + 1)...]
    }
  }

  @Test func existingContainersKeepTheirOtherChildrenAndTheCommentAbove() throws {
    let text = try Self.text(Self.qemu + "db.xml")
    var tuning = DomainTuning()
    tuning.vcpuPins = ["2", "3", "6", "7"]
    tuning.hugePageSizeKiB = 1_048_576
    let edited = try DomainXML(text: text, file: "/etc/libvirt/qemu/db.xml").edited(tuning)
    #expect(edited.hasPrefix("<!--\nWARNING: THIS IS AN AUTO-GENERATED FILE."))
    #expect(
      edited.contains(
        """
          <memoryBacking>
            <hugepages>
              <page size="1048576" unit="KiB"/>
            </hugepages>
            <nosharepages/>
          </memoryBacking>
          <vcpu placement='static'>4</vcpu>
          <cputune>
            <shares>2048</shares>
            <vcpupin vcpu="0" cpuset="2"/>
            <vcpupin vcpu="1" cpuset="3"/>
            <vcpupin vcpu="2" cpuset="6"/>
            <vcpupin vcpu="3" cpuset="7"/>
          </cputune>

        """))
  }

  @Test func anEditedDefinitionReadsBackAndAgainChangesNothing() throws {
    let text = try Self.text(Self.qemu + "web.xml")
    let edited = try DomainXML(text: text, file: "web.xml").edited(Self.webTuning)
    let again = try DomainXML(text: edited, file: "web.xml")
    #expect(try again.edited(Self.webTuning) == edited)
    #expect(try DomainXML(text: text, file: "web.xml").edited(DomainTuning()) == text)
    let definition = try again.definition()
    #expect(definition.vcpuPins == [0: "1", 1: "5"])
    #expect(definition.emulatorPin == "0,4")
    #expect(definition.memoryNodeset == "0" && definition.memoryMode == "strict")
    #expect(definition.hugePageSizesKiB == [1_048_576])
    #expect(definition.cpuMode == "host-passthrough")
    #expect(definition.limitsKiB == ["hard_limit": 5_242_880, "min_guarantee": 1_048_576])
    #expect(definition.currentMemoryKiB == 3_145_728 && definition.memoryKiB == 4_194_304)
    #expect(definition.vcpus == 2 && definition.name == "web" && definition.manager == nil)
  }

  @Test func fewerVCPUsDropThePinsOfTheOnesGoneAndKeepTheRestInPlace() throws {
    let text = try Self.text(Self.qemu + "db.xml")
    var four = DomainTuning()
    four.vcpuPins = ["2", "3", "6", "7"]
    let pinned = try DomainXML(text: text, file: "db.xml").edited(four)
    var two = DomainTuning()
    two.vcpuPins = ["2", "6"]
    let edited = try DomainXML(text: pinned, file: "db.xml").edited(two)
    #expect(
      edited.contains(
        "  <cputune>\n    <shares>2048</shares>\n    <vcpupin vcpu=\"0\" cpuset=\"2\"/>\n"
          + "    <vcpupin vcpu=\"1\" cpuset=\"6\"/>\n  </cputune>\n"))
  }

  @Test func novasMetadataNamesTheManager() throws {
    let text = try Self.text("Tests/EditorsTests/Fixtures/guests/nova-instance.xml")
    #expect(try DomainXML(text: text, file: "x.xml").definition().manager == "OpenStack nova")
  }

  @Test func aDefinitionTheLensRefusesIsAnErrorAtItsLine() throws {
    let error = #expect(throws: EditorError.self) {
      // An attribute value without its closing quote: Augeas stops on its line. (For tags that
      // do not match, Xml.lns fails on the element that opens them, and Augeas names that line.)
      _ = try DomainXML(
        text: "<domain type='kvm'>\n  <name>web</name>\n  <vcpu placement='static>2</vcpu>\n</domain>\n",
        file: "/etc/libvirt/qemu/web.xml")
    }
    #expect(error?.file == "/etc/libvirt/qemu/web.xml")
    #expect(error?.line == 3, "\(String(describing: error))")
    #expect(error?.message.hasPrefix("cannot be parsed") == true)
  }

  @Test func aVCPUCountThatIsNoNumberIsAnErrorAtItsLine() throws {
    let xml = try DomainXML(
      text: "<domain type='kvm'>\n  <name>web</name>\n  <vcpu>two</vcpu>\n</domain>\n", file: "web.xml")
    let error = #expect(throws: EditorError.self) { _ = try xml.definition() }
    #expect(error?.description == "web.xml:3: <vcpu> must be a positive number of vCPUs, not \"two\"")
  }
}

import Augeas
import HostConfig
import Testing

/// The disk targets of a domain's XML, read with Augeas's `Xml.lns`.
@Suite struct DomainDisksTests {
  /// What `virsh -c test:///default dumpxml test` prints (libvirt 9.0.0), cut to its devices.
  static let xml = """
    <domain type='test' id='1'>
      <name>test</name>
      <devices>
        <disk type='file' device='disk'>
          <source file='/guest/diskimage1'/>
          <target dev='vda' bus='virtio'/>
        </disk>
        <disk type='file' device='cdrom'>
          <target dev='sda' bus='sata'/>
          <readonly/>
        </disk>
        <disk type='network' device='disk'/>
        <interface type='network'>
          <target dev='testnet0'/>
        </interface>
      </devices>
    </domain>
    """

  @Test func eachDiskTargetInDocumentOrderAndNoOtherDevicesTarget() throws {
    #expect(try DomainDisks.targets(in: Self.xml) == ["vda", "sda"])
  }

  @Test func aDomainWithoutDisksHasNone() throws {
    #expect(try DomainDisks.targets(in: "<domain type='qemu'><name>tiny</name><devices/></domain>") == [])
  }

  @Test func textThatIsNotXMLIsRefusedWithWhereTheLensStopped() {
    #expect {
      try DomainDisks.targets(in: "<domain><devices></domain>\n")
    } throws: { error in
      let error = try #require(error as? AugeasError)
      return error.code == .textFailed && error.description.hasPrefix("<text>:2:0: cannot be parsed: Syntax error")
    }
  }
}

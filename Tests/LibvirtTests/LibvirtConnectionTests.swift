import Foundation
import Libvirt
import Testing

@Suite struct LibvirtConnectionTests {
  @Test func listsTheDomainsOfTheNodeFileWithNameUUIDStateAndActivity() throws {
    let connection = try LibvirtTestDriver().open()
    let domains = try connection.domains()
    #expect(domains.map(\.name) == ["web"])
    #expect(try domains[0].uuid() == "1b6a2c2e-5d7b-4f1a-9c3e-2a7d0e4b6f10")
    #expect(try domains[0].state() == .running)
    #expect(try domains[0].isActive())
    #expect(try connection.activeDomains().map(\.name) == ["web"])
  }

  @Test func theLiveXMLHasAnIDAndTheInactiveOneHasNone() throws {
    let web = try LibvirtTestDriver().open().domain(named: "web")
    let live = try web.xml()
    let inactive = try web.xml(inactive: true)
    #expect(live.hasPrefix("<domain type='test' id='1'>"))
    #expect(inactive.hasPrefix("<domain type='test'>"))
    #expect(inactive.contains("<target dev='vda' bus='virtio'/>"))
  }

  @Test func defineAddsAnInactiveDomainAndRedefineReplacesItsDefinition() throws {
    let connection = try LibvirtTestDriver().open()
    let uuid = "0f4c3d2b-1a09-4e8d-b7c6-5a4f3e2d1c0b"
    let defined = try connection.define(xml: domainXML(name: "tiny", uuid: uuid))
    #expect(defined.name == "tiny")
    #expect(try defined.state() == .shutoff)
    #expect(try !defined.isActive())
    #expect(try connection.domains().map(\.name).sorted() == ["tiny", "web"])
    #expect(try connection.activeDomains().map(\.name) == ["web"])

    try connection.define(xml: domainXML(name: "tiny", uuid: uuid, vcpus: 2, memoryKiB: 65536))
    let redefined = try connection.domain(named: "tiny").xml(inactive: true)
    #expect(redefined.contains("<vcpu placement='static'>2</vcpu>"))
    #expect(redefined.contains("<memory unit='KiB'>65536</memory>"))
    #expect(try connection.domains().count == 2)
  }

  @Test func defineRefusesXMLLibvirtDoesNotAcceptWithItsMessage() throws {
    let connection = try LibvirtTestDriver().open()
    #expect {
      try connection.define(xml: "<domain type='test'><name>broken</name>")
    } throws: { error in
      let error = try #require(error as? LibvirtError)
      return error.code == .xmlDetail && error.operation == "virDomainDefineXML"
        && error.description.hasPrefix("virDomainDefineXML 'test://")
        && error.description.contains("failed: (domain_definition):1: Premature end of data in tag domain line 1")
    }
    #expect(try connection.domains().map(\.name) == ["web"])
  }

  @Test func defineRefusesAWellFormedDomainWithoutANameAsNoName() throws {
    let connection = try LibvirtTestDriver().open()
    #expect {
      try connection.define(xml: "<domain type='test'><memory>1024</memory></domain>")
    } throws: { error in
      let error = try #require(error as? LibvirtError)
      return error.code == .noName && error.message == "missing name information"
    }
  }

  @Test func anUnknownDomainIsNoDomainNamingIt() throws {
    let connection = try LibvirtTestDriver().open()
    #expect {
      try connection.domain(named: "nosuch")
    } throws: { error in
      let error = try #require(error as? LibvirtError)
      return error.code == .noDomain && error.subject == "nosuch"
        && error.description.hasPrefix("virDomainLookupByName 'nosuch' failed: Domain not found")
    }
  }

  @Test func aReadOnlyConnectionReadsButRefusesADefinition() throws {
    let connection = try LibvirtTestDriver().open(readOnly: true)
    #expect(connection.readOnly)
    #expect(try connection.domains().map(\.name) == ["web"])
    #expect {
      try connection.define(xml: domainXML(name: "tiny", uuid: "0f4c3d2b-1a09-4e8d-b7c6-5a4f3e2d1c0b"))
    } throws: { error in
      let error = try #require(error as? LibvirtError)
      return error.code == .operationDenied && error.message.contains("read only")
    }
  }

  @Test func anUnreachableDaemonIsAnErrorNamingTheURI() throws {
    // A socket path with nothing listening: the remote driver's connect error, no daemon started.
    let socket = FileManager.default.temporaryDirectory.appendingPathComponent(
      "virthost-no-daemon-\(UUID().uuidString)")
    let uri = "qemu+unix:///system?socket=\(socket.path)&no_tty=1"
    #expect {
      try LibvirtConnection(uri: uri, readOnly: true)
    } throws: { error in
      let error = try #require(error as? LibvirtError)
      return error.code == .systemError && error.operation == "virConnectOpenReadOnly" && error.subject == uri
        && error.message.contains(socket.path)
    }
  }

  @Test func theJobCallsOfADriverWithoutJobsAreNoSupport() throws {
    let web = try LibvirtTestDriver().open().domain(named: "web")
    #expect {
      try web.job()
    } throws: { error in
      (error as? LibvirtError)?.code == .noSupport
        && (error as? LibvirtError)?.description
          == "virDomainGetJobStats 'web' failed: this function is not supported by the connection driver: virDomainGetJobStats"
    }
    #expect {
      try web.blockJob(disk: "vda")
    } throws: { error in
      (error as? LibvirtError)?.code == .noSupport && (error as? LibvirtError)?.subject == "web vda"
    }
  }
}

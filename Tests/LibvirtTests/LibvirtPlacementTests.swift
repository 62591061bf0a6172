import Libvirt
import Testing

/// The pin and memory calls on libvirt's test driver, which accepts only flags 0
/// (``LibvirtImpact/current``).
@Suite struct LibvirtPlacementTests {
  @Test func vcpuPinsStartOnEveryHostCPUAndAPinChangesOneVCPU() throws {
    let web = try LibvirtTestDriver().open().domain(named: "web")
    #expect(try web.vcpuPins().map(\.description) == ["0-7", "0-7"])
    try web.pinVcpu(1, to: CPUSet([3, 5], capacity: 8))
    #expect(try web.vcpuPins().map(\.description) == ["0-7", "3,5"])
  }

  @Test func theEmulatorPinChanges() throws {
    let web = try LibvirtTestDriver().open().domain(named: "web")
    #expect(try web.emulatorPin().description == "0-7")
    try web.pinEmulator(to: CPUSet([0, 4], capacity: 8))
    #expect(try web.emulatorPin().description == "0,4")
  }

  @Test func theTestDriverRefusesTheLiveFlagNamingIt() throws {
    let web = try LibvirtTestDriver().open().domain(named: "web")
    #expect {
      try web.pinVcpu(0, to: CPUSet([2], capacity: 8), .live)
    } throws: { error in
      let error = try #require(error as? LibvirtError)
      return error.code == .invalidArgument && error.subject == "web vcpu 0"
        && error.message == "unsupported flags (0x1) in function testDomainPinVcpuFlags"
    }
    #expect(try web.vcpuPins().map(\.description) == ["0-7", "0-7"])
  }

  @Test func aVCPUTheDomainDoesNotHaveIsRefused() throws {
    let web = try LibvirtTestDriver().open().domain(named: "web")
    #expect {
      try web.pinVcpu(5, to: CPUSet([2], capacity: 8))
    } throws: { error in
      (error as? LibvirtError)?.operation == "virDomainPinVcpuFlags"
    }
  }

  @Test func setMemoryChangesTheCurrentMemoryAndRefusesMoreThanTheMaximum() throws {
    let web = try LibvirtTestDriver().open().domain(named: "web")
    try web.setMemory(kibibytes: 524288)
    #expect(try web.xml().contains("<currentMemory unit='KiB'>524288</currentMemory>"))
    #expect {
      try web.setMemory(kibibytes: 4_194_304)
    } throws: { error in
      (error as? LibvirtError)?.code == .invalidArgument
    }
  }

  @Test func onlineCPUsAreTheTestDriversMap() throws {
    let cpus = try LibvirtTestDriver().open().onlineCPUs()
    #expect(cpus.capacity == 8)
    #expect(cpus.description == "0,2,4")
  }

  @Test func aCPUSetDropsNumbersOutsideTheHostAndPrintsRanges() {
    #expect(CPUSet([7, 1, 2, 3, 9, -1, 5], capacity: 8).description == "1-3,5,7")
    #expect(CPUSet([], capacity: 8).description == "")
  }
}

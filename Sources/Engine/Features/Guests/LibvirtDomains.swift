import Editors
import HostConfig
import Libvirt

/// The live host's domains through libvirt's API (`qemu:///system`), on a read-only
/// connection: each domain's persistent (inactive) XML and, for a running guest, its vCPU and
/// emulator affinity and its live XML. Each read is recorded (`domain NAME`), so a saved plan
/// is refused when a domain changed since. Apply defines through the same URI.
struct LibvirtDomains: DomainSource {
  /// libvirt's URI.
  var uri: String
  /// How it is opened.
  var connector = LibvirtConnector.fresh

  func definitions(in context: PlanContext) throws(EditorError) -> [DomainSourceEntry] {
    var result: [DomainSourceEntry] = []
    for read in try reads() {
      var entry = DomainSourceEntry(name: read.name, path: "\(DomainFiles.folder)/\(read.name).xml", text: read.xml)
      var observed = read.xml
      if let live = read.live {
        let definition = try DomainXML(text: live.xml, file: "\(uri) \(read.name) (running)").definition()
        entry.running = RunningDomain(vcpuPins: live.vcpuPins, emulatorPin: live.emulatorPin, definition: definition)
        observed += "\nrunning: \(live.xml)\nvcpus \(live.vcpuPins.map(\.description)) emulator \(live.emulatorPin)"
      }
      context.observe(.domain(read.name), observed)
      result.append(entry)
    }
    return result
  }

  /// One domain as the API answers: its inactive XML and, running, its live XML and affinity.
  struct Read {
    var name: String
    var xml: String
    var live: (xml: String, vcpuPins: [CPUList], emulatorPin: CPUList)?
  }

  /// Every domain, in name order (the plan's source, and `virthost facts` on the live host).
  func reads() throws(EditorError) -> [Read] {
    do {
      let connection = try connector.open(uri, true)
      let impact = LiveDomainCalls.impact(uri)
      var result: [Read] = []
      for domain in try connection.domains().sorted(by: { $0.name < $1.name }) {
        var read = Read(name: domain.name, xml: try domain.xml(inactive: true))
        if try domain.isActive() {
          read.live = (
            try domain.xml(inactive: false), try domain.vcpuPins(impact).map { CPUList($0.cpus) },
            CPUList(try domain.emulatorPin(impact).cpus)
          )
        }
        result.append(read)
      }
      return result
    } catch {
      throw EditorError(file: uri, message: "cannot read the domains through libvirt: \(error)")
    }
  }

  func target(in context: PlanContext) -> DomainTarget { .libvirt(uri: uri) }
}

import Editors
import HostConfig
import HostFacts
import RootFS

/// The placements of the live host's domains as libvirt reports them: the persistent
/// definition of each (what a start gives it), and for a running guest where it runs now.
extension DomainPlacementFacts {
  /// What `virthost facts` shows under Guests on the live host.
  public struct LiveRead: Sendable, Equatable {
    /// The placements; `nil` when libvirt cannot be read and the root has no `/etc/libvirt/qemu`.
    public var guests: [DomainPlacement]?
    /// Why the guests were read from their files instead (whether they run is then not known).
    public var unread: String?
  }

  /// Every domain through libvirt at `uri` (a read-only connection), judged against `facts`;
  /// when libvirt cannot be read, the files under `root` with the reason.
  public static func read(
    _ root: HostRoot, facts: HostFacts, uri: String, connector: LibvirtConnector = .fresh
  ) -> LiveRead {
    let reads: [LibvirtDomains.Read]
    do {
      reads = try LibvirtDomains(uri: uri, connector: connector).reads()
    } catch {
      let files = read(root, facts: facts)
      return LiveRead(guests: files, unread: files == nil ? nil : "\(uri): \(error.message); read from the files")
    }
    return LiveRead(guests: reads.map { placement($0, uri: uri, facts: facts) }, unread: nil)
  }

  /// One domain's placement from what the API answered.
  static func placement(_ read: LibvirtDomains.Read, uri: String, facts: HostFacts) -> DomainPlacement {
    var placement = DomainPlacement(name: read.name, file: "\(DomainFiles.folder)/\(read.name).xml")
    placement.libvirtURI = uri
    placement.running = read.live != nil
    do {
      let definition = try DomainXML(text: read.xml, file: "\(uri) \(read.name)").definition()
      fill(&placement, definition, facts: facts)
      guard let live = read.live else { return placement }
      placement.liveVcpuAffinity = live.vcpuPins.map(\.description)
      placement.liveEmulator = live.emulatorPin.description
      var running = try DomainXML(text: live.xml, file: "\(uri) \(read.name) (running)").definition()
      running.vcpuPins = Dictionary(uniqueKeysWithValues: live.vcpuPins.enumerated().map { ($0, $1.description) })
      running.emulatorPin = live.emulatorPin.description
      placement.findings += offDefinition(definition, live: live.vcpuPins, emulator: live.emulatorPin)
      placement.findings += findings(running, facts: facts).filter { !placement.findings.contains($0) }.map {
        "running: " + $0
      }
    } catch {
      placement.error = "\(error)"
    }
    return placement
  }

  /// Where a running guest's live affinity differs from its definition's pins.
  static func offDefinition(_ definition: DomainDefinition, live: [CPUList], emulator: CPUList) -> [String] {
    var result: [String] = []
    for (vcpu, cpus) in live.enumerated() {
      guard let pinned = definition.vcpuPins[vcpu], let wanted = try? CPUList(parsing: pinned), wanted != cpus
      else { continue }
      result.append("running: vCPU \(vcpu) on \(cpus), its definition pins it to \(wanted)")
    }
    if let pinned = definition.emulatorPin, let wanted = try? CPUList(parsing: pinned), wanted != emulator {
      result.append("running: the emulator on \(emulator), its definition pins it to \(wanted)")
    }
    return result
  }
}

import Foundation
import HostConfig
import Libvirt

/// The steps that define domains and change running guests through libvirt's API: the only
/// way virthost changes a domain (its files under `/etc/libvirt/qemu` are libvirt's).
enum DomainSteps {
  /// Defines `change`'s new XML (`virDomainDefineXML`, read-write connection) once the domain's
  /// inactive XML is still the one the plan read (its digest); else refused, nothing defined.
  /// Returns the inactive XML libvirt holds after it.
  @discardableResult
  static func define(_ change: DomainDefinitionChange, uri: String, _ connector: LibvirtConnector) throws -> String {
    do {
      let connection = try connector.open(uri, false)
      let now = try connection.domain(named: change.name).xml(inactive: true)
      guard Digest(of: now) == change.xml.beforeDigest else {
        throw DomainStepError(
          description: "domain \(change.name) changed since the plan (its inactive XML at \(uri) is "
            + "\(Digest(of: now)), the plan read \(change.xml.beforeDigest)); nothing defined: plan again")
      }
      guard let after = change.xml.after, let text = String(data: after, encoding: .utf8) else {
        throw DomainStepError(description: "domain \(change.name): the plan has no XML to define; plan again")
      }
      return try connection.define(xml: text).xml(inactive: true)
    } catch let error as DomainStepError {
      throw error
    } catch {
      throw DomainStepError(description: "cannot define domain \(change.name): \(error); nothing defined")
    }
  }

  /// Defines `xml` for domain `name` (rollback's redefinition of the XML it had before the apply).
  static func redefine(_ name: String, xml: String, uri: String, _ connector: LibvirtConnector) throws {
    do {
      _ = try connector.open(uri, false).define(xml: xml)
    } catch {
      throw DomainStepError(description: "cannot define domain \(name) again: \(error)")
    }
  }

  /// The inactive XML of domain `name` now, and whether it runs.
  static func current(_ name: String, uri: String, _ connector: LibvirtConnector) throws -> (xml: String, running: Bool)
  {
    do {
      let domain = try connector.open(uri, true).domain(named: name)
      return (try domain.xml(inactive: true), try domain.isActive())
    } catch {
      throw DomainStepError(description: "cannot read domain \(name) at \(uri): \(error)")
    }
  }

  /// Changes one setting of a running guest with the live flag (``LiveDomainCalls``).
  static func change(_ change: RunningDomainChange, _ connector: LibvirtConnector) throws {
    let impact = LiveDomainCalls.impact(change.uri)
    do {
      let connection = try connector.open(change.uri, false)
      let domain = try connection.domain(named: change.domain)
      switch change.setting {
      case .vcpuPin(let vcpu): try domain.pinVcpu(vcpu, to: try cpus(change.after, connection), impact)
      case .emulatorPin: try domain.pinEmulator(to: try cpus(change.after, connection), impact)
      case .balloon:
        guard let kibibytes = UInt(change.after) else {
          throw DomainStepError(description: "\(change.words): '\(change.after)' is not a number of KiB")
        }
        try domain.setMemory(kibibytes: kibibytes, impact)
      }
    } catch let error as DomainStepError {
      throw error
    } catch {
      throw DomainStepError(description: "cannot \(change.words): \(error)")
    }
  }

  /// The CPU set of the list `text` on the host of `connection`.
  private static func cpus(_ text: String, _ connection: LibvirtConnection) throws -> CPUSet {
    let list = try CPUList(parsing: text)
    let online = try connection.onlineCPUs()
    guard list.cpus.allSatisfy({ $0 < online.capacity }) else {
      throw DomainStepError(description: "CPUs \(text) are not all on this host (its CPUs: \(online))")
    }
    return CPUSet(list.cpus, capacity: online.capacity)
  }
}

/// Why a domain step failed, in one sentence.
struct DomainStepError: Error, CustomStringConvertible {
  var description: String
}

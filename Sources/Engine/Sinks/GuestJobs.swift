import Augeas
import HostConfig
import Libvirt

/// A job of a running guest that a restart of the QEMU driver's daemon would interrupt: a
/// migration, a save, a dump, a snapshot, or a block job on one of its disks.
public struct GuestJob: Sendable, Equatable, CustomStringConvertible {
  /// The domain's name.
  public var domain: String
  /// The job in words: `outgoing migration`, `block copy on vda`.
  public var job: String

  /// A job of `domain`.
  public init(domain: String, job: String) {
    self.domain = domain
    self.job = job
  }

  /// `guest 'web' runs an outgoing migration`.
  public var description: String {
    "guest '\(domain)' runs \(job.first.map { "aeiou".contains($0) } == true ? "an" : "a") \(job)"
  }
}

/// Asks the QEMU driver's daemon which running guests have a job now: what the daemon's restart
/// must wait for (docs/libvirt.md, "Restarts"). The planner asks it on the live host only; tests
/// give it libvirt's test driver or a fixture.
public protocol GuestJobSource: Sendable {
  /// The jobs of the running guests, none when no job runs.
  /// - Throws: a sentence saying why the daemon could not be asked.
  func jobs() throws(GuestJobQueryError) -> [GuestJob]
}

/// Why the daemon could not be asked for its guests' jobs.
public struct GuestJobQueryError: Error, Sendable, Equatable {
  /// One sentence: the URI and libvirt's message.
  public var reason: String

  /// An error saying `reason`.
  public init(_ reason: String) { self.reason = reason }
}

/// The live source: libvirt's API at `uri` (`qemu:///system`), opened read-only. For each
/// running domain its job (`virDomainGetJobStats`) and the block job of each disk of its XML
/// (`virDomainGetBlockJobInfo`); a driver without jobs (`VIR_ERR_NO_SUPPORT`, the test
/// driver) has none.
public struct LibvirtGuestJobs: GuestJobSource {
  /// The daemon's URI.
  public var uri: String

  /// The source for the daemon at `uri`.
  public init(uri: String = "qemu:///system") { self.uri = uri }

  public func jobs() throws(GuestJobQueryError) -> [GuestJob] {
    let domains: [LibvirtDomain]
    do throws(LibvirtError) {
      domains = try LibvirtConnection(uri: uri, readOnly: true).activeDomains()
    } catch {
      throw asked(error)
    }
    var found: [GuestJob] = []
    for domain in domains { found += try jobs(of: domain) }
    return found
  }

  private func jobs(of domain: LibvirtDomain) throws(GuestJobQueryError) -> [GuestJob] {
    var found: [GuestJob] = []
    let xml: String
    do throws(LibvirtError) {
      if let job = try Self.unlessUnsupported({ () throws(LibvirtError) in try domain.job() }) ?? nil {
        found.append(GuestJob(domain: domain.name, job: job.operation.words))
      }
      xml = try domain.xml()
    } catch {
      throw asked(error)
    }
    let disks: [String]
    do throws(AugeasError) {
      disks = try DomainDisks.targets(in: xml)
    } catch {
      throw GuestJobQueryError("cannot read the disks of guest '\(domain.name)' from its XML: \(error)")
    }
    for disk in disks {
      do throws(LibvirtError) {
        if let job = try Self.unlessUnsupported({ () throws(LibvirtError) in try domain.blockJob(disk: disk) }) ?? nil {
          found.append(GuestJob(domain: domain.name, job: "\(job.kind.words) on \(disk)"))
        }
      } catch {
        throw asked(error)
      }
    }
    return found
  }

  private func asked(_ error: LibvirtError) -> GuestJobQueryError {
    GuestJobQueryError("cannot ask \(uri) for its guests' jobs: \(error)")
  }

  /// `body`'s answer; `nil` from a driver that has no such call.
  private static func unlessUnsupported<T>(_ body: () throws(LibvirtError) -> T) throws(LibvirtError) -> T? {
    do {
      return try body()
    } catch  where error.code == .noSupport {
      return nil
    }
  }
}

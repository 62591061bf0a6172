import HostConfig
import RootFS

/// The KSM services and the init system that starts them: `ksm` (CentOS/RHEL), the
/// tuner `ksmtuned`, and virthost's own tuner `virthost-ksmtuned`.
public struct ServicesFacts: Sendable, Codable, Equatable {
  /// Why whether a service runs cannot be asked.
  enum NotAsked: Error, CustomStringConvertible {
    case offline
    case noSystemd

    var description: String {
      switch self {
      case .offline: "not the live root: whether it runs can only be asked on /"
      case .noSystemd: "systemd does not run on this machine (no /run/systemd/system)"
      }
    }
  }

  /// The init system whose conventions decide enablement: `sysv` or `systemd`.
  public var initSystem: Fact<String>
  /// The `ksm` service, which starts KSM at boot (absent on Debian, where ksmtuned does).
  public var ksm: ServiceFacts
  /// The `ksmtuned` service.
  public var ksmtuned: ServiceFacts
  /// virthost's bundled tuner, `virthost-ksmtuned`.
  public var virthostKSMTuned: ServiceFacts

  private enum CodingKeys: String, CodingKey {
    case initSystem = "init_system"
    case ksm, ksmtuned
    case virthostKSMTuned = "virthost_ksmtuned"
  }

  /// The tuners (`ksmtuned`, `virthost-ksmtuned`) by service name: either one is enough.
  public var tuners: [(name: String, facts: ServiceFacts)] {
    [("ksmtuned", ksmtuned), ("virthost-ksmtuned", virthostKSMTuned)]
  }

  /// The services of the root at `root` (a path); whether it is the live `/` is the root's to tell.
  init(root: String, isLive _: Bool) {
    do {
      self.init(root: try HostRoot(root))
    } catch {
      self.init(unknown: error.description)
    }
  }

  /// The services of `root`.
  public init(root: HostRoot) {
    do {
      self.init(root: root, services: try ServiceReader(root: root))
    } catch {
      self.init(unknown: error.description)
    }
  }

  /// Every fact unknown for `reason`.
  private init(unknown reason: String) {
    initSystem = .unknown(reason, source: Self.detection)
    ksm = ServiceFacts(unknown: reason, source: Self.detection)
    ksmtuned = ksm
    virthostKSMTuned = ksm
  }

  private init(root: HostRoot, services: ServiceReader) {
    initSystem = .known(services.initSystem.rawValue, source: Self.detection)
    let canAsk: Result<Void, NotAsked> =
      if !root.isLive {
        .failure(.offline)
      } else if services.initSystem == .systemd && !root.isDirectory("/run/systemd/system") {
        // systemd does not manage this machine (sd_booted(3)): `systemctl is-active` fails for every unit.
        .failure(.noSystemd)
      } else {
        .success(())
      }
    ksm = ServiceFacts("ksm", services: services, canAskRunning: canAsk)
    ksmtuned = ServiceFacts("ksmtuned", services: services, canAskRunning: canAsk)
    virthostKSMTuned = ServiceFacts("virthost-ksmtuned", services: services, canAskRunning: canAsk)
  }

  /// What the service reader looks at to tell the init system, in its order.
  static let detection = InitSystem.detection
}

import HostConfig
import RootFS

/// The KSM services and the init system that starts them: `ksm` (CentOS/RHEL), the
/// tuner `ksmtuned`, and virthost's own tuner `virthost-ksmtuned`.
public struct ServicesFacts: Sendable, Codable, Equatable {
  /// The init system whose conventions decide enablement: `sysv` or `systemd`.
  public var initSystem: Fact<String>
  /// Which tool's semantics enabling follows here, in words (``HostConfig/ServiceSemantics/summary``).
  public var semantics: Fact<String>
  /// The `ksm` service, which starts KSM at boot (absent on Debian, where ksmtuned does).
  public var ksm: ServiceFacts
  /// The `ksmtuned` service.
  public var ksmtuned: ServiceFacts
  /// virthost's bundled tuner, `virthost-ksmtuned`.
  public var virthostKSMTuned: ServiceFacts

  private enum CodingKeys: String, CodingKey {
    case initSystem = "init_system"
    case semantics
    case ksm, ksmtuned
    case virthostKSMTuned = "virthost_ksmtuned"
  }

  /// The tuners (`ksmtuned`, `virthost-ksmtuned`) by service name: either one is enough.
  public var tuners: [(name: String, facts: ServiceFacts)] {
    [("ksmtuned", ksmtuned), ("virthost-ksmtuned", virthostKSMTuned)]
  }

  /// The services of `root`.
  public init(root: HostRoot) {
    do {
      self.init(root: root, services: try ServiceReader(root: root))
    } catch {
      self.init(unknown: error.description, source: InitSystem.detection(root: root))
    }
  }

  /// Every fact unknown for `reason`.
  private init(unknown reason: String, source: String) {
    initSystem = .unknown(reason, source: source)
    semantics = .unknown(reason, source: source)
    ksm = ServiceFacts(unknown: reason, source: source)
    ksmtuned = ksm
    virthostKSMTuned = ksm
  }

  private init(root: HostRoot, services: ServiceReader) {
    let source = InitSystem.detection(root: root)
    initSystem = .known(services.initSystem.rawValue, source: source)
    semantics = .known(services.semantics.summary, source: source)
    let manager = ServiceManager(services)
    ksm = ServiceFacts("ksm", manager: manager)
    ksmtuned = ServiceFacts("ksmtuned", manager: manager)
    virthostKSMTuned = ServiceFacts("virthost-ksmtuned", manager: manager)
  }
}

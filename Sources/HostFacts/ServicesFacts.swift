import Editors
import Foundation

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

  init(root: String, isLive: Bool) {
    let editor: ServiceEditor
    do {
      editor = try ServiceEditor(root: root)
    } catch {
      initSystem = .unknown(error.description, source: Self.detection)
      ksm = ServiceFacts(unknown: error.description, source: Self.detection)
      ksmtuned = ksm
      virthostKSMTuned = ksm
      return
    }
    initSystem = .known(editor.initSystem.rawValue, source: Self.detection)
    let canAsk: Result<Void, NotAsked> =
      if !isLive {
        .failure(.offline)
      } else if editor.initSystem == .systemd && !Self.systemdRuns {
        .failure(.noSystemd)
      } else {
        .success(())
      }
    ksm = ServiceFacts("ksm", editor: editor, canAskRunning: canAsk)
    ksmtuned = ServiceFacts("ksmtuned", editor: editor, canAskRunning: canAsk)
    virthostKSMTuned = ServiceFacts("virthost-ksmtuned", editor: editor, canAskRunning: canAsk)
  }

  /// What the service editor looks at to tell the init system, in its order.
  static let detection = "/run/systemd/system, /sbin/init, /etc/systemd/system, rcN.d folders"

  /// Whether systemd manages this machine, as `sd_booted(3)` tells it: without it,
  /// `systemctl is-active` fails for every unit, running or not.
  private static var systemdRuns: Bool {
    var isDirectory: ObjCBool = false
    return FileManager.default.fileExists(atPath: "/run/systemd/system", isDirectory: &isDirectory)
      && isDirectory.boolValue
  }
}

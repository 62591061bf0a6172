import HostConfig
import RootFS

/// Starts and stops services on the live host, for the applier: the service manager's
/// command (``HostConfig/ServiceManager``) run now, its failure an error with its output.
struct ServiceControl {
  /// The root the plan was made for; services run only on the live `/`.
  let root: HostRoot

  /// Starts or stops `name` now through the host's service manager.
  /// - Throws: ``ServiceControlError`` for an offline root, an unknown service, or a command
  ///   that fails (with its exit status and output).
  func carryOut(_ action: ServiceManager.Action, _ name: String) throws(ServiceControlError) {
    guard root.isLive else { throw .offline(action, name, root: root.path) }
    let result: (code: Int32, output: String)
    do throws(ServiceConfigError) {
      let manager = ServiceManager(try ServiceReader(root: root))
      _ = try manager.services.existing(name)
      result = try ServiceManager.run(try manager.command(action, for: name), timeout: ServiceManager.actionTimeout)
    } catch {
      throw .service(error)
    }
    guard result.code == 0 else { throw .failed(action, name, status: result.code, output: result.output) }
  }
}

/// Why a service could not be started or stopped, as one sentence.
enum ServiceControlError: Error, CustomStringConvertible {
  /// The root is not the live `/`: nothing runs there.
  case offline(ServiceManager.Action, String, root: String)
  /// The service manager ran and failed (its exit status and output).
  case failed(ServiceManager.Action, String, status: Int32, output: String)
  /// The service is unknown, or its manager could not be run.
  case service(ServiceConfigError)

  var description: String {
    switch self {
    case .offline(let action, let name, let root):
      "cannot \(action.rawValue) \(name): not possible for an offline root (\(root))"
    case .failed(let action, let name, let status, let output):
      "\(action.rawValue) \(name) failed with exit status \(status): \(output)"
    case .service(let error): error.description
    }
  }
}

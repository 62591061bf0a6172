import Editors
import Foundation
import KSMConfig
import RootFS
import TestSupport

/// The seed host, a CentOS 6 SysV machine.
let seed = "examples/centos6-amd/root"
/// A Debian-like systemd host with the vendor ksm and ksmtuned units, both disabled.
let systemdHost = "Tests/EditorsTests/Fixtures/debian-systemd/root"

/// The text of a golden file under `Tests/EditorsTests/Fixtures/golden/`.
func golden(_ name: String) throws -> String {
  let url = FixtureRoot.repository.appendingPathComponent("Tests/EditorsTests/Fixtures/golden/" + name)
  return try String(contentsOf: url, encoding: .utf8)
}

/// The eight settings of the seed walkthrough: ksmtuned's defaults, written out.
let walkthroughSettings: [KsmtunedSetting: String] = [
  .monitorInterval: "60", .sleepMsec: "10", .npagesBoost: "300", .npagesDecay: "-50",
  .npagesMin: "64", .npagesMax: "1250", .thresCoef: "20", .thresConst: "2048",
]

/// The error `body` throws, or `nil`.
func editorError(_ body: () throws(EditorError) -> Void) -> EditorError? {
  do {
    try body()
    return nil
  } catch {
    return error
  }
}

extension FixtureRoot {
  /// The fixture as the root layer sees it.
  var root: HostRoot {
    get throws { try HostRoot(path) }
  }

  /// Writes the planned files as the applier does, through the one writer.
  func apply(_ changes: [FileChange]) throws {
    let writer = HostRootWriter(try root)
    for change in changes {
      if let after = change.after { try writer.replace(change.path, with: Array(after.utf8)) }
    }
  }

  /// Makes the planned links still to make, as the applier does: checked by `editor`, made by the one writer.
  func apply(_ links: [LinkChange], checkedBy editor: ServiceEditor) throws {
    let writer = HostRootWriter(try root)
    for link in try editor.linksToChange(links) {
      switch link.kind {
      case .create: try writer.createLink(link.path, to: link.target)
      case .remove: try writer.remove(link.path)
      }
    }
  }
}

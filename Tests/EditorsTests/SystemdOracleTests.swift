import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// Replays every case of `oracles/systemd/` (written by `scripts/oracles/systemd-oracle.sh`
/// with `systemctl --root`) through the service editor and the one writer, and compares the
/// link set and the `is-enabled` answers after each call with the tool's; where systemctl is
/// installed, the same calls also run live on a twin root and the two trees must agree.
@Suite struct SystemdOracleTests {
  /// How `systemd-oracle.sh` builds each case's root: its layout and the fixture files it installs.
  struct Setup: Sendable {
    var layout: OracleRoot.Layout
    var files: [String]
    var constructed = false
    /// Changes after installing (a unit derived from a package file).
    var prepare: (@Sendable (OracleRoot) throws -> Void)?

    func build() throws -> OracleRoot {
      let root = try OracleRoot(layout, files, constructed: constructed)
      try prepare?(root)
      return root
    }
  }

  static let ksm = "ksmtuned/lib/systemd/system/ksm.service"
  static let networkd = [
    "systemd-networkd.service", "systemd-networkd.socket", "systemd-network-generator.service",
    "systemd-networkd-wait-online.service",
  ].map { "systemd/lib/systemd/system/" + $0 }
  static let getty = "systemd/lib/systemd/system/getty@.service"
  static let openIscsi = "open-iscsi/lib/systemd/system/open-iscsi.service"
  /// Debian 12's libvirt units with virtqemud's, rendered from libvirt's upstream templates
  /// (`Fixtures/libvirt-upstream-rendered`, installed as `install_modular` does).
  static let modular = Setup(layout: .merged, files: OracleRoot.libvirtUnits) { root in
    let rendered = OracleRoot.packages.deletingLastPathComponent().appendingPathComponent(
      "libvirt-upstream-rendered/lib/systemd/system")
    for unit in ["virtqemud.service", "virtqemud.socket", "virtqemud-ro.socket", "virtqemud-admin.socket"] {
      try FileManager.default.copyItem(
        atPath: rendered.appendingPathComponent(unit).path, toPath: root.path + "/lib/systemd/system/" + unit)
    }
  }

  /// The cases of `systemd-oracle.sh`, one Swift line each (`*-insserv` replayed on the same
  /// root as `*-noinsserv`, compared without sequence numbers).
  static let setups: [String: Setup] = [
    "ksm-merged": Setup(layout: .merged, files: [ksm]),
    "ksm-split": Setup(layout: .split, files: [ksm]),
    "libvirtd-merged": Setup(layout: .merged, files: OracleRoot.libvirtUnits),
    "libvirtd-split": Setup(layout: .split, files: OracleRoot.libvirtUnits),
    "ksmtuned": Setup(layout: .merged, files: ["ksmtuned/lib/systemd/system/ksmtuned.service"]),
    "libvirtd-then-disable-virtlockd": Setup(layout: .merged, files: OracleRoot.libvirtUnits),
    "virtlockd": Setup(layout: .merged, files: OracleRoot.libvirtUnits),
    "systemd-networkd": Setup(layout: .merged, files: networkd),
    "open-iscsi-unit-only": Setup(layout: .merged, files: [openIscsi]),
    "required-by": Setup(layout: .merged, files: ["systemd/lib/systemd/system/systemd-boot-check-no-failures.service"]),
    "getty-template": Setup(layout: .merged, files: [getty]),
    "template-no-default": Setup(layout: .merged, files: [getty]) { root in
      let path = root.path + "/lib/systemd/system/getty@.service"
      let text = try String(contentsOfFile: path, encoding: .utf8)
      try text.split(separator: "\n", omittingEmptySubsequences: false)
        .filter { !$0.hasPrefix("DefaultInstance=") }.joined(separator: "\n")
        .write(toFile: path, atomically: false, encoding: .utf8)
    },
    "masked": Setup(layout: .merged, files: [ksm]),
    "also-missing": Setup(layout: .merged, files: ["lib/systemd/system/also-missing.service"], constructed: true),
    "reset-wantedby": Setup(layout: .merged, files: ["lib/systemd/system/reset-wantedby.service"], constructed: true),
    "static-and-missing": Setup(layout: .merged, files: [ksm]) { root in
      let text = try String(contentsOfFile: root.path + "/lib/systemd/system/ksm.service", encoding: .utf8)
      let head = text.components(separatedBy: "[Install]")[0]
      try head.write(toFile: root.path + "/lib/systemd/system/static.service", atomically: false, encoding: .utf8)
    },
    "sysv-sync-networking": Setup(
      layout: .debian, files: ["ifupdown/lib/systemd/system/networking.service", "ifupdown/etc/init.d/networking"]),
    "sysv-sync-libvirtd": Setup(
      layout: .debian,
      files: OracleRoot.libvirtUnits + [
        "libvirt-daemon-system-sysv/etc/init.d/libvirtd", "libvirt-daemon-system-sysv/etc/init.d/virtlogd",
      ]),
    "sysv-sync-open-iscsi": Setup(layout: .debian, files: [openIscsi, "open-iscsi/etc/init.d/open-iscsi"]),
    "libvirt-modular": modular,
    "libvirt-monolithic-to-modular": modular,
    "libvirt-modular-to-monolithic": modular,
  ]

  /// The setup of a case: its own, or for `NAME-insserv`/`NAME-noinsserv` that of NAME.
  static func setup(_ name: String) -> Setup? {
    setups[name]
      ?? setups[
        name.replacingOccurrences(of: "-noinsserv", with: "").replacingOccurrences(
          of: "-insserv", with: "")]
  }

  @Test func everyOracleCaseHasAReplay() throws {
    for name in try OracleCase.all("systemd") {
      #expect(Self.setup(name) != nil, "oracles/systemd/\(name).tsv has no Swift setup in SystemdOracleTests")
    }
  }

  @Test(arguments: try OracleCase.all("systemd"))
  func linksAndIsEnabledMatchSystemctl(_ name: String) throws {
    let oracle = try OracleCase("systemd", name)
    let setup = try #require(Self.setup(name))
    let root = try setup.build()
    let twin = Self.systemctl != nil && setup.layout != .debian ? try setup.build() : nil
    let editor = try ServiceEditor(root: root.root.host)
    let modNumbers = name.hasSuffix("-insserv")
    try expectAnswers(oracle.initialIsEnabled, editor, "\(name), before any call")
    for (index, step) in oracle.steps.enumerated() {
      let (verb, unit) = step.operation
      let at = "\(name), call \(index + 1): \(verb) \(unit)"
      try replay(verb, unit, step, on: root, editor, at)
      let expected = modNumbers ? Self.withoutNumbers(step.links) : step.links
      #expect((modNumbers ? Self.withoutNumbers(root.links) : root.links) == expected, "\(at)")
      if let twin, let systemctl = Self.systemctl {
        _ = try ProgramRun.run(systemctl, ["--root=" + twin.path, verb, unit])
        #expect(root.links == twin.links, "\(at): systemctl live")
      }
      try expectAnswers(step.isEnabled, editor, at)
    }
  }

  private func replay(
    _ verb: String, _ unit: String, _ step: OracleCase.Step, on root: OracleRoot,
    _ editor: ServiceEditor, _ at: String
  ) throws {
    let mask = root.path + "/etc/systemd/system/" + unit
    switch verb {
    case "mask": try FileManager.default.createSymbolicLink(atPath: mask, withDestinationPath: "/dev/null")
    case "unmask": try FileManager.default.removeItem(atPath: mask)
    case "enable", "disable":
      // systemctl exits 0 but does nothing for a static unit (it explains why) and for an
      // unknown one on disable; virthost refuses both, with a message.
      let refused = step.exit != 0 || step.out.contains { $0.contains("does not exist") || $0.contains("not meant") }
      do {
        let enablement = try editor.enablement(unit, enabled: verb == "enable")
        try root.root.apply(enablement.links, checkedBy: editor)
        #expect(!refused, "\(at): systemctl refused, virthost planned \(enablement.links)")
        let warned = step.out.filter { $0.hasPrefix("Failed to enable auxiliary unit") }.count
        #expect(enablement.warnings.count == warned, "\(at): warnings \(enablement.warnings)")
      } catch {
        #expect(refused, "\(at): virthost refused: \(error)")
      }
    default: Issue.record("\(at): no replay for \(verb)")
    }
  }

  private func expectAnswers(
    _ answers: [(unit: String, answer: String, exit: Int32)], _ editor: ServiceEditor, _ at: String
  ) throws {
    for expected in answers {
      let state = try editor.state(expected.unit)
      let answer = expected.answer.hasPrefix("Failed to get unit file state") ? "not-found" : expected.answer
      #expect(state.answer.rawValue == answer, "\(at): is-enabled \(expected.unit)")
      #expect(state.answer.isEnabledSucceeds == (expected.exit == 0), "\(at): is-enabled \(expected.unit) status")
    }
  }

  /// The installed systemctl, the live oracle; `nil` skips the live comparison.
  static let systemctl = ["/usr/bin/systemctl", "/bin/systemctl"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  /// Links with their `S`/`K` sequence numbers dropped (insserv's numbers are not reproduced).
  static func withoutNumbers(_ links: [String: String]) -> [String: String] {
    var result: [String: String] = [:]
    for (path, text) in links {
      let parts = path.split(separator: "/").map(String.init)
      var name = parts.last!
      if parts.count > 1, parts[parts.count - 2].hasPrefix("rc"), let first = name.first, first == "S" || first == "K" {
        name = String(first) + name.dropFirst().drop(while: \.isNumber)
      }
      result["/" + (parts.dropLast() + [name]).joined(separator: "/")] = text
    }
    return result
  }
}

/// systemd installed but not running (a container, a chroot, this test machine).
@Suite struct ServiceManagerAvailabilityTests {
  @Test func withoutARunningSystemdWhetherAUnitRunsIsUnknown() throws {
    let root = try OracleRoot(.merged, ["ksmtuned/lib/systemd/system/ksm.service"])
    let manager = ServiceManager(try ServiceReader(root: root.root.host), isLive: true)
    #expect(manager.availability == .unavailable("systemd is installed but not running here (no /run/systemd/system)"))
    #expect(try manager.isRunning("ksm") == nil)
  }

  @Test func anOfflineRootIsNeverAsked() throws {
    let root = try OracleRoot(.merged, ["ksmtuned/lib/systemd/system/ksm.service"])
    try FileManager.default.createDirectory(
      atPath: root.path + "/run/systemd/system", withIntermediateDirectories: true)
    let manager = ServiceManager(try ServiceReader(root: root.root.host))
    #expect(manager.availability == .unavailable("not the live root: whether it runs can only be asked on /"))
    #expect(try manager.isRunning("ksm") == nil)
  }
}

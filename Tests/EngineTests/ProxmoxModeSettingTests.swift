import Foundation
import HostConfig
import TestSupport
import Testing

@testable import Commands
@testable import Engine

/// Issue 34, Proxmox VE: `boot.proxmox_mode` in host.yaml tells virthost the boot loader
/// `proxmox-boot-tool` runs where the ESPs cannot be read (an offline root without their
/// contents); one that the ESPs contradict is an error naming both.
@Suite struct ProxmoxModeSettingTests {
  static let spec = "kernel:\n  args:\n    present: [amd_iommu=on]\nboot:\n  proxmox_mode: grub\n"

  /// The `proxmox-grub` fixture without its ESPs' contents, planned with `spec`.
  static func planWithoutESPs(_ spec: String) throws -> (Plan, FixtureRoot) {
    try BootLoaderFamilyPlanTests.plan("proxmox-grub", spec) { root in
      try FileManager.default.removeItem(atPath: root.path + ProxmoxBoot.mountRoot)
    }
  }

  @Test func theSettingParsesAndABadValueIsAnErrorAtItsLine() throws {
    let spec = try SpecParser.parse(Self.spec, file: "host.yaml")
    #expect(spec.boot == HostSpec.Boot(proxmoxMode: .grub))
    #expect(
      spec.proxmoxDeclaration
        == ProxmoxBoot.Declaration(mode: .grub, setting: "boot.proxmox_mode: grub (host.yaml:5:3)"))
    let error = #expect(throws: SpecError.self) {
      try SpecParser.parse("boot:\n  proxmox_mode: grubby\n  proxmox_mod: grub\n", file: "host.yaml")
    }
    #expect(
      error?.description == """
        host.yaml:2:17: error: boot.proxmox_mode: must be one of grub, systemd-boot, not "grubby"; did you mean "grub"?
        host.yaml:3:3: error: boot.proxmox_mod: unknown key; did you mean "proxmox_mode"?
        """)
  }

  @Test func withoutTheESPsTheSettingDecidesAndThePlanEditsEtcDefaultGrub() throws {
    let (plan, _) = try Self.planWithoutESPs(Self.spec)
    #expect(!plan.hasErrors, "\(plan.diagnostics)")
    #expect(plan.fileOperations.map(\.path) == ["/etc/default/grub"])
    #expect(plan.regeneration?.command == ["proxmox-boot-tool", "refresh"])
  }

  @Test func withoutTheESPsAndWithoutTheSettingThePlanIsRefusedNamingIt() throws {
    let (plan, _) = try Self.planWithoutESPs("kernel:\n  args:\n    present: [amd_iommu=on]\n")
    #expect(plan.hasErrors)
    #expect(plan.fileOperations.isEmpty)
    #expect(
      plan.diagnostics.contains {
        $0.severity == .error && $0.summary.hasSuffix("or set boot.proxmox_mode (grub or systemd-boot) in host.yaml")
      }, "\(plan.diagnostics.map(\.summary))")
  }

  @Test func aSettingTheESPsContradictIsAnErrorNamingBoth() throws {
    let spec = Self.spec.replacingOccurrences(of: "proxmox_mode: grub", with: "proxmox_mode: systemd-boot")
    let (plan, _) = try BootLoaderFamilyPlanTests.plan("proxmox-grub", spec)
    #expect(plan.hasErrors)
    #expect(plan.fileOperations.isEmpty)
    let errors = plan.diagnostics.filter { $0.severity == .error }.map(\.summary)
    #expect(
      errors == [
        "/etc/kernel/proxmox-boot-uuids:1: ESP 4A2C-77E1 boots with grub (/var/tmp/espmounts/4A2C-77E1 holds "
          + "EFI/proxmox/grubx64.efi), but host.yaml says systemd-boot (boot.proxmox_mode: systemd-boot "
          + "(host.yaml:5:3)): correct the setting, or remove it, since the ESP can be read"
      ])
  }

  @Test func aSettingTheESPsAgreeWithChangesNothing() throws {
    let (declared, _) = try BootLoaderFamilyPlanTests.plan("proxmox-grub", Self.spec)
    let (read, _) = try BootLoaderFamilyPlanTests.plan("proxmox-grub", ProxmoxGrubPlanTests.spec)
    #expect(declared.fileOperations == read.fileOperations)
    #expect(declared.diagnostics.map(\.summary) == read.diagnostics.map(\.summary))
  }

  /// The plan of the fixture without ESP contents and with the setting, as `virthost plan
  /// --diff` prints it: `/etc/default/grub` edited, the refresh named, and whether the ESPs'
  /// grub.cfg files wait for it unknown (they are not under the root).
  @Test func thePlanTextIsGolden() throws {
    let (plan, root) = try Self.planWithoutESPs(Self.spec)
    let text = PlanTextRenderer(diff: true).render(plan).replacingOccurrences(of: root.path, with: "ROOT")
    #expect(
      text == (try Golden.text("Tests/EngineTests/Fixtures/expected/proxmox-grub-declared/plan.txt", recording: text)))
  }
}

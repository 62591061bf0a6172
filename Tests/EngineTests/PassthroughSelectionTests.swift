import Foundation
import HostConfig
import HostFacts
import TestSupport
import Testing

@testable import Engine

/// Issue 33: a device named by address is bound by address (a udev rule sets its
/// `driver_override`, so its twin with the same IDs stays with the host); IDs bind every device
/// that has them, and a boot device among those is refused by name; the next kernel's build
/// decides what is loaded and where `ids=` goes; after the boot, a twin on vfio-pci or a named
/// device elsewhere is drifted.
@Suite struct PassthroughSelectionTests {
  private func files(_ plan: Plan) -> [String: String] {
    Dictionary(
      uniqueKeysWithValues: plan.fileOperations.map { ($0.path, String(decoding: $0.after ?? Data(), as: UTF8.self)) })
  }

  private func errors(_ plan: Plan) -> [String] {
    plan.diagnostics.filter { $0.severity == .error }.map { "\($0.location?.description ?? "-"): \($0.summary)" }
  }

  /// Wrong today: `options vfio-pci ids=8086:1572` took the twin that carries the default route.
  @Test func aDeviceNamedByAddressIsBoundByAddressAndItsTwinStays() throws {
    let twin = try TwinNICHost()
    let host = try ExampleHost("gpu-passthrough", root: twin.root)
    let plan = try host.plan("passthrough:\n  devices: [\"0000:3b:00.0\"]\n")
    #expect(errors(plan) == [])
    let files = files(plan)
    #expect(
      files[VFIOUdevRules.path] == """
        # Written by virthost (passthrough): vfio-pci takes these PCI devices by address, before
        # their host drivers probe them. Generated whole (no Augeas lens reads udev rules).
        ACTION=="add", SUBSYSTEM=="pci", KERNEL=="0000:3b:00.0", ATTR{driver_override}="vfio-pci"

        """)
    #expect(!files.values.contains { $0.contains("ids=") })
    #expect(files["/etc/modprobe.d/virthost-vfio.conf"] == nil)
    #expect(files[VFIOBindUnit.path] == nil)
    // The rule goes into the initramfs, whose udev then keeps the host driver off the device.
    #expect(
      files[InitramfsToolsHook.path]?.hasSuffix(
        "force_load vfio_pci\nmkdir -p \"${DESTDIR}/etc/udev/rules.d\"\n"
          + "cp -p /etc/udev/rules.d/05-virthost-vfio.rules \"${DESTDIR}/etc/udev/rules.d/\"\n") == true)
    #expect(plan.fileOperations.compactMap(\.command).map(\.shown) == ["update-initramfs -u -k all"])
    #expect(plan.fileOperations.last { $0.command != nil }?.path == InitramfsToolsHook.path)
    #expect(
      plan.changes.first { $0.address.name == VFIOUdevRules.path }?.reason
        == "passthrough hands 0000:3b:00.0 [8086:1572] to vfio-pci")
  }

  /// IDs take every device that has them: the plan lists both, and refuses the one the host routes through.
  @Test func idsThatAlsoMatchTheDefaultRouteTwinAreRefusedNamingIt() throws {
    let twin = try TwinNICHost()
    let host = try ExampleHost("gpu-passthrough", root: twin.root)
    let before = try twin.root.snapshot()
    let plan = try host.plan("passthrough:\n  devices: [\"8086:1572\"]\n")
    #expect(
      errors(plan) == [
        "examples/gpu-passthrough/host.yaml:2:13: 0000:3b:00.1 [8086:1572] is the network device of the default route: the host needs it "
          + "(8086:1572 selects all 2 devices with these IDs; name the others by address)"
      ])
    #expect(throws: EngineError.self) { try host.engine.apply(plan) }
    #expect(try twin.root.snapshot() == before)
  }

  @Test func idsListEveryDeviceThatMatchesTwinsIncluded() throws {
    let twin = try TwinNICHost()
    let host = try ExampleHost("gpu-passthrough", root: twin.root)
    try twin.root.write("/proc/net/route", "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\n")
    let plan = try host.plan("passthrough:\n  devices: [\"8086:1572\"]\n")
    #expect(errors(plan) == [])
    #expect(
      plan.changes.first { $0.address.name == "/etc/modprobe.d/virthost-vfio.conf" }?.reason
        == "passthrough hands 0000:3b:00.0 [8086:1572], 0000:3b:00.1 [8086:1572] to vfio-pci")
    #expect(files(plan)["/etc/modprobe.d/virthost-vfio.conf"]?.contains("options vfio-pci ids=8086:1572\n") == true)
    #expect(files(plan)[VFIOUdevRules.path] == nil)
  }

  /// A group member that stays is allowed when nothing holds it (or vfio-pci does); one a host driver holds is not.
  @Test func aGroupMemberUnboundOrOnVFIOIsAllowed() throws {
    let host = try ExampleHost("gpu-passthrough")
    let yaml = "passthrough:\n  devices: [\"0000:04:00.0\"]\n"
    #expect(
      errors(try host.plan(yaml))
        == [
          "host.yaml:2:13: 0000:04:00.0's IOMMU group 13 also holds 0000:04:00.1 [8086:10fb] (ixgbe), which stays with the host"
        ].map { $0.replacingOccurrences(of: "host.yaml", with: "examples/gpu-passthrough/host.yaml") })
    try FileManager.default.removeItem(
      atPath: host.root.path + "/sys/devices/pci0000:00/0000:00:1c.4/0000:04:00.1/driver")
    #expect(errors(try host.plan(yaml)) == [])
  }

  /// Wrong today: with vfio-pci built in (`CONFIG_VFIO_PCI=y`), `options vfio-pci ids=` is read by
  /// nothing and the built-in modules went into modules-load.d.
  @Test func aBuiltInVFIOTakesIDsFromTheCommandLineAndLoadsNothingBuiltIn() throws {
    let twin = try TwinNICHost()
    let host = try ExampleHost("gpu-passthrough", root: twin.root)
    let config = "/boot/config-6.1.0-28-amd64"
    let text = try twin.root.text(config)
      .replacingOccurrences(of: "CONFIG_VFIO=m", with: "CONFIG_VFIO=y")
      .replacingOccurrences(of: "CONFIG_VFIO_IOMMU_TYPE1=m", with: "CONFIG_VFIO_IOMMU_TYPE1=y")
      .replacingOccurrences(of: "CONFIG_VFIO_PCI=m", with: "CONFIG_VFIO_PCI=y")
    try twin.root.write(config, text)
    let plan = try host.plan("passthrough:\n  devices: [\"10de:1b80\", \"10de:10f0\"]\n")
    #expect(errors(plan) == [])
    let kernel = try #require(plan.changes.first { $0.address.kind == .kernelArgs })
    #expect(kernel.after == "intel_iommu=on iommu=pt vfio-pci.ids=10de:1b80,10de:10f0")
    let files = files(plan)
    #expect(files["/etc/modprobe.d/virthost-vfio.conf"] == nil)
    #expect(files["/etc/modules-load.d/virthost-vfio.conf"] == nil)
    #expect(files[InitramfsToolsHook.path] == nil)
  }

  /// Without `/boot/config-<release>`, the running kernel's own `/proc/config.gz` (gzip) tells
  /// what is built in, when the next boot starts that same kernel.
  @Test func procConfigGzStandsInForAMissingBootConfig() throws {
    let twin = try TwinNICHost()
    let host = try ExampleHost("gpu-passthrough", root: twin.root)
    let config = twin.root.path + "/boot/config-6.1.0-28-amd64"
    let packed = try ProgramRun.run(
      "/bin/sh",
      [
        "-c", "sed 's/^CONFIG_VFIO_PCI=m$/CONFIG_VFIO_PCI=y/' \"$0\" | gzip -c >\"$1\" && rm \"$0\"", config,
        twin.root.path + "/proc/config.gz",
      ])
    #expect(packed.status == 0, "\(packed.transcript)")
    let plan = try host.plan("passthrough:\n  devices: [\"10de:1b80\", \"10de:10f0\"]\n")
    #expect(
      plan.changes.first { $0.address.kind == .kernelArgs }?.after?.hasSuffix(" vfio-pci.ids=10de:1b80,10de:10f0")
        == true)
    #expect(files(plan)["/etc/modules-load.d/virthost-vfio.conf"]?.hasSuffix("\nvfio\nvfio_iommu_type1\n") == true)
  }

  /// A host driver built into the next kernel binds before any udev rule: the rule then pulls in
  /// the unbind unit (as driverctl's rule pulls in its unit), with a warning.
  @Test func aBuiltInHostDriverGetsTheUnbindUnitAndAWarning() throws {
    let twin = try TwinNICHost()
    let host = try ExampleHost("gpu-passthrough", root: twin.root)
    try twin.root.write(
      "/lib/modules/6.1.0-28-amd64/modules.builtin",
      "kernel/drivers/net/ethernet/intel/i40e/i40e.ko\nkernel/drivers/pci/pcieport.ko\n")
    let plan = try host.plan("passthrough:\n  devices: [\"0000:3b:00.0\"]\n")
    #expect(errors(plan) == [])
    let files = files(plan)
    #expect(
      files[VFIOUdevRules.path]?.hasSuffix(
        "ACTION==\"add\", SUBSYSTEM==\"pci\", KERNEL==\"0000:3b:00.0\", ATTR{driver_override}=\"vfio-pci\", "
          + "TAG+=\"systemd\", ENV{SYSTEMD_WANTS}+=\"virthost-vfio-bind@0000:3b:00.0.service\"\n") == true)
    #expect(files[VFIOBindUnit.path] == VFIOBindUnit.text)
    #expect(
      plan.diagnostics.filter { $0.code == .passthroughDevice }.map(\.summary) == [
        "0000:3b:00.0's host driver i40e is built into 6.1.0-28-amd64: it owns the device from boot until "
          + "virthost-vfio-bind@0000:3b:00.0.service unbinds it (before basic.target)"
      ])
    // The rule read back as the plan and the facts read it.
    #expect(
      VFIOUdevRules.entries(in: files[VFIOUdevRules.path] ?? "") == [
        VFIOUdevRules.Entry(address: "0000:3b:00.0", unbinds: true)
      ])
  }
}

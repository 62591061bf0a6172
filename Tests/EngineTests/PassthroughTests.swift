import Editors
import Foundation
import HostConfig
import TestSupport
import Testing

@testable import Engine

/// `passthrough:` on the gpu-passthrough example's host (a Z390 desktop built from its `lspci -nn`):
/// the files it plans, read back by the Modprobe and Modules lenses and by kmod's own
/// `modprobe --showconfig`, and each refusal with its key's position and reason, nothing written.
@Suite struct PassthroughTests {
  private func host() throws -> ExampleHost { try ExampleHost("gpu-passthrough") }

  /// The errors of planning `yaml` on the example host, as `file:line:column: summary`, and
  /// whether applying the plan left the root as it was.
  private func refusals(_ yaml: String) throws -> (errors: [String], untouched: Bool) {
    let host = try host()
    let before = try host.root.snapshot()
    let plan = try host.engine.plan(specText: yaml, specFile: "host.yaml")
    #expect(throws: EngineError.self) { try host.engine.apply(plan) }
    let errors = plan.diagnostics.filter { $0.severity == .error }.map {
      "\($0.location?.description ?? "-"): \($0.summary)"
    }
    return (errors, try host.root.snapshot() == before)
  }

  @Test func aDeviceWhoseGroupHoldsAForeignMemberIsRefused() throws {
    let result = try refusals("passthrough:\n  devices: [\"0000:04:00.0\"]\n")
    #expect(
      result.errors == [
        "host.yaml:2:13: 0000:04:00.0's IOMMU group 13 also holds 0000:04:00.1 [8086:10fb] (ixgbe), which stays with the host"
      ])
    #expect(result.untouched)
  }

  @Test func anUnknownDeviceIsRefusedWithTheNearestIDs() throws {
    let result = try refusals("passthrough:\n  devices:\n    - 0000:01:00.0\n    - 10de:1b81\n")
    #expect(
      result.errors == [
        "host.yaml:4:7: no PCI device has the IDs 10de:1b81; did you mean 10de:1b80?",
        "host.yaml:3:7: 0000:01:00.0's IOMMU group 1 also holds 0000:01:00.1 [10de:10f0] (snd_hda_intel), "
          + "which stays with the host",
      ])
    #expect(result.untouched)
  }

  @Test func anUnknownAddressIsRefused() throws {
    let result = try refusals("passthrough:\n  devices: [\"0000:09:00.0\"]\n")
    #expect(result.errors == ["host.yaml:2:13: no PCI device has the address 0000:09:00.0"])
    #expect(result.untouched)
  }

  @Test func aDeviceIDTypoIsRefusedByTheParser() throws {
    let error = #expect(throws: SpecError.self) {
      try SpecParser.parse("passthrough:\n  devices: [10de:1b8o]\n", file: "host.yaml")
    }
    #expect(
      error?.diagnostics.map { "\($0.location?.description ?? "-"): \($0.summary)" } == [
        "host.yaml:2:13: \"10de:1b8o\" is not vendor:device IDs: \"1b8o\" must be four hex digits, "
          + "as lspci -nn shows them (10de:1b80)"
      ])
  }

  @Test func bootDevicesAreRefused() throws {
    let result = try refusals(
      "passthrough:\n  devices:\n    - 0000:02:00.0\n    - 8086:3e92\n    - 8086:15bc\n")
    #expect(
      result.errors == [
        "host.yaml:3:7: 0000:02:00.0 [144d:a808] is the controller of the root file system: the host needs it",
        "host.yaml:4:7: 0000:00:02.0 [8086:3e92] is the active console's display: the host needs it",
        "host.yaml:5:7: 0000:00:1f.6 [8086:15bc] is the network device of the default route: the host needs it",
      ])
    #expect(result.untouched)
  }

  @Test func aLaterModprobeFileSettingIDsIsAConflict() throws {
    let host = try host()
    try host.root.write("/etc/modprobe.d/zz-local.conf", "options vfio_pci ids=10de:1b80\n")
    let plan = try host.plan()
    #expect(
      plan.diagnostics.filter { $0.code == .moduleConfigConflict }.map(\.summary) == [
        "/etc/modprobe.d/zz-local.conf sets vfio-pci ids=10de:1b80 and is read after "
          + "/etc/modprobe.d/virthost-vfio.conf: its value wins"
      ])
  }

  @Test func thePlannedFilesReadBackWithTheLensesAndKmod() throws {
    let host = try host()
    let plan = try host.plan()
    let files = Dictionary(
      uniqueKeysWithValues: plan.fileOperations.map { ($0.path, String(decoding: $0.after ?? Data(), as: UTF8.self)) })
    let modprobe = try #require(files["/etc/modprobe.d/virthost-vfio.conf"])
    let configuration = try ModprobeConfiguration(
      root: host.root.host, planned: ["/etc/modprobe.d/virthost-vfio.conf": modprobe])
    // 0000:01:00.0 is named by address (the udev rule), 10de:10f0 by its IDs (ids=).
    #expect(configuration.value("vfio-pci", "ids")?.value == "10de:10f0")
    #expect(
      files["/etc/udev/rules.d/05-virthost-vfio.rules"]?.hasSuffix(
        "ACTION==\"add\", SUBSYSTEM==\"pci\", KERNEL==\"0000:01:00.0\", ATTR{driver_override}=\"vfio-pci\"\n") == true)
    #expect(configuration.blocking("nouveau").map(\.kind) == ["blacklist"])
    #expect(configuration.entries.filter { $0.kind == "softdep" }.map(\.module) == ["nouveau", "snd_hda_intel"])
    let modules = try #require(files["/etc/modules-load.d/virthost-vfio.conf"])
    let editor = try ModulesLoadEditor(root: host.root.host)
    #expect(try editor.modules(in: modules, file: "m") == ["vfio", "vfio_iommu_type1", "vfio_pci"])
    // The initramfs is rebuilt once, after the last vfio file.
    #expect(plan.fileOperations.compactMap(\.command).map(\.shown) == ["update-initramfs -u -k all"])
    #expect(plan.fileOperations.first { $0.command != nil }?.path == "/etc/initramfs-tools/hooks/virthost-vfio")
    // initramfs-tools puts the vfio modules into the image and loads them first (the
    // VM test reads the rebuilt image's conf/modules).
    let hook = try #require(plan.fileOperations.first { $0.path == "/etc/initramfs-tools/hooks/virthost-vfio" })
    #expect(hook.mode == 0o755)
    #expect(
      files["/etc/initramfs-tools/hooks/virthost-vfio"] == """
        #!/bin/sh
        # Written by virthost (passthrough): the vfio modules go into the initramfs and load first,
        # so that vfio-pci takes the devices before their host drivers do.
        PREREQ=""
        prereqs() { echo "$PREREQ"; }
        case "$1" in
        prereqs) prereqs; exit 0 ;;
        esac
        . /usr/share/initramfs-tools/hook-functions
        force_load vfio
        force_load vfio_iommu_type1
        force_load vfio_pci
        mkdir -p "${DESTDIR}/etc/udev/rules.d"
        cp -p /etc/udev/rules.d/05-virthost-vfio.rules "${DESTDIR}/etc/udev/rules.d/"

        """)

    // kmod's own reading of the file, where modprobe is installed.
    guard
      FileManager.default.isExecutableFile(atPath: "/usr/sbin/modprobe")
        || FileManager.default.isExecutableFile(atPath: "/sbin/modprobe")
    else { return }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-kmod-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try modprobe.write(to: folder.appendingPathComponent("virthost-vfio.conf"), atomically: true, encoding: .utf8)
    let run = try ProgramRun.run(
      FileManager.default.isExecutableFile(atPath: "/usr/sbin/modprobe") ? "/usr/sbin/modprobe" : "/sbin/modprobe",
      ["-C", folder.path, "--showconfig"])
    let lines = run.output.split(separator: "\n").map(String.init).filter {
      $0.contains("vfio") || $0.contains("nouveau") || $0.contains("snd_hda_intel")
    }
    #expect(
      lines == [
        "blacklist nouveau", "options vfio_pci ids=10de:10f0", "softdep nouveau pre: vfio-pci",
        "softdep snd_hda_intel pre: vfio-pci",
      ])
  }

  @Test func aDracutHostGetsForceDriversAndTheDracutRun() throws {
    let host = try host()
    let manager = FileManager.default
    try manager.removeItem(atPath: host.root.path + "/usr/sbin/update-initramfs")
    try host.root.writeProgram("/usr/bin/dracut", "#!/bin/sh\n")
    try host.root.write("/etc/dracut.conf.d/10-local.conf", "force_drivers+=\" nvme \"\n")
    let plan = try host.plan()
    let dracut = try #require(plan.fileOperations.first { $0.path == "/etc/dracut.conf.d/virthost-vfio.conf" })
    let text = String(decoding: dracut.after ?? Data(), as: UTF8.self)
    #expect(
      text == "# PCI passthrough, written by virthost: these devices go to vfio-pci at boot.\n"
        + "force_drivers=\"${force_drivers} vfio vfio_iommu_type1 vfio_pci \"\n")
    #expect(plan.fileOperations.compactMap(\.command).map(\.shown) == ["dracut -f --regenerate-all"])
    #expect(plan.fileOperations.first { $0.command != nil }?.path == "/etc/dracut.conf.d/virthost-vfio.conf")
    #expect(!plan.fileOperations.contains { $0.path.hasPrefix("/etc/initramfs-tools/") })
    // dracut sources its files in name order as bash: the local driver stays, vfio's are added.
    try host.root.write("/etc/dracut.conf.d/virthost-vfio.conf", text)
    let run = try ProgramRun.run(
      "/bin/bash",
      ["-c", "for f in \(host.root.path)/etc/dracut.conf.d/*.conf; do . \"$f\"; done; echo \"$force_drivers\""])
    #expect(run.output.split(whereSeparator: \.isWhitespace) == ["nvme", "vfio", "vfio_iommu_type1", "vfio_pci"])
  }

  /// initramfs-tools runs only the executable hooks: a hook with the right text that is not
  /// executable does nothing, and the plan says so.
  @Test func aHookThatIsNotExecutableIsReported() throws {
    let host = try host()
    _ = try host.engine.apply(try host.plan())
    let path = host.root.path + "/etc/initramfs-tools/hooks/virthost-vfio"
    #expect((try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o755)
    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
    let plan = try host.plan()
    #expect(
      plan.diagnostics.filter { $0.code == .initramfs }.map(\.summary) == [
        "/etc/initramfs-tools/hooks/virthost-vfio is not executable: initramfs-tools skips it"
      ])
  }
}

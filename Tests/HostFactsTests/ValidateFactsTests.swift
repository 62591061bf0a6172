import Foundation
import RootFS
import TestSupport
import Testing

@testable import HostFacts

/// The facts and checks of `virt-host-validate qemu` (and beyond) on fixture roots built to look
/// like each of its outcomes, and side by side with the real tool on this machine.
@Suite struct ValidateFactsTests {
  private func fixture(_ name: String) throws -> FixtureRoot {
    try FixtureRoot("Tests/HostFactsTests/Fixtures/\(name)/root")
  }

  private let root = Credentials(uid: 0, gids: [0])
  private let nobody = Credentials(uid: 65534, gids: [65534])

  private func gather(_ fixture: FixtureRoot, as credentials: Credentials? = nil) throws -> ValidateFacts {
    ValidateFacts.gather(try HostRoot(fixture.path), as: credentials ?? root)
  }

  private func check(_ facts: ValidateFacts, _ name: String) -> ReadinessCheck? {
    facts.checks.first { $0.name == name }
  }

  @Test func theChecksAreAlwaysTheseNamesInThisOrder() throws {
    let empty = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-empty-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: empty) }
    let names = [
      "/dev/kvm access", "/dev/vhost-net", "/dev/net/tun", "cgroup cpu controller", "cgroup cpuacct controller",
      "cgroup cpuset controller", "cgroup memory controller", "cgroup devices controller", "cgroup blkio controller",
      "IOMMU in firmware", "secure guests", "nested virtualization",
    ]
    let facts = ValidateFacts.gather(try HostRoot(empty.path), as: root)
    #expect(facts.checks.map(\.name) == names)
    #expect(facts.checks.allSatisfy { $0.level == .warn && $0.message.hasPrefix("cannot tell: ") && $0.hint == nil })
    #expect(check(facts, "/dev/net/tun")?.message == "cannot tell: /dev not found (an offline image has no devices)")
    #expect(
      check(facts, "cgroup memory controller")?.message
        == "cannot tell: /proc/self/mounts not found, /proc/mounts not found")
    #expect(try gather(fixture("validate-missing-tun")).checks.map(\.name) == names)
  }

  @Test func aMissingTunDeviceFailsAsVirtHostValidateDoes() throws {
    let facts = try gather(fixture("validate-missing-tun"))
    #expect(facts.devices.tun.present == .known(false, source: "/dev/net/tun"))
    #expect(
      check(facts, "/dev/net/tun")
        == ReadinessCheck(
          name: "/dev/net/tun", level: .fail,
          message: "/dev/net/tun does not exist: guests cannot have TAP network devices",
          hint: "load the tun module: modprobe tun, and list it in /etc/modules-load.d/ to load it at boot"))
    #expect(facts.checks.filter { $0.level != .pass }.map(\.name) == ["/dev/net/tun", "secure guests"])
    #expect(check(facts, "/dev/vhost-net")?.message == "/dev/vhost-net exists")
    #expect(check(facts, "IOMMU in firmware")?.message == "the firmware announces VT-d (ACPI table DMAR)")
    #expect(check(facts, "nested virtualization")?.message == "kvm_intel lets guests run hypervisors (nested = Y)")
  }

  /// git keeps no mode 000, so the test takes it away from the copy. The tests run as root,
  /// whom the kernel lets read and write any device (CAP_DAC_OVERRIDE), as `virt-host-validate`
  /// run as root sees it: the check is judged for explicit credentials, root's and `nobody`'s,
  /// and `theModeBitJudgementAgreesWithTheKernel` proves the judgement against the kernel.
  @Test func anUnreadableKVMDeviceFailsForAnUnprivilegedCallerAndPassesForRoot() throws {
    let copy = try fixture("validate-kvm-unreadable")
    #expect(chmod(copy.path + "/dev/kvm", 0) == 0)
    let asNobody = try gather(copy, as: nobody)
    #expect(asNobody.devices.kvm.permissions == .known("0000 0:0", source: "/dev/kvm"))
    #expect(asNobody.devices.kvm.accessible == .known(false, source: "/dev/kvm: mode bits for uid 65534, gids 65534"))
    #expect(
      check(asNobody, "/dev/kvm access")
        == ReadinessCheck(
          name: "/dev/kvm access", level: .fail,
          message: "/dev/kvm (mode, owner:group 0000 0:0) is not readable and writable by the caller",
          hint: "add the user that runs QEMU to the group of /dev/kvm (usually kvm), or make it mode 0666 as udev does")
    )
    #expect(asNobody.checks.filter { $0.level == .fail }.map(\.name) == ["/dev/kvm access"])
    let asRoot = try gather(copy, as: root)
    #expect(check(asRoot, "/dev/kvm access")?.level == .pass)
    // The udev rule's 0660 root:kvm (gid 36 on Debian's) opens for a member of kvm only.
    #expect(chmod(copy.path + "/dev/kvm", 0o660) == 0)
    #expect(chown(copy.path + "/dev/kvm", 0, 36) == 0)
    #expect(check(try gather(copy, as: nobody), "/dev/kvm access")?.level == .fail)
    let qemu = Credentials(uid: 64055, gids: [64055, 36])
    #expect(
      check(try gather(copy, as: qemu), "/dev/kvm access")?.message
        == "/dev/kvm (mode, owner:group 0660 0:36) is readable and writable")
  }

  @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
  func theModeBitJudgementAgreesWithTheKernel() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-modes-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(chmod(folder.path, 0o755) == 0)
    let file = folder.appendingPathComponent("kvm").path
    #expect(FileManager.default.createFile(atPath: file, contents: nil))
    let hostRoot = try HostRoot(folder.path)
    var compared = 0
    for (owner, group) in [(0, 0), (65534, 0), (0, 65534)] as [(UInt32, UInt32)] {
      for mode in [0o000, 0o600, 0o606, 0o660, 0o666, 0o644, 0o622, 0o066] as [mode_t] {
        #expect(chown(file, owner, group) == 0 && chmod(file, mode) == 0)
        let status = try #require(hostRoot.status("/kvm"))
        let kernel =
          try run(
            "/usr/bin/setpriv",
            [
              "--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sh", "-c", "test -r \"$1\" && test -w \"$1\"",
              "sh", file,
            ]
          ).status == 0
        #expect(nobody.canReadAndWrite(status) == kernel, "mode \(String(mode, radix: 8)) \(owner):\(group)")
        compared += 1
      }
    }
    #expect(compared == 24)
  }

  @Test func cgroupV1HierarchiesProvideEveryControllerAndAMissingOneWarns() throws {
    let copy = try fixture("validate-cgroup-v1")
    let facts = try gather(copy)
    #expect(facts.cgroups.layout == .known("v1", source: "/proc/mounts"))
    #expect(facts.cgroups.v2Controllers == .unknown("no cgroup2 file system in /proc/mounts", source: "/proc/mounts"))
    #expect(
      facts.cgroups.controllers["cpuacct"]
        == .known(true, source: "/proc/mounts: cgroup /sys/fs/cgroup/cpu,cpuacct"))
    #expect(CgroupFacts.required.allSatisfy { facts.cgroups.controllers[$0]?.value == true })
    #expect(
      check(facts, "cgroup memory controller")?.message
        == "libvirt finds the memory controller in /proc/mounts: cgroup /sys/fs/cgroup/memory")
    // Without its memory hierarchy (Debian's kernels before 5.x booted without cgroup_enable=memory).
    let mounts = try copy.text("/proc/mounts").split(separator: "\n").filter { !$0.contains(",memory ") }
    try copy.write("/proc/mounts", mounts.joined(separator: "\n") + "\n")
    #expect(
      check(try gather(copy), "cgroup memory controller")
        == ReadinessCheck(
          name: "cgroup memory controller", level: .warn,
          message: "no memory controller (cgroup layout: v1): libvirt cannot limit guests' memory",
          hint: "mount it (systemd does at boot; else mount -t cgroup -o memory cgroup /sys/fs/cgroup/memory), "
            + "or build the kernel with CONFIG_MEMCG=y"))
  }

  @Test func cgroupV2WithoutCpusetWarnsForCpusetOnly() throws {
    let facts = try gather(fixture("validate-cgroup-v2"))
    #expect(facts.cgroups.layout == .known("v2", source: "/proc/mounts"))
    #expect(
      facts.cgroups.v2Controllers
        == .known(
          ["cpu", "io", "memory", "hugetlb", "pids", "rdma", "misc"], source: "/sys/fs/cgroup/cgroup.controllers"))
    #expect(
      facts.cgroups.controllers == [
        "cpu": .known(true, source: "/sys/fs/cgroup/cgroup.controllers"),
        "cpuacct": .known(true, source: "/sys/fs/cgroup/cgroup.controllers (cgroup v2 accounts CPU time in cpu.stat)"),
        "cpuset": .known(false, source: "/proc/mounts"),
        "memory": .known(true, source: "/sys/fs/cgroup/cgroup.controllers"),
        "devices": .known(
          true, source: "/proc/sys/kernel/osrelease (cgroup v2 controls devices by BPF from kernel 4.15)"),
        "blkio": .known(true, source: "/sys/fs/cgroup/cgroup.controllers (io)"),
      ])
    #expect(
      facts.checks.filter { $0.name.hasPrefix("cgroup") && $0.level != .pass }.map(\.name) == [
        "cgroup cpuset controller"
      ])
    #expect(
      check(facts, "cgroup cpuset controller")?.hint
        == "build the kernel with CONFIG_CPUSETS=y and boot without cgroup_disable=cpuset")
  }

  /// systemd's hybrid layout (this machine's): v1 hierarchies and a `cgroup2` without
  /// controllers, which libvirt does not count.
  @Test func aHybridLayoutTakesTheControllersFromV1() throws {
    let copy = try fixture("validate-cgroup-v1")
    let unified = "cgroup2 /sys/fs/cgroup/unified cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate 0 0\n"
    try copy.write("/proc/mounts", try copy.text("/proc/mounts") + unified)
    try copy.write("/sys/fs/cgroup/unified/cgroup.controllers", "\n")
    var facts = try gather(copy)
    #expect(facts.cgroups.layout == .known("v1", source: "/proc/mounts"))
    #expect(facts.cgroups.v2Controllers == .known([], source: "/sys/fs/cgroup/unified/cgroup.controllers"))
    #expect(facts.checks.filter { $0.name.hasPrefix("cgroup") }.allSatisfy { $0.level == .pass })
    try copy.write("/sys/fs/cgroup/unified/cgroup.controllers", "memory pids\n")
    facts = try gather(copy)
    #expect(facts.cgroups.layout == .known("hybrid", source: "/proc/mounts"))
    #expect(facts.cgroups.controllers["memory"] == .known(true, source: "/sys/fs/cgroup/unified/cgroup.controllers"))
    #expect(facts.cgroups.controllers["cpu"] == .known(true, source: "/proc/mounts: cgroup /sys/fs/cgroup/cpu,cpuacct"))
  }

  @Test func mountPointsWithEscapedBlanksAreDecoded() {
    let mounts = CgroupFacts.mounts("cgroup /sys/fs/cgroup/my\\040memory cgroup rw,memory 0 0\nshort line\n")
    #expect(
      mounts == [CgroupFacts.Mount(directory: "/sys/fs/cgroup/my memory", type: "cgroup", options: ["rw", "memory"])])
  }

  @Test func anEPYCWithSEVAndSEVESPassesAndEachMissingStepWarns() throws {
    let copy = try fixture("validate-amd-sev")
    var facts = try gather(copy)
    #expect(facts.secureGuests.cpuFlags == .known(["sev", "sev_es", "sev_snp"], source: "/proc/cpuinfo"))
    #expect(facts.secureGuests.sev == .known(true, source: "/sys/module/kvm_amd/parameters/sev"))
    #expect(facts.secureGuests.sevSNP == .known(false, source: "/sys/module/kvm_amd/parameters/sev_snp"))
    #expect(
      facts.secureGuests.tdx
        == .unknown("/sys/module/kvm_intel/parameters/tdx not found", source: "/sys/module/kvm_intel/parameters/tdx"))
    #expect(
      check(facts, "secure guests")
        == ReadinessCheck(
          name: "secure guests", level: .pass,
          message: "AMD SEV and SEV-ES available (the CPU has SEV-SNP, kvm_amd.sev_snp is off)"))
    #expect(facts.checks.allSatisfy { $0.level == .pass })
    #expect(check(facts, "IOMMU in firmware")?.message == "the firmware announces AMD-Vi (ACPI table IVRS)")
    #expect(check(facts, "nested virtualization")?.message == "kvm_amd lets guests run hypervisors (nested = Y)")

    try FileManager.default.removeItem(atPath: copy.path + "/dev/sev")
    facts = try gather(copy)
    #expect(
      check(facts, "secure guests")
        == ReadinessCheck(
          name: "secure guests", level: .warn,
          message: "AMD SEV is on in kvm_amd but /dev/sev does not exist: off in the firmware",
          hint: "enable SEV (and SME) in the BIOS setup, and load the ccp module"))
    try copy.write("/sys/module/kvm_amd/parameters/sev", "N\n")
    #expect(
      check(try gather(copy), "secure guests")
        == ReadinessCheck(
          name: "secure guests", level: .warn, message: "AMD SEV is off in kvm_amd (sev = N)",
          hint: "add kvm_amd.sev=1 to the kernel arguments in the boot loader and reboot"))
    try FileManager.default.removeItem(atPath: copy.path + "/sys/module/kvm_amd")
    facts = try gather(copy)
    #expect(
      check(facts, "secure guests")?.message
        == "the CPU has SEV, but the running kernel does not offer it (/sys/module/kvm_amd/parameters/sev not found)")
    #expect(
      check(facts, "nested virtualization")?.message
        == "cannot tell: neither kvm_intel nor kvm_amd is loaded (/sys/module/kvm_intel/parameters/nested, "
        + "/sys/module/kvm_amd/parameters/nested not found)")
  }

  @Test func aHostWithoutSecureGuestTechnologyWarnsAsVirtHostValidateDoes() throws {
    let facts = try gather(fixture("validate-cgroup-v2"))
    #expect(facts.secureGuests.cpuFlags == .known([], source: "/proc/cpuinfo"))
    #expect(
      check(facts, "secure guests")
        == ReadinessCheck(
          name: "secure guests", level: .warn,
          message: "no secure-guest technology: the CPU shows no sev flag and the kernel reports no Intel TDX",
          hint: "only confidential guests need one: AMD SEV (EPYC) or Intel TDX (Xeon)"))
  }

  @Test func intelTDXIsReadFromKvmIntel() throws {
    let copy = try fixture("validate-cgroup-v2")
    try copy.write("/sys/module/kvm_intel/parameters/tdx", "Y\n")
    #expect(check(try gather(copy), "secure guests")?.message == "Intel TDX is enabled in kvm_intel")
    try copy.write("/sys/module/kvm_intel/parameters/tdx", "N\n")
    #expect(check(try gather(copy), "secure guests")?.level == .warn)
  }

  @Test func theFirmwareTablesDecideTheIOMMUCheckByVendor() throws {
    let noDMAR = try gather(fixture("validate-cgroup-v1"))
    #expect(noDMAR.firmwareIOMMU.tables == .known([], source: "/sys/firmware/acpi/tables"))
    #expect(noDMAR.firmwareIOMMU.groups == .known(0, source: "/sys/kernel/iommu_groups"))
    #expect(
      check(noDMAR, "IOMMU in firmware")
        == ReadinessCheck(
          name: "IOMMU in firmware", level: .warn,
          message: "no ACPI DMAR table: VT-d is off in the BIOS or not supported by this platform",
          hint: "if guests need PCI passthrough, enable VT-d in the BIOS setup"))
    let arm = try fixture("validate-arm-iort")
    var facts = try gather(arm)
    #expect(facts.cpu.vendorID == .known("", source: "/proc/cpuinfo"))
    #expect(facts.firmwareIOMMU.tables == .known(["IORT"], source: "/sys/firmware/acpi/tables"))
    #expect(facts.firmwareIOMMU.iortHasSMMU == .known(true, source: "/sys/firmware/acpi/tables/IORT"))
    #expect(check(facts, "IOMMU in firmware")?.message == "the firmware announces an SMMU (ACPI IORT)")
    // The same table with the SMMUv3 node made a named component (type 1).
    var bytes = [UInt8](try arm.bytes("/sys/firmware/acpi/tables/IORT"))
    bytes[72] = 1
    try Data(bytes).write(to: arm.url("/sys/firmware/acpi/tables/IORT"))
    facts = try gather(arm)
    #expect(facts.firmwareIOMMU.iortHasSMMU == .known(false, source: "/sys/firmware/acpi/tables/IORT"))
    #expect(check(facts, "IOMMU in firmware")?.level == .warn)
    #expect(FirmwareIOMMUFacts.hasSMMU(Array(bytes.prefix(40))) == nil)
  }

  @Test func nestedVirtualizationOffWarnsWithTheModuleOption() throws {
    let facts = try gather(fixture("validate-cgroup-v1"))
    #expect(facts.nested.enabled == .known(false, source: "/sys/module/kvm_intel/parameters/nested"))
    #expect(
      check(facts, "nested virtualization")
        == ReadinessCheck(
          name: "nested virtualization", level: .warn,
          message: "kvm_intel runs with nested = N: guests cannot run hypervisors",
          hint: "only if guests run hypervisors: options kvm_intel nested=1 in /etc/modprobe.d/kvm.conf, "
            + "then reload kvm_intel with no guest running"))
  }

  @Test func newerKSMCountersAreListedOnlyWhenPresent() throws {
    let facts = try gather(fixture("validate-amd-sev"))
    let folder = "/sys/kernel/mm/ksm/"
    #expect(
      facts.ksmCounters.counters == [
        "general_profit": .known(72_368_128, source: folder + "general_profit"),
        "ksm_zero_pages": .known(412, source: folder + "ksm_zero_pages"),
        "use_zero_pages": .known(0, source: folder + "use_zero_pages"),
        "max_page_sharing": .known(256, source: folder + "max_page_sharing"),
        "smart_scan": .known(1, source: folder + "smart_scan"),
        "advisor_max_cpu": .known(70, source: folder + "advisor_max_cpu"),
        "advisor_target_scan_time": .known(200, source: folder + "advisor_target_scan_time"),
      ])
    #expect(facts.ksmCounters.advisorMode == .known("none", source: folder + "advisor_mode"))
    #expect(facts.ksmCounters.profitBytes == .known(72_368_128, source: folder + "general_profit"))
    let old = try gather(fixture("validate-cgroup-v1"))
    #expect(
      old.ksmCounters.counters.isEmpty && old.ksmCounters.advisorMode == nil && old.ksmCounters.profitBytes == nil)
  }

  @Test func theFactsRoundTripThroughJSONWithSnakeCaseKeys() throws {
    let facts = try gather(fixture("validate-amd-sev"))
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = try encoder.encode(facts)
    #expect(try JSONDecoder().decode(ValidateFacts.self, from: data) == facts)
    let text = String(decoding: data, as: UTF8.self)
    for key in [
      "\"firmware_iommu\"", "\"secure_guests\"", "\"ksm_counters\"", "\"vhost_net\"", "\"iort_has_smmu\"", "\"sev_es\"",
    ] {
      #expect(text.contains(key), "\(key)")
    }
  }

  @Test func kmsgRecordsReadAsDmesgPrintsThem() {
    #expect(
      KernelRingBuffer.record(Array("6,339,318377,-;iommu: Default domain type: Translated\n".utf8))
        == "[    0.318377] iommu: Default domain type: Translated")
    #expect(
      KernelRingBuffer.record(Array("4,1200,12345678901,-,caller=T1;AMD-Vi: a\\x09tab\n SUBSYSTEM=pci\n".utf8))
        == "[12345.678901] AMD-Vi: a\ttab")
    #expect(
      KernelRingBuffer.record(Array("4,5,429785,-;amd_pstate: disabled by the BIOS.\\x0aPlease enable it.\n".utf8))
        == "[    0.429785] amd_pstate: disabled by the BIOS.\n               Please enable it.")
    #expect(KernelRingBuffer.record(Array("no header\n".utf8)) == nil)
  }

  @Test func theRingBufferIsReadOnlyOnTheLiveRootAndTheBootLogFileComesFirst() throws {
    let copy = try fixture("validate-cgroup-v2")
    try copy.write("/dev/kmsg", "6,1,1,-;never read\n")
    let hostRoot = try HostRoot(copy.path)
    #expect(
      KernelRingBuffer.bootLog(hostRoot)
        == .unknown(
          "/var/log/dmesg not found; the ring buffer (/dev/kmsg) is read only on the live root",
          source: "/var/log/dmesg"))
    try copy.write("/var/log/dmesg", "[    0.000000] DMAR: IOMMU enabled\n")
    #expect(
      KernelRingBuffer.bootLog(hostRoot) == .known(["[    0.000000] DMAR: IOMMU enabled"], source: "/var/log/dmesg"))
  }

  /// `dmesg` (util-linux) is the oracle: every line it prints is one the reader returns.
  @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/dmesg")))
  func theLiveRingBufferHoldsWhatDmesgPrints() throws {
    let printed = try run("/usr/bin/dmesg", []).output.split(separator: "\n").map(String.init)
    let read = KernelRingBuffer.messages(.live)
    #expect(read.source == "/dev/kmsg")
    let lines = Set(try #require(read.value))
    let missing = printed.filter { !lines.contains($0) && !$0.contains("\\") }
    #expect(missing.isEmpty, "\(missing.prefix(3))")
    #expect(!lines.isEmpty)
  }

  /// The oracle: Debian's `virt-host-validate qemu` on this machine, every line of it mapped to
  /// the virthost check that answers the same question, levels equal but for the differences
  /// virthost argues for (``argued``).
  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ValidateOracle.program)))
  func virtHostValidateAndVirthostAgreeOnTheLiveMachine() throws {
    let comparison = try ValidateOracle.compare()
    print(comparison.table)
    #expect(!comparison.rows.isEmpty)
    for row in comparison.rows {
      #expect(row.virthost != nil, "no virthost check for \(row.question)")
      #expect(row.verdict != .disagree, "\(row.question): \(row.theirs) against \(row.virthost?.level.rawValue ?? "-")")
    }
  }
}

/// Runs `virt-host-validate qemu` and virthost's checks on the live root and pairs their lines.
enum ValidateOracle {
  static let program = "/usr/bin/virt-host-validate"

  /// One line of `virt-host-validate` beside virthost's check.
  struct Row {
    enum Verdict: String { case agree, argued, disagree }
    var question: String
    var theirs: String
    var theirMessage: String
    var virthost: ReadinessCheck?
    var verdict: Verdict
  }

  /// The question of each `virt-host-validate` line → virthost's check.
  static func virthostName(_ question: String) -> String? {
    if question.hasPrefix("for cgroup '"), let name = question.split(separator: "'").dropFirst().first {
      return "cgroup \(name) controller"
    }
    return [
      "for hardware virtualization": "hardware virtualization",
      "if device /dev/kvm exists": "/dev/kvm",
      "if device /dev/kvm is accessible": "/dev/kvm access",
      "if device /dev/vhost-net exists": "/dev/vhost-net",
      "if device /dev/net/tun exists": "/dev/net/tun",
      "for device assignment IOMMU support": "IOMMU in firmware",
      "if IOMMU is enabled by kernel": "IOMMU enabled by kernel",
      "for secure guest support": "secure guests",
    ][question]
  }

  /// Where virthost's level differs on purpose: hardware virtualization without svm or vmx but
  /// with a working `/dev/kvm` (nested or paravirtualized KVM, as on this machine) warns
  /// instead of failing, since guests do run with KVM.
  static func argued(_ question: String, theirs: String, _ check: ReadinessCheck) -> Bool {
    question == "for hardware virtualization" && theirs == "FAIL" && check.level == .warn
      && check.message.contains("yet /dev/kvm exists")
  }

  static func compare() throws -> (rows: [Row], table: String) {
    let output = try run(program, ["qemu"]).output
    let checks = HostFacts.gather(root: .live).checks + ValidateFacts.gather(.live).checks
    var rows: [Row] = []
    for line in output.split(separator: "\n") {
      guard let colon = line.range(of: ": Checking ") else { continue }
      let rest = line[colon.upperBound...]
      guard let separator = rest.range(of: ": ", options: .backwards) else { continue }
      let question = rest[..<separator.lowerBound].trimmingCharacters(in: .whitespaces)
        .replacingOccurrences(of: "Checking ", with: "")
      let outcome = rest[separator.upperBound...]
      let level = String(outcome.prefix { $0 != " " })
      let message = outcome.drop { $0 != "(" }.dropFirst().dropLast()
      let check = virthostName(question).flatMap { name in checks.first { $0.name == name } }
      let verdict: Row.Verdict =
        check.map { $0.level.rawValue == level ? .agree : argued(question, theirs: level, $0) ? .argued : .disagree }
        ?? .disagree
      rows.append(
        Row(question: question, theirs: level, theirMessage: String(message), virthost: check, verdict: verdict))
    }
    var table = "virt-host-validate qemu | level | virthost check | level | verdict | virthost message\n"
    for row in rows {
      table +=
        "\(row.question) | \(row.theirs) | \(row.virthost?.name ?? "-") | \(row.virthost?.level.rawValue ?? "-") | "
        + "\(row.verdict.rawValue) | \(row.virthost?.message ?? "")\n"
    }
    let asked = Set(rows.compactMap { virthostName($0.question) })
    table += "virthost only:\n"
    for check in checks where !asked.contains(check.name) {
      table += "- \(check.name) | \(check.level.rawValue) | \(check.message)\n"
    }
    return (rows, table)
  }
}

/// Runs `program` with `arguments`; its standard output and exit status.
private func run(_ program: String, _ arguments: [String]) throws -> (output: String, status: Int32) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: program)
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.nullDevice
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (String(decoding: data, as: UTF8.self), process.terminationStatus)
}

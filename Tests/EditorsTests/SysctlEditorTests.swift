import Editors
import Foundation
import HostConfig
import TestSupport
import Testing

/// CentOS 6's stock /etc/sysctl.conf, shortened.
private let centosSysctl = """
  # Kernel sysctl configuration file for Red Hat Linux
  #
  # For binary values, 0 is disabled, 1 is enabled.  See sysctl(8) and
  # sysctl.conf(5) for more details.

  # Controls IP packet forwarding
  net.ipv4.ip_forward = 0

  # Controls whether core dumps will append the PID to the core filename.
  # Useful for debugging multi-threaded applications.
  kernel.core_uses_pid = 1

  """

@Suite struct SysctlEditorTests {
  /// `unset` takes every assignment under /etc out (the admin's and virthost's), and
  /// nothing else: the key gets no value at boot.
  @Test func unsetTakesEveryAssignmentUnderEtcOut() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/sysctl.conf", centosSysctl + "vm.nr_hugepages = 128\n")
    try root.write("/etc/sysctl.d/90-virthost.conf", "# virthost\nvm.nr_hugepages = 256\nvm.swappiness = 10\n")
    let editor = try SysctlEditor(root: try root.root)
    let (files, before) = try editor.unset("vm.nr_hugepages")
    #expect(files == ["/etc/sysctl.conf", "/etc/sysctl.d/90-virthost.conf"])
    #expect(before?.value == "256")
    #expect(try editor.persistentValue("vm.nr_hugepages") == nil)
    let after = Dictionary(uniqueKeysWithValues: try editor.pendingChanges().map { ($0.path, $0.after) })
    #expect(after["/etc/sysctl.conf"] == centosSysctl)
    #expect(after["/etc/sysctl.d/90-virthost.conf"] == "# virthost\nvm.swappiness = 10\n")
  }

  @Test func unsetOfAKeyWithoutABootValueChangesNothing() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/sysctl.conf", centosSysctl)
    let editor = try SysctlEditor(root: try root.root)
    let (files, before) = try editor.unset("vm.nr_hugepages")
    #expect(files.isEmpty)
    #expect(before == nil)
    #expect(try editor.pendingChanges().isEmpty)
  }

  /// A package's file would still give the value: refused with its file and line, and the
  /// files under /etc are left as they were.
  @Test func unsetRefusesWhatAPackagesFileSets() throws {
    let root = try FixtureRoot("examples/numa-pinned/root")  // Debian 12: systemd-sysctl reads /usr/lib
    try root.write("/etc/sysctl.d/90-virthost.conf", "vm.nr_hugepages = 256\n")
    try root.write("/usr/lib/sysctl.d/10-tuning.conf", "kernel.pid_max = 65536\nvm.nr_hugepages = 64\n")
    let editor = try SysctlEditor(root: try root.root)
    let error = #expect(throws: EditorError.self) { try editor.unset("vm.nr_hugepages") }
    #expect(
      error?.description
        == "/usr/lib/sysctl.d/10-tuning.conf:2: gives vm.nr_hugepages the value 64 at boot, and virthost writes no file outside /etc and no glob line: take it out there, or set vm.nr_hugepages = 0 in a file read after it"
    )
    #expect(try editor.pendingChanges().isEmpty)
    #expect(try editor.persistentValue("vm.nr_hugepages") == "256")
  }

  @Test func aNewSettingGoesToTheVirthostDropIn() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/sysctl.conf", centosSysctl)
    let editor = try SysctlEditor(root: try root.root)
    #expect(try editor.persistentValue("kernel.numa_balancing") == nil)
    try editor.set("kernel.numa_balancing", "1")
    try editor.set("vm.nr_hugepages", "512")
    let expected =
      "# Kernel settings written by virthost (sysctl.d(5)); the last assignment of a key wins.\n"
      + "kernel.numa_balancing = 1\nvm.nr_hugepages = 512\n"
    #expect(
      try editor.pendingChanges() == [FileChange(path: "/etc/sysctl.d/90-virthost.conf", before: nil, after: expected)])
    try root.apply(try editor.pendingChanges())
    #expect(try root.text("/etc/sysctl.d/90-virthost.conf") == expected)
    #expect(try root.text("/etc/sysctl.conf") == centosSysctl)
    let reread = try SysctlEditor(root: try root.root)
    #expect(try reread.persistentValue("kernel.numa_balancing") == "1")
    #expect(try reread.persistentValue("vm/nr_hugepages") == "512")
  }

  @Test func withSysctlSystemTheLastFileReadWinsAndIsEditedInPlace() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/sysctl.conf", centosSysctl + "vm.nr_hugepages = 128\n")
    try root.write("/usr/lib/sysctl.d/10-hugepages.conf", "vm.nr_hugepages = 64\n")
    try root.write("/etc/sysctl.d/10-hugepages.conf", "vm.nr_hugepages = 32\n")
    let editor = try SysctlEditor(root: try root.root, semantics: .procps)
    #expect(editor.files == ["/etc/sysctl.d/10-hugepages.conf", "/etc/sysctl.conf"])
    #expect(try editor.persistentValue("vm.nr_hugepages") == "128")
    try editor.set("vm.nr_hugepages", "256")
    #expect(try editor.pendingChanges().map(\.path) == ["/etc/sysctl.conf"])
    try root.apply(try editor.pendingChanges())
    #expect(try root.text("/etc/sysctl.conf") == centosSysctl + "vm.nr_hugepages = 256\n")
    #expect(try root.text("/etc/sysctl.d/10-hugepages.conf") == "vm.nr_hugepages = 32\n")
  }

  @Test func onTheRHEL6SeedSysctlConfIsReadFirstThenEtcSysctlDAndNothingElse() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/sysctl.conf", centosSysctl + "vm.nr_hugepages = 128\n")
    try root.write("/usr/lib/sysctl.d/10-hugepages.conf", "vm.nr_hugepages = 64\n")
    try root.write("/etc/sysctl.d/10-hugepages.conf", "vm.nr_hugepages = 32\n")
    try root.write("/etc/sysctl.d/10-hugepages.conf.rpmsave", "vm.nr_hugepages = 16\n")
    let editor = try SysctlEditor(root: try root.root)
    #expect(editor.semantics == .rhel6)
    #expect(editor.files == ["/etc/sysctl.conf", "/etc/sysctl.d/10-hugepages.conf"])
    #expect(try editor.persistentValue("vm.nr_hugepages") == "32")
    try editor.set("vm.nr_hugepages", "256")
    try editor.set("net.ipv4.ip_forward", "1")
    try root.apply(try editor.pendingChanges())
    #expect(try root.text("/etc/sysctl.d/10-hugepages.conf") == "vm.nr_hugepages = 256\n")
    #expect(
      try root.text("/etc/sysctl.conf")
        == centosSysctl.replacingOccurrences(of: "ip_forward = 0", with: "ip_forward = 1") + "vm.nr_hugepages = 128\n")
    #expect(try root.text("/usr/lib/sysctl.d/10-hugepages.conf") == "vm.nr_hugepages = 64\n")
  }

  @Test func theSemanticsFollowTheInitSystemAndTheFamily() throws {
    let centos = try FixtureRoot(seed)
    #expect(SysctlSemantics.detect(try centos.root) == .rhel6)
    let systemd = try FixtureRoot(systemdHost)
    #expect(SysctlSemantics.detect(try systemd.root) == .systemd)
    let debian = try FixtureRoot()
    try debian.write("/etc/init.d/procps", "#!/bin/sh\n")
    try debian.write("/etc/rc2.d/.keep", "")
    try debian.write("/etc/debian_version", "12.8\n")
    #expect(SysctlSemantics.detect(try debian.root) == .procps)
    let unknown = try FixtureRoot()
    #expect(SysctlSemantics.detect(try unknown.root) == .procps)
  }

  @Test func sysctlConfCanBeTheEditedFile() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/sysctl.conf", centosSysctl)
    let editor = try SysctlEditor(root: try root.root, file: "/etc/sysctl.conf")
    try editor.set("net.ipv4.ip_forward", "1")
    try editor.set("kernel.numa_balancing", "0")
    try root.apply(try editor.pendingChanges())
    #expect(
      try root.text("/etc/sysctl.conf")
        == centosSysctl.replacingOccurrences(of: "ip_forward = 0", with: "ip_forward = 1")
        + "kernel.numa_balancing = 0\n")
  }

  @Test func aValueAlreadyPersistentWritesNothing() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/sysctl.conf", centosSysctl)
    let before = try root.snapshot()
    let editor = try SysctlEditor(root: try root.root)
    try editor.set("kernel.core_uses_pid", "1")
    #expect(try editor.pendingChanges() == [])
    #expect(try root.snapshot() == before)
  }

  @Test func settingTwiceGivesTheSameTreeAsOnce() throws {
    let once = try FixtureRoot(seed)
    let twice = try FixtureRoot(seed)
    try {
      let e = try SysctlEditor(root: try once.root)
      try e.set("kernel.numa_balancing", "1")
      try once.apply(try e.pendingChanges())
    }()
    for _ in 0..<2 {
      let editor = try SysctlEditor(root: try twice.root)
      try editor.set("kernel.numa_balancing", "1")
      try twice.apply(try editor.pendingChanges())
    }
    #expect(try once.snapshot() == twice.snapshot())
  }

  @Test func readsTheLiveValueUnderProcSys() throws {
    let root = try FixtureRoot(seed)
    try root.write("/proc/sys/kernel/numa_balancing", "1\n")
    try root.write("/proc/sys/net/ipv4/ip_local_port_range", "32768\t60999\n")
    let editor = try SysctlEditor(root: try root.root)
    #expect(editor.liveValue("kernel.numa_balancing") == "1")
    #expect(editor.liveValue("net.ipv4.ip_local_port_range") == "32768\t60999")
    #expect(editor.liveValue("vm.nr_hugepages") == nil)
    #expect(editor.liveValue("../../etc/passwd") == nil)
  }

  @Test func badKeysValuesAndFilesAreRefused() throws {
    let root = try FixtureRoot(seed)
    let editor = try SysctlEditor(root: try root.root)
    let key = editorError { () throws(EditorError) in try editor.set("../etc", "1") }
    #expect(key?.message == "invalid sysctl key \"../etc\": expected dotted names such as kernel.numa_balancing")
    let value = editorError { () throws(EditorError) in try editor.set("kernel.numa_balancing", "1\nvm.x = 2") }
    #expect(value?.message == "invalid value \"1\\nvm.x = 2\" for kernel.numa_balancing: it contains a newline")
    let host = try root.root
    let file = editorError { () throws(EditorError) in _ = try SysctlEditor(root: host, file: "/etc/virthost.conf") }
    #expect(
      file?.description
        == "/etc/virthost.conf: is not read by RHEL 6's boot scripts: use /etc/sysctl.conf or a file in /etc/sysctl.d")
    #expect(try editor.pendingChanges() == [])
  }

  @Test func aFileThatCannotBeParsedIsReportedWithItsLine() throws {
    let root = try FixtureRoot(seed)
    try root.write("/etc/sysctl.conf", "kernel.core_uses_pid = 1\n= 5\n")
    let host = try root.root
    let error = editorError { () throws(EditorError) in _ = try SysctlEditor(root: host) }
    #expect(error?.file == "/etc/sysctl.conf")
    #expect(error?.line == 2)
  }
}

@Suite struct SysctlEditorRootTests {
  @Test func aDropInLinkedByAnAbsolutePathIsReadInsideTheRootNeverOnTheLiveHost() throws {
    let root = try FixtureRoot(seed)
    try root.write("/usr/lib/sysctl.d/50-vendor.conf", "vm.swappiness = 7\n")
    try FileManager.default.createDirectory(atPath: root.path + "/etc/sysctl.d", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(
      atPath: root.path + "/etc/sysctl.d/50-vendor.conf", withDestinationPath: "/usr/lib/sysctl.d/50-vendor.conf")
    let editor = try SysctlEditor(root: try root.root)
    #expect(editor.files.first == "/usr/lib/sysctl.d/50-vendor.conf")
    #expect(try editor.persistentValue("vm.swappiness") == "7")
  }

  @Test func aFileThatIsNotUTF8IsRefusedAtItsByte() throws {
    let root = try FixtureRoot(seed)
    try Data("kernel.core_uses_pid = 1\nkernel.x = \u{FF}\n".utf8.map { $0 == 0xC3 ? 0xFF : $0 }).write(
      to: root.url("/etc/sysctl.conf"))
    let host = try root.root
    let error = editorError { () throws(EditorError) in _ = try SysctlEditor(root: host) }
    #expect(error?.file == "/etc/sysctl.conf")
    #expect(error?.line == 2)
    #expect(error?.message.hasPrefix("not UTF-8 text") == true)
  }
}

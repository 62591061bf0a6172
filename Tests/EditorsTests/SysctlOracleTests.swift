import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// The sysctl reader and editor against systemd-sysctl: the recorded
/// oracle (`oracles/sysctl/*.tsv`) on the same layouts, and the program itself where it can run.
@Suite struct SysctlOracleTests {
  static let header = "# Kernel settings written by virthost (sysctl.d(5)); the last assignment of a key wins.\n"

  static func layout(_ name: String) throws -> FixtureRoot {
    let root = try FixtureRoot()
    try SysctlOracleCase.load(name).build(in: root)
    return root
  }

  @Test func everyRecordedLayoutHasABuilderThatLaysOutTheRecordedFiles() throws {
    let cases = try SysctlOracleCase.all()
    #expect(cases.map(\.name) == SysctlOracleCase.builtCases)
    for oracle in cases {
      let root = try FixtureRoot()
      try oracle.build(in: root)
      #expect(try SysctlOracleCase.listing(of: root) == oracle.files, "\(oracle.name)")
    }
  }

  @Test(arguments: try SysctlOracleCase.all().map(\.name))
  func effectiveValuesAndReadOrderMatchSystemdSysctl(_ name: String) throws {
    let oracle = try SysctlOracleCase.load(name)
    let root = try Self.layout(name)
    let configuration = try SysctlConfiguration(root: try root.root, semantics: .systemd)
    #expect(configuration.files.map(\.path) == oracle.readOrder)
    for (key, value) in oracle.values {
      #expect(configuration.effective(SysctlKey(key))?.value == value, "\(name): \(key)")
    }
  }

  @Test func setKeyWonByVendorFileReadLater_writesLateEtcFile_andLeavesVendorFileByteIdentical() throws {
    let root = try Self.layout("debian12-stock")
    let vendor = try root.bytes("/usr/lib/sysctl.d/99-protect-links.conf")
    let editor = try SysctlEditor(root: try root.root, semantics: .systemd)
    let placement = try editor.set("fs.protected_regular", "1")
    #expect(
      try editor.pendingChanges() == [
        FileChange(
          path: "/etc/sysctl.d/zz-virthost.conf", before: nil, after: Self.header + "fs.protected_regular = 1\n")
      ])
    #expect(
      placement.detail
        == "fs.protected_regular is set by /usr/lib/sysctl.d/99-protect-links.conf (package file, read after "
        + "90-virthost.conf): written to /etc/sysctl.d/zz-virthost.conf, read after it; "
        + "/usr/lib/sysctl.d/99-protect-links.conf is left as it is")
    try root.apply(try editor.pendingChanges())
    #expect(try root.bytes("/usr/lib/sysctl.d/99-protect-links.conf") == vendor)
    let reread = try SysctlConfiguration(root: try root.root, semantics: .systemd)
    #expect(reread.effective(SysctlKey("fs.protected_regular"))?.value == "1")
    #expect(reread.effective(SysctlKey("fs.protected_fifos"))?.value == "1")
    #expect(try SysctlEditor(root: try root.root, semantics: .systemd).set("fs.protected_regular", "1").file == nil)
  }

  @Test func setKeyInVendorFileReadEarlier_goesTo90Virthost() throws {
    let root = try Self.layout("debian12-stock")
    let editor = try SysctlEditor(root: try root.root, semantics: .systemd)
    let placement = try editor.set("kernel.pid_max", "65536")
    #expect(
      try editor.pendingChanges() == [
        FileChange(path: "/etc/sysctl.d/90-virthost.conf", before: nil, after: Self.header + "kernel.pid_max = 65536\n")
      ])
    #expect(
      placement.detail?.hasPrefix(
        "kernel.pid_max is set by /usr/lib/sysctl.d/50-pid-max.conf (package file, read before") == true)
  }

  @Test func keyMovesFrom90VirthostToTheLaterFileWhenAPackageFileReadAfterItSetsIt() throws {
    let root = try Self.layout("etc-90-loses-to-vendor-99")
    let editor = try SysctlEditor(root: try root.root, semantics: .systemd)
    let placement = try editor.set("fs.protected_regular", "1")
    #expect(placement.file == "/etc/sysctl.d/zz-virthost.conf")
    #expect(placement.removedFrom == "/etc/sysctl.d/90-virthost.conf")
    #expect(
      try editor.pendingChanges() == [
        FileChange(path: "/etc/sysctl.d/90-virthost.conf", before: "fs.protected_regular = 0\n", after: ""),
        FileChange(
          path: "/etc/sysctl.d/zz-virthost.conf", before: nil, after: Self.header + "fs.protected_regular = 1\n"),
      ])
  }

  @Test func setKeyInRunFile_neverEditsRun() throws {
    let root = try Self.layout("run-masks-vendor")
    let before = try root.snapshot().filter { $0.key.hasPrefix("run/") || $0.key.hasPrefix("usr/") }
    let editor = try SysctlEditor(root: try root.root, semantics: .systemd)
    try editor.set("vm.swappiness", "10")
    try editor.set("kernel.numa_balancing", "0")
    let changes = try editor.pendingChanges()
    #expect(changes.map(\.path) == ["/etc/sysctl.d/90-virthost.conf"])
    #expect(changes.first?.after == Self.header + "vm.swappiness = 10\nkernel.numa_balancing = 0\n")
    try root.apply(changes)
    #expect(try root.snapshot().filter { $0.key.hasPrefix("run/") || $0.key.hasPrefix("usr/") } == before)
  }

  @Test func aKeyLastSetUnderEtcIsChangedInPlace() throws {
    let root = try Self.layout("etc-masks-run")
    let editor = try SysctlEditor(root: try root.root, semantics: .systemd)
    try editor.set("vm.swappiness", "7")
    #expect(
      try editor.pendingChanges() == [
        FileChange(path: "/etc/sysctl.d/60-runtime.conf", before: "vm.swappiness = 5\n", after: "vm.swappiness = 7\n")
      ])
  }

  @Test func systemdHostWithoutSysctlConfLink_ignoresSysctlConf() throws {
    let root = try Self.layout("sysctl-conf-unlinked")
    let host = try root.root
    let editor = try SysctlEditor(root: host, semantics: .systemd)
    #expect(try editor.persistentValue("vm.swappiness") == nil)
    try editor.set("vm.swappiness", "10")
    #expect(try editor.pendingChanges().map(\.path) == ["/etc/sysctl.d/90-virthost.conf"])
    let error = editorError { () throws(EditorError) in
      _ = try SysctlEditor(root: host, file: "/etc/sysctl.conf", semantics: .systemd)
    }
    #expect(
      error?.description
        == "/etc/sysctl.conf: systemd-sysctl does not read /etc/sysctl.conf on this host: no /etc/sysctl.d/*.conf links to it"
    )
  }

  @Test func systemdHostWithTheSysctlConfLink_editsSysctlConfInPlace() throws {
    let root = try Self.layout("sysctl-conf-linked")
    let text = try root.text("/etc/sysctl.conf")
    let editor = try SysctlEditor(root: try root.root, semantics: .systemd)
    #expect(try editor.persistentValue("vm.swappiness") == "10")
    try editor.set("vm.swappiness", "20")
    #expect(
      try editor.pendingChanges() == [
        FileChange(
          path: "/etc/sysctl.conf", before: text,
          after: text.replacingOccurrences(of: "vm.swappiness = 10\n", with: "vm.swappiness = 20\n"))
      ])
  }

  @Test func aFileAskedForOutsideEtcOrOfAPackagesNameStartsAsItsCopy() throws {
    let root = try Self.layout("debian12-stock")
    let host = try root.root
    let outside = editorError { () throws(EditorError) in
      _ = try SysctlEditor(root: host, file: "/usr/lib/sysctl.d/99-protect-links.conf", semantics: .systemd)
    }
    #expect(
      outside?.description
        == "/usr/lib/sysctl.d/99-protect-links.conf: virthost writes sysctl settings only under /etc "
        + "(a package's file is reverted by its next upgrade, /run is gone at reboot)")
    let vendor = try root.text("/usr/lib/sysctl.d/99-protect-links.conf")
    let editor = try SysctlEditor(root: host, file: "/etc/sysctl.d/99-protect-links.conf", semantics: .systemd)
    #expect(editor.copiedFrom == "/usr/lib/sysctl.d/99-protect-links.conf")
    try editor.set("fs.protected_regular", "1")
    #expect(
      try editor.pendingChanges() == [
        FileChange(
          path: "/etc/sysctl.d/99-protect-links.conf", before: nil,
          after: vendor.replacingOccurrences(of: "fs.protected_regular = 2", with: "fs.protected_regular = 1"))
      ])
    #expect(try editor.persistentValue("fs.protected_fifos") == "1")
  }

  @Test func aKeySetByAFileNamedAfterTheLaterFileIsRefusedNamingIt() throws {
    let root = try Self.layout("debian12-stock")
    try root.write("/usr/lib/sysctl.d/zzz-late.conf", "vm.swappiness = 60\n")
    let editor = try SysctlEditor(root: try root.root, semantics: .systemd)
    let error = editorError { () throws(EditorError) in try editor.set("vm.swappiness", "10") }
    #expect(
      error?.description
        == "/usr/lib/sysctl.d/zzz-late.conf: sets vm.swappiness, and is read after /etc/sysctl.d/zz-virthost.conf, "
        + "the last file virthost writes: virthost does not hide a package's file by default; set it with "
        + "file: /etc/sysctl.d/zzz-late.conf (a copy of that file with the new value, which then replaces it)")
    #expect(try editor.pendingChanges() == [])
  }

  @Test func globAssignment_countsForMatchingKey_andExclusionIsNotAnAssignment() throws {
    let root = try Self.layout("vendor-glob-only")
    let editor = try SysctlEditor(root: try root.root, semantics: .systemd)
    #expect(try editor.persistentValue("net.ipv4.conf.eth0.rp_filter") == "2")
    #expect(try editor.persistentValue("net/ipv4/conf/eth0/rp_filter") == "2")
    #expect(try editor.persistentValue("net.ipv4.conf.all.rp_filter") == nil)
    #expect(try editor.set("net.ipv4.conf.eth0.rp_filter", "2").file == nil)
    #expect(try editor.pendingChanges() == [])
    let placement = try editor.set("net.ipv4.conf.hub0.rp_filter", "0")
    #expect(placement.file == "/etc/sysctl.d/90-virthost.conf")
    #expect(
      placement.detail
        == "net.ipv4.conf.hub0.rp_filter is set by the glob net.ipv4.conf.*.rp_filter in /usr/lib/sysctl.d/50-default.conf: "
        + "an assignment in /etc/sysctl.d/90-virthost.conf takes precedence over any glob")
  }

  @Test func setInFileWithExclusionLine_keepsLineAndChangesValue() throws {
    let root = try FixtureRoot()
    try SysctlOracleCase.Layout(root: root).put(
      "debian12-packages/systemd-man-sysctl.d.5-example4/etc/sysctl.d/20-rp_filter.conf",
      "/etc/sysctl.d/95-rp_filter.conf")
    let original = try root.text("/etc/sysctl.d/95-rp_filter.conf")
    let editor = try SysctlEditor(root: try root.root, semantics: .systemd)
    try editor.set("net.ipv4.conf.hub0.rp_filter", "0")
    try editor.set("net.ipv4.conf.default.rp_filter", "1")
    let expected =
      "net.ipv4.conf.default.rp_filter = 1\nnet.ipv4.conf.*.rp_filter = 2\n-net.ipv4.conf.all.rp_filter\n"
      + "net.ipv4.conf.hub0.rp_filter = 0\n"
    #expect(
      original
        == "net.ipv4.conf.default.rp_filter = 2\nnet.ipv4.conf.*.rp_filter = 2\n-net.ipv4.conf.all.rp_filter\n"
        + "net.ipv4.conf.hub0.rp_filter = 1\n")
    #expect(
      try editor.pendingChanges() == [
        FileChange(path: "/etc/sysctl.d/95-rp_filter.conf", before: original, after: expected)
      ])
    try root.apply(try editor.pendingChanges())
    let reread = try SysctlConfiguration(root: try root.root, semantics: .systemd)
    #expect(
      reread.files.first?.lines.map(\.kind) == [.assignment("1"), .assignment("2"), .exclusion, .assignment("0")])
  }

  @Test func addingToAFileWithAnExclusionLineKeepsIt() throws {
    let root = try FixtureRoot()
    try root.write("/etc/sysctl.d/90-virthost.conf", "-net.ipv4.conf.all.rp_filter\n# kept\n")
    let editor = try SysctlEditor(root: try root.root, semantics: .systemd)
    try editor.set("vm.swappiness", "10")
    #expect(
      try editor.pendingChanges() == [
        FileChange(
          path: "/etc/sysctl.d/90-virthost.conf", before: "-net.ipv4.conf.all.rp_filter\n# kept\n",
          after: "-net.ipv4.conf.all.rp_filter\n# kept\nvm.swappiness = 10\n")
      ])
  }

  @Test func ignoreFailurePrefix_isAnAssignment() throws {
    let root = try FixtureRoot()
    try root.write("/etc/sysctl.d/50-x.conf", "-kernel.foo = 1\n")
    #expect(try SysctlEditor(root: try root.root, semantics: .systemd).persistentValue("kernel.foo") == "1")
  }

  @Test func procpsReadsSysctlConfLast_andAnExclusionKeepsOnlyGlobsOff() throws {
    let root = try Self.layout("sysctl-conf-unlinked")
    try root.write("/etc/sysctl.d/30-x.conf", "net.ipv4.conf.hub0.rp_filter = 1\n-net.ipv4.conf.hub0.rp_filter\n")
    let procps = try SysctlConfiguration(root: try root.root, semantics: .procps)
    #expect(procps.files.map(\.path).last == "/etc/sysctl.conf")
    #expect(procps.effective(SysctlKey("vm.swappiness"))?.value == "10")
    #expect(procps.effective(SysctlKey("net.ipv4.conf.hub0.rp_filter"))?.value == "1")
    let systemd = try SysctlConfiguration(root: try root.root, semantics: .systemd)
    #expect(systemd.effective(SysctlKey("net.ipv4.conf.hub0.rp_filter")) == nil)
  }

  @Test func keysWithSlashesFollowSysctlDsSwapRule() {
    #expect(SysctlKey("net.ipv4.conf.eth0/100.rp_filter") == SysctlKey("net/ipv4/conf/eth0.100/rp_filter"))
    #expect(SysctlKey("net.ipv4.conf.eth0/100.rp_filter").description == "net.ipv4.conf.eth0/100.rp_filter")
    #expect(SysctlKey("net.ipv4.conf.*.rp_filter").matches(SysctlKey("net.ipv4.conf.eth0/100.rp_filter")))
    #expect(!SysctlKey("net.ipv4.*").matches(SysctlKey("net.ipv4.conf.all.rp_filter")))
  }

  /// systemd-sysctl itself, where it can run: every recorded layout and, after virthost's plan
  /// for each key is applied, the value virthost says persists is what the program writes.
  @Test(.enabled(if: SystemdSysctlOracle.unavailable == nil, "systemd-sysctl cannot run in a mount namespace here"))
  func liveSystemdSysctlWritesWhatTheEditorPlans() throws {
    let keys = [
      "kernel.pid_max", "vm.swappiness", "fs.protected_regular", "net.ipv4.conf.all.rp_filter",
      "net.ipv4.conf.hub0.rp_filter",
    ]
    for name in SysctlOracleCase.builtCases where name != "split-usr-lib-vs-usr-lib" {
      for (index, key) in keys.enumerated() {
        let root = try Self.layout(name)
        let editor = try SysctlEditor(root: try root.root, semantics: .systemd)
        let value = "\(index + 11)"
        do {
          try editor.set(key, value)
        } catch {
          Issue.record("\(name): \(key): \(error)")
          continue
        }
        try root.apply(try editor.pendingChanges())
        let planned = try SysctlConfiguration(root: try root.root, semantics: .systemd)
        let written = try SystemdSysctlOracle.values(root.path, keys: keys)
        for other in keys {
          #expect(
            written[other] ?? nil == planned.effective(SysctlKey(other))?.value, "\(name), \(key)=\(value): \(other)")
        }
        #expect(written[key] ?? nil == value, "\(name): \(key)")
      }
    }
  }
}

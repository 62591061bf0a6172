import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

/// What `grub-mkconfig` makes of `/etc/default/grub` and its drop-ins, against the oracle
/// `Oracles/effective-cmdline.sh` (the files sourced by bash and by dash, as
/// grub-mkconfig sources them) and its golden output.
enum EffectiveCmdline {
  static let oracle = FixtureRoot.repository.appendingPathComponent(
    "Tests/BootLoaderTests/Oracles/effective-cmdline.sh"
  )
  .path

  /// The oracle's `NAME=value` lines for the root at `root`, sourced by bash and by dash,
  /// which must agree.
  static func values(of root: String) throws -> [String: String] {
    let run = try ProgramRun.run("/bin/bash", [oracle, root, "--shell", "both"])
    guard run.status == 0 else {
      throw CocoaError(.fileReadUnknown, userInfo: [NSDebugDescriptionErrorKey: run.transcript])
    }
    return parse(run.output)
  }

  /// The golden output of the oracle for `fixture`.
  static func golden(_ fixture: String) throws -> [String: String] {
    parse(
      try String(
        contentsOf: FixtureRoot.repository.appendingPathComponent(
          "Tests/BootLoaderTests/Oracles/golden/effective-cmdline/\(fixture).txt"), encoding: .utf8))
  }

  private static func parse(_ text: String) -> [String: String] {
    var result: [String: String] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("GRUB_") {
      guard let equals = line.firstIndex(of: "=") else { continue }
      result[String(line[..<equals])] = String(line[line.index(after: equals)...])
    }
    return result
  }

  /// The words of a value, as the shell splits it unquoted.
  static func words(_ value: String?) -> [String] { (value ?? "").split(separator: " ").map(String.init) }
}

@Suite struct EffectiveCmdlineTests {
  let ubuntu = fixtures + "/ubuntu2404-cloud/root"
  let debian12 = fixtures + "/debian12/root"
  let xen = fixtures + "/xen-dom0-grub2/root"
  let crashkernel = "crashkernel=2G-4G:320M,4G-32G:512M,32G-64G:1024M,64G-128G:2048M,128G-:4096M"

  @Test func theDropInsDecideAsTheShellSaysOnEachFixture() throws {
    for fixture in ["ubuntu2404-cloud", "debian12", "xen-dom0-grub2", "stale-grubcfg"] {
      let golden = try EffectiveCmdline.golden(fixture)
      let grub2 = try Grub2.read(
        try HostRoot(FixtureRoot.repository.appendingPathComponent("\(fixtures)/\(fixture)/root").path))
      for name in GrubDefaults.variables {
        #expect(
          grub2.defaults.arguments(of: name).map(\.description) == EffectiveCmdline.words(golden[name]),
          "\(fixture) \(name)")
      }
    }
  }

  @Test func dropInDecidesTheConfiguredArguments() throws {
    let root = try FixtureRoot(ubuntu)
    let entries = try BootLoaderEditor(root: root.path).entries()
    let golden = try EffectiveCmdline.golden("ubuntu2404-cloud")
    #expect(
      entries[0].arguments.map(\.description)
        == EffectiveCmdline.words(golden["GRUB_CMDLINE_LINUX"])
        + EffectiveCmdline.words(golden["GRUB_CMDLINE_LINUX_DEFAULT"]))
    #expect(
      entries[0].arguments.map(\.description) == [
        "console=ttyS0,115200n8", "console=tty1", "console=ttyS0", crashkernel,
      ])
    #expect(entries[1].arguments.map(\.description) == ["console=ttyS0,115200n8"])
  }

  @Test func writesALateDropInWhenADistributionFileDecides() throws {
    let root = try FixtureRoot(ubuntu)
    let before = try root.snapshot()
    let editor = try BootLoaderEditor(root: root.path)
    try editor.ensure(KernelArgsRequest(entries: .default, present: try args("amd_iommu=on"), absent: []))
    let changes = try editor.pendingChanges()
    #expect(
      changes == [
        FileChange(
          path: "/etc/default/grub.d/99-virthost.cfg", before: nil,
          after:
            // Shellvars.lns indents a new comment by one blank.
            " # Written by virthost: kernel arguments read after the distribution's drop-ins (see docs/boot-loader.md)\n"
            + "GRUB_CMDLINE_LINUX_DEFAULT=\"console=tty1 console=ttyS0 amd_iommu=on\"\n")
      ])
    #expect(
      editor.explanations() == [
        "GRUB_CMDLINE_LINUX_DEFAULT is decided by /etc/default/grub.d/50-cloudimg-settings.cfg:11, a distribution's file: virthost writes its value to /etc/default/grub.d/99-virthost.cfg, read after it"
      ])
    #expect(try root.snapshot() == before, "planning writes nothing")
    try write(changes, under: root)
    // The shells (bash and dash) see it, kdump-tools still appending after it.
    let values = try EffectiveCmdline.values(of: root.path)
    #expect(values["GRUB_CMDLINE_LINUX_DEFAULT"] == "console=tty1 console=ttyS0 amd_iommu=on \(crashkernel)")
    #expect(values["GRUB_CMDLINE_LINUX"] == "console=ttyS0,115200n8")
    // The distribution's files and /etc/default/grub are untouched; a second plan is empty.
    let after = try root.snapshot()
    #expect(after.filter { $0.key != "etc/default/grub.d/99-virthost.cfg" } == before)
    let again = try BootLoaderEditor(root: root.path)
    #expect(
      try again.entries()[0].arguments.map(\.description) == [
        "console=ttyS0,115200n8", "console=tty1", "console=ttyS0", "amd_iommu=on", crashkernel,
      ])
    try again.ensure(KernelArgsRequest(entries: .default, present: try args("amd_iommu=on"), absent: []))
    #expect(try again.pendingChanges() == [])
  }

  @Test func anAdminDropInIsEditedInPlace() throws {
    let root = try FixtureRoot(ubuntu)
    let editor = try BootLoaderEditor(root: root.path)
    try editor.ensure(KernelArgsRequest(entries: .all, present: try args("amd_iommu=on"), absent: []))
    let changes = try editor.pendingChanges()
    #expect(changes.map(\.path) == ["/etc/default/grub.d/60-site-console.cfg"])
    #expect(changes.first?.after?.hasSuffix("GRUB_CMDLINE_LINUX=\"console=ttyS0,115200n8 amd_iommu=on\"\n") == true)
    try write(changes, under: root)
    // `both`: bash and dash, which must agree (the oracle's `--shell dash` alone exits 2 on its missing trace).
    let values = try EffectiveCmdline.values(of: root.path)
    #expect(values["GRUB_CMDLINE_LINUX"] == "console=ttyS0,115200n8 amd_iommu=on")
  }

  @Test func aLaterDistributionAssignmentIsRefusedNamingBothFiles() throws {
    let root = try FixtureRoot(ubuntu)
    // kdump-tools.cfg sorts after 99-virthost.cfg: a plain assignment there would win over ours.
    try root.write("/etc/default/grub.d/kdump-tools.cfg", "GRUB_CMDLINE_LINUX_DEFAULT=\"\(crashkernel)\"\n")
    let editor = try BootLoaderEditor(root: root.path)
    let error = #expect(throws: EditorError.self) {
      try editor.ensure(KernelArgsRequest(entries: .default, present: try args("amd_iommu=on"), absent: []))
    }
    #expect(error?.file == "/etc/default/grub.d/kdump-tools.cfg")
    #expect(error?.line == 1)
    #expect(
      error?.message
        == "GRUB_CMDLINE_LINUX_DEFAULT is decided by /etc/default/grub.d/kdump-tools.cfg:1, a distribution's file that grub-mkconfig reads after /etc/default/grub.d/99-virthost.cfg: a value written to /etc/default/grub.d/99-virthost.cfg would be overridden; set GRUB_CMDLINE_LINUX_DEFAULT in a drop-in read after /etc/default/grub.d/kdump-tools.cfg"
    )
  }

  @Test func anArgumentAppendedByALaterFileIsNotChangedElsewhere() throws {
    let root = try FixtureRoot(ubuntu)
    let editor = try BootLoaderEditor(root: root.path)
    let error = #expect(throws: EditorError.self) {
      try editor.ensure(KernelArgsRequest(entries: .default, present: [], absent: try args("crashkernel")))
    }
    #expect(error?.file == "/etc/default/grub.d/kdump-tools.cfg")
    #expect(error?.message.hasPrefix("'\(crashkernel)' is appended to GRUB_CMDLINE_LINUX_DEFAULT by") == true)
  }

  @Test func commandSubstitutionInACommandLineIsRefusedWithItsLine() throws {
    let root = try FixtureRoot(debian12)
    let text = try root.text("/etc/default/grub")
    try root.write(
      "/etc/default/grub",
      text.replacingOccurrences(of: "GRUB_CMDLINE_LINUX=\"\"", with: "GRUB_CMDLINE_LINUX=\"$(cat /x)\""))
    let error = #expect(throws: EditorError.self) { try BootLoaderEditor(root: root.path) }
    #expect(error?.file == "/etc/default/grub")
    #expect(error?.line == 10)
    #expect(error?.message.contains("command substitution") == true)
    // Debian's own GRUB_DISTRIBUTOR (a command substitution too) is left alone.
    let stock = try FixtureRoot(debian12)
    #expect(try BootLoaderEditor(root: stock.path).entries()[0].arguments.map(\.description) == ["quiet"])
  }

  @Test func selfAppendingFormsEvaluateAsTheShellDoes() throws {
    let root = try FixtureRoot(debian12)
    try root.write(
      "/etc/default/grub.d/10-site.cfg",
      "GRUB_CMDLINE_LINUX=\"${GRUB_CMDLINE_LINUX:+$GRUB_CMDLINE_LINUX }iommu=pt\"\n"
        + "GRUB_CMDLINE_LINUX_DEFAULT=\"${GRUB_CMDLINE_LINUX_DEFAULT} nosmt\"\n")
    let grub2 = try Grub2.read(root.host)
    let values = try EffectiveCmdline.values(of: root.path)
    for name in [GrubDefaults.linux, GrubDefaults.linuxDefault] {
      #expect(grub2.defaults.arguments(of: name).map(\.description) == EffectiveCmdline.words(values[name]))
    }
    #expect(grub2.defaults.value(of: GrubDefaults.linux) == values[GrubDefaults.linux])
    // An edit of GRUB_CMDLINE_LINUX goes to the assignment that decides it (/etc/default/grub).
    let editor = try BootLoaderEditor(root: root.path)
    try editor.ensure(KernelArgsRequest(entries: .all, present: try args("amd_iommu=on"), absent: []))
    try write(try editor.pendingChanges(), under: root)
    #expect(try EffectiveCmdline.values(of: root.path)[GrubDefaults.linux] == "amd_iommu=on iommu=pt")
  }

  @Test func xenReplaceVariablesGetTheRequestToo() throws {
    let root = try FixtureRoot(xen)
    let before = try root.snapshot()
    let editor = try BootLoaderEditor(root: root.path)
    try editor.ensure(KernelArgsRequest(entries: .all, present: try args("amd_iommu=on"), absent: []))
    let changes = try editor.pendingChanges()
    #expect(changes.map(\.path) == ["/etc/default/grub"])
    try write(changes, under: root)
    let values = try EffectiveCmdline.values(of: root.path)
    #expect(values["GRUB_CMDLINE_LINUX"] == "amd_iommu=on")
    #expect(values["GRUB_CMDLINE_LINUX_XEN_REPLACE"] == "console=hvc0 earlyprintk=xen amd_iommu=on")
    #expect(values["GRUB_CMDLINE_LINUX_XEN_REPLACE_DEFAULT"] == "quiet")
    let after = try root.snapshot()
    #expect(
      after["etc/default/grub.d/xen.cfg"] == before["etc/default/grub.d/xen.cfg"], "Debian's xen.cfg is never edited")
    let entries = try BootLoaderEditor(root: root.path).entries()
    try #require(entries.count == 4)
    #expect(entries[2].arguments.map(\.description) == ["console=hvc0", "earlyprintk=xen", "amd_iommu=on", "quiet"])
  }

  @Test func rhelsGrub2MkconfigReadsNoDropIns() throws {
    // The drop-in loop is a Debian patch: RHEL's grub2-mkconfig reads /etc/default/grub alone.
    let root = try FixtureRoot(fixtures + "/grub2-rhel7/root")
    let before = try BootLoaderEditor(root: root.path).entries()
    try root.write("/etc/default/grub.d/50-site.cfg", "GRUB_CMDLINE_LINUX=\"nomodeset\"\n")
    let editor = try BootLoaderEditor(root: root.path)
    #expect(try editor.entries() == before)
    #expect(!editor.sourceFiles.contains { $0.hasPrefix("/etc/default/grub.d/") })
    try editor.ensure(KernelArgsRequest(entries: .all, present: try args("intel_iommu=on"), absent: []))
    #expect(editor.changedFiles() == ["/etc/default/grub"])
  }
}

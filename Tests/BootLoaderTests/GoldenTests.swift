import Editors
import Foundation
import HostConfig
import RootFS
import TestSupport
import Testing

let fixtures = "Tests/BootLoaderTests/Fixtures"
let seed = "examples/centos6-amd/root"

func args(_ texts: String...) throws -> [KernelArgument] {
  try texts.map { (text) throws(ConfigFileError) in try KernelArgument(parsing: text) }
}

/// Writes the planned texts of `changes` under `root` with the one writer, as apply does.
func write(_ changes: [FileChange], under root: FixtureRoot) throws {
  let writer = HostRootWriter(try HostRoot(root.path))
  for change in changes { try writer.replace(change.path, with: Array((change.after ?? "").utf8)) }
}

/// One golden case: a fixture root, a request, and the files it must change
/// (under `Fixtures/expected/<name>/`, paths from the root).
struct GoldenCase: CustomTestStringConvertible, Sendable {
  var name: String
  var root: String
  var kind: BootLoaderKind?
  var request: KernelArgsRequest
  var testDescription: String { name }
}

let goldenCases: [GoldenCase] = {
  func request(_ entries: EntrySelection, _ present: [String], _ absent: [String] = []) -> KernelArgsRequest {
    KernelArgsRequest(
      entries: entries, present: try! present.map { try KernelArgument(parsing: $0) },
      absent: try! absent.map { try KernelArgument(parsing: $0) })
  }
  let legacy = fixtures + "/legacy-multi/root"
  let debian = fixtures + "/grub2-debian/root"
  let rhel7 = fixtures + "/grub2-rhel7/root"
  let bls = fixtures + "/bls-rhel9/root"
  return [
    GoldenCase(name: "seed-amd-iommu", root: seed, request: request(.all, ["amd_iommu=on"])),
    GoldenCase(name: "seed-default-amd-iommu", root: seed, request: request(.default, ["amd_iommu=on"])),
    GoldenCase(name: "legacy-all-iommu", root: legacy, request: request(.all, ["amd_iommu=on", "iommu=pt"])),
    GoldenCase(name: "legacy-default-intel-iommu", root: legacy, request: request(.default, ["intel_iommu=on"])),
    GoldenCase(name: "legacy-replace-root", root: legacy, request: request(.all, ["root=/dev/mapper/vg_new-lv_root"])),
    GoldenCase(name: "legacy-remove-other-value", root: legacy, request: request(.all, [], ["console=ttyS1,115200"])),
    GoldenCase(
      name: "legacy-remove-value", root: legacy, request: request(.all, [], ["console=ttyS0,115200", "rhgb"])),
    GoldenCase(
      name: "legacy-console-multi", root: legacy, request: request(.all, ["console=tty0", "console=ttyS1,115200"])),
    GoldenCase(
      name: "legacy-flag-and-single", root: legacy, request: request(.default, ["single", "quiet"], ["LANG"])),
    GoldenCase(name: "debian-default-iommu", root: debian, request: request(.default, ["amd_iommu=on", "iommu=pt"])),
    GoldenCase(
      name: "debian-all-console", root: debian,
      request: request(.all, ["console=tty0", "console=ttyS0,115200n8"], ["quiet"])),
    GoldenCase(name: "rhel7-all-iommu", root: rhel7, request: request(.all, ["intel_iommu=on", "iommu=pt"], ["rhgb"])),
    GoldenCase(name: "rhel7-default-creates-variable", root: rhel7, request: request(.default, ["amd_iommu=on"])),
    GoldenCase(name: "bls-all-iommu", root: bls, request: request(.all, ["amd_iommu=on", "iommu=pt"], ["rhgb"])),
    GoldenCase(name: "bls-default-iommu", root: bls, request: request(.default, ["intel_iommu=on"])),
    // The boot-loader families (the expected files recorded from the editor, each reviewed
    // against the fixture; LegacyFamilyTests and BLSFamilyTests state the lines that change).
    GoldenCase(
      name: "automagic-all-iommu", root: fixtures + "/debian-menulst-automagic/root",
      request: request(.all, ["amd_iommu=on"])),
    GoldenCase(
      name: "automagic-default-iommu", root: fixtures + "/debian-menulst-automagic/root",
      request: request(.default, ["amd_iommu=on"])),
    GoldenCase(
      name: "xen-legacy-all-iommu", root: fixtures + "/xen-dom0-legacy/root", request: request(.all, ["amd_iommu=on"])),
    GoldenCase(
      name: "rocky9-tuned-all-iommu", root: fixtures + "/rocky9-tuned/root", request: request(.all, ["amd_iommu=on"])),
    GoldenCase(
      name: "rhel8-kernelopts-iommu", root: fixtures + "/rhel8/root",
      request: request(.all, ["amd_iommu=on", "iommu=pt"])),
    GoldenCase(
      name: "proxmox-all-iommu", root: fixtures + "/proxmox-systemd-boot/root",
      request: request(.all, ["amd_iommu=on"])),
    GoldenCase(
      name: "proxmox-grub-all-iommu", root: fixtures + "/proxmox-grub/root", request: request(.all, ["amd_iommu=on"])),
  ]
}()

/// Set VIRTHOST_RECORD=1 to rewrite the expected files (then review the diff); see ``Golden``.
let updateGolden = Golden.recording

@Suite struct GoldenTests {
  @Test(arguments: goldenCases)
  func editGivesTheGoldenFilesAndNothingElse(_ golden: GoldenCase) throws {
    let root = try FixtureRoot(golden.root)
    let before = try root.snapshot()
    let expectedDirectory = FixtureRoot.repository.appendingPathComponent("\(fixtures)/expected/\(golden.name)").path

    let editor = try BootLoaderEditor(root: root.path, kind: golden.kind)
    try editor.ensure(golden.request)
    let changes = try editor.pendingChanges()
    #expect(try root.snapshot() == before, "planning writes nothing")
    // Ensuring twice on the same editor is the same as once.
    try editor.ensure(golden.request)
    #expect(try editor.pendingChanges() == changes)

    if updateGolden {
      try? FileManager.default.removeItem(atPath: expectedDirectory)
      for change in changes {
        let target = expectedDirectory + change.path
        try FileManager.default.createDirectory(
          atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data((change.after ?? "").utf8).write(to: URL(fileURLWithPath: target))
      }
      if changes.isEmpty {
        try FileManager.default.createDirectory(atPath: expectedDirectory, withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: expectedDirectory + "/.unchanged"))
      }
    }

    // The planned change: exactly the golden files, each from its text as read to its golden bytes.
    let expectedFiles = expectedFileList(expectedDirectory)
    #expect(changes.map(\.path).sorted() == expectedFiles, "the files planned")
    for file in expectedFiles {
      let expected = try root.bytes(file)
      let golden = try Data(contentsOf: URL(fileURLWithPath: expectedDirectory + file))
      let change = changes.first { $0.path == file }
      #expect(change?.before.map { Data($0.utf8) } == expected, "\(file): the text as read")
      #expect(change?.after.map { Data($0.utf8) } == golden, "\(file) matches its golden copy")
    }

    // Written as apply writes them, the planned texts are the edit: a fresh editor finds
    // nothing to do, and every other path (links, modes, other files) is byte-identical.
    try write(changes, under: root)
    let after = try root.snapshot()
    let touched = Set(expectedFiles.map { String($0.dropFirst()) })
    #expect(after.keys.sorted() == before.keys.sorted())
    for (path, value) in before where !touched.contains(path) {
      #expect(after[path] == value, "\(path) unchanged")
    }
    for path in touched {
      #expect(
        after[path]?.split(separator: " ").prefix(2) == before[path]?.split(separator: " ").prefix(2),
        "\(path) keeps its mode")
    }
    let again = try BootLoaderEditor(root: root.path, kind: golden.kind)
    try again.ensure(golden.request)
    #expect(try again.pendingChanges() == [])
    #expect(again.changedFiles() == [])
  }

  /// ``BootLoaderEditor/changedFiles()`` knows without rendering what rendering
  /// every file through its lens shows: exactly the files whose text changes.
  @Test(arguments: goldenCases)
  func changedFilesAreTheFilesWhoseRenderedTextDiffers(_ golden: GoldenCase) throws {
    let root = try FixtureRoot(golden.root)
    let editor = try BootLoaderEditor(root: root.path, kind: golden.kind)
    #expect(editor.changedFiles() == [], "nothing changed before ensure")
    try editor.ensure(golden.request)
    var differing: [String] = []
    for file in editor.sourceFiles {
      guard let rendered = try? editor.render(file) else { continue }  // read only (grubenv)
      if rendered != (try root.text(file)) { differing.append(file) }
    }
    #expect(editor.changedFiles() == differing)
    let expectedDirectory = FixtureRoot.repository.appendingPathComponent("\(fixtures)/expected/\(golden.name)").path
    #expect(differing.sorted() == expectedFileList(expectedDirectory), "the golden files")
  }

  func expectedFileList(_ directory: String) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: directory) else { return [] }
    var files: [String] = []
    for case let relative as String in walker {
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: directory + "/" + relative, isDirectory: &isDirectory)
      if !isDirectory.boolValue && relative != ".unchanged" { files.append("/" + relative) }
    }
    return files.sorted()
  }
}

import Editors
import Foundation
import RootFS
import TestSupport
import Testing

@testable import HostConfig

/// Issue 34 item 2 on a running host: an ostree deployment's arguments by source
/// (``OstreeDeployments``), what bootc and ostree can do (``ImageModeTools``), and the one
/// command that sets the arguments (``OstreeKargsCommand``). Fixtures `ostree-deployed` and
/// `ostree-two-deployments`, made by Debian's ostree 2022.7 (their README).
@Suite struct OstreeKargsTests {
  static let deployed = fixtures + "/ostree-deployed/root"
  static let twoDeployments = fixtures + "/ostree-two-deployments/root"
  static let bootcsum = "4fd03274c5449bba753c49d797caba0e082ad7fa4ef8cdbe7e83e9127393b1b3"
  static let deploy =
    "/sysroot/ostree/deploy/fedora/deploy/0e7d614827da7d129bc54a8b98fae790d658ca0cf90c7eae3baf634c9a237ffb"

  /// `rpm-ostree kargs` as `kernel_arg_apply_patching` (coreos/rpm-ostree,
  /// `src/daemon/rpmostreed-transaction-types.cxx`) applies its options, whatever their order
  /// on the command line: `--delete`, `--replace`, `--append`, then `--append-if-missing`
  /// (skipped when the whole argument is already there), and last `--delete-if-present`,
  /// each tested against the arguments as they were before the call. Only the options
  /// virthost plans are modelled; `--delete-if-present=KEY=VALUE` removes that exact word,
  /// as `ostree_kernel_args_delete` does for a key with that value.
  static func rpmOstreeKargs(_ existing: [String], _ command: [String]) -> [String] {
    func values(_ option: String) -> [String] {
      command.compactMap { $0.hasPrefix("--\(option)=") ? String($0.dropFirst(option.count + 3)) : nil }
    }
    var result = existing
    result += values("append")
    for argument in values("append-if-missing") where !result.contains(argument) { result.append(argument) }
    for argument in values("delete-if-present") where existing.contains(argument) {
      result.remove(at: result.firstIndex(of: argument)!)
    }
    return result
  }

  static func request(_ words: [String], absent: [String] = []) -> [OstreeKargsCommand.Request] {
    words.map { .init(KernelArgument(word: $0), present: true) }
      + absent.map { .init(KernelArgument(word: $0), present: false) }
  }

  @Test func theDeployedEntryIsReadWithItsArgumentsAndItsDeployment() throws {
    let fixture = try FixtureRoot(Self.deployed)
    let root = fixture.host
    let deployments = try OstreeDeployments.read(root)
    #expect(deployments.entries.count == 1)
    #expect(!deployments.hasStagedDeployment)
    let entry = try #require(deployments.next)
    #expect(entry.file == "/boot/loader.1/entries/ostree-1-fedora.conf")
    #expect(entry.version == 1)
    #expect(
      entry.arguments == [
        "root=UUID=6f3c1d2e-fixture", "rw", "console=ttyS0,115200n8", "amd_iommu=off",
        "ostree=/ostree/boot.1/fedora/\(Self.bootcsum)/0",
      ])
    #expect(entry.sources.isEmpty)
    #expect(OstreeDeployments.deploymentFolder(of: entry, in: root) == Self.deploy + ".0")
  }

  @Test func theNextDeploymentIsTheEntryWithTheHighestVersion() throws {
    let fixture = try FixtureRoot(Self.twoDeployments)
    let deployments = try OstreeDeployments.read(fixture.host)
    #expect(deployments.entries.map(\.version) == [2, 1])
    let next = try #require(deployments.next)
    #expect(next.file == "/boot/loader.0/entries/ostree-2-fedora.conf")
    #expect(next.arguments.suffix(2) == ["amd_iommu=on", "iommu=pt"])
    #expect(OstreeDeployments.deploymentFolder(of: next, in: fixture.host) == Self.deploy + ".1")
  }

  /// bootc's per-source keys, written as bootc's `loader_entries.rs` tests show them
  /// (`x-options-source-tuned nohz=full isolcpus=1-3`): rebuilt from its source, since
  /// Debian's ostree cannot write them.
  @Test func sourceKeysAreReadAndOwnersTold() throws {
    let root = try FixtureRoot(Self.deployed)
    let file = "/boot/loader.1/entries/ostree-1-fedora.conf"
    try root.write(
      file,
      try root.text(file).replacingOccurrences(of: "amd_iommu=off ostree=", with: "amd_iommu=off iommu=pt ostree=")
        + "x-options-source-tuned amd_iommu=off\nx-options-source-virthost iommu=pt\n")
    let entry = try #require(try OstreeDeployments.read(root.host).next)
    #expect(entry.sources == ["tuned": ["amd_iommu=off"], "virthost": ["iommu=pt"]])
    let image = [
      (file: Self.deploy + ".0/usr/lib/bootc/kargs.d/10-console.toml", arguments: ["console=ttyS0,115200n8"])
    ]
    #expect(OstreeDeployments.owner(of: "amd_iommu=off", in: entry, imageArguments: image) == .source("tuned"))
    #expect(OstreeDeployments.owner(of: "iommu=pt", in: entry, imageArguments: image) == .source("virthost"))
    #expect(OstreeDeployments.owner(of: "rw", in: entry, imageArguments: image) == .untracked)
    #expect(
      OstreeDeployments.owner(of: "console=ttyS0,115200n8", in: entry, imageArguments: image)
        == .image(file: image[0].file))
  }

  @Test func anOstreeEntryWithoutANumericVersionIsAnErrorNamingItsLine() throws {
    let root = try FixtureRoot(Self.deployed)
    let file = "/boot/loader.1/entries/ostree-1-fedora.conf"
    try root.write(file, try root.text(file).replacingOccurrences(of: "version 1", with: "version one"))
    #expect(throws: ConfigFileError.self) { try OstreeDeployments.read(root.host) }
    do {
      _ = try OstreeDeployments.read(root.host)
    } catch {
      #expect(error.file == file)
      #expect(error.line == 2)
      #expect(error.message.hasSuffix("found: one"))
    }
  }

  /// A staged deployment's file as ostree writes it (made with GLib's serializer,
  /// `ostree-staged/make-staged.py`): its arguments, bootc's source key, its deployment.
  static func staged(_ name: String) throws -> FixtureRoot {
    let root = try FixtureRoot(Self.deployed)
    try FileManager.default.createDirectory(atPath: root.path + "/run/ostree", withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      atPath: FixtureRoot.repository.appendingPathComponent("\(fixtures)/ostree-staged/\(name)").path,
      toPath: root.path + OstreeDeployments.stagedDeploymentFile)
    return root
  }

  @Test func aStagedDeploymentIsReadFromOstreesGVariant() throws {
    let root = try Self.staged("by-bootc")
    let deployments = try OstreeDeployments.read(root.host)
    #expect(deployments.hasStagedDeployment)
    let next = try #require(deployments.next)
    #expect(next.file == OstreeDeployments.stagedDeploymentFile)
    #expect(
      next.arguments == ["root=UUID=6f3c1d2e-fixture", "rw", "console=ttyS0,115200n8", "amd_iommu=on", "iommu=pt"])
    #expect(next.sources == ["virthost": ["amd_iommu=on", "iommu=pt"]])
    #expect(
      next.deployment
        == "/ostree/deploy/fedora/deploy/0e7d614827da7d129bc54a8b98fae790d658ca0cf90c7eae3baf634c9a237ffb.1")
    #expect(deployments.entries.count == 1, "the entries are still read")
  }

  @Test func aStagedDeploymentWithoutItsOwnArgumentsIsNotGuessed() throws {
    let root = try Self.staged("no-kargs")
    let deployments = try OstreeDeployments.read(root.host)
    #expect(deployments.hasStagedDeployment)
    #expect(deployments.staged == nil)
    #expect(deployments.next == nil)
  }

  @Test func aStagedFileThatIsNotOstreesIsAnErrorNamingIt() throws {
    let root = try Self.staged("no-kargs")
    try root.write(OstreeDeployments.stagedDeploymentFile, "kargs=amd_iommu=on\n")
    #expect {
      try OstreeDeployments.read(root.host)
    } throws: { error in
      (error as? ConfigFileError)?.description.contains(
        "/run/ostree/staged-deployment: is not the a{sv} GVariant ostree writes") == true
    }
  }

  /// Every truncation of ostree's file (a staged file cut short, or another program's) is
  /// refused naming it or read as no arguments: never a crash, never arguments made up.
  @Test func aTruncatedStagedFileIsRefusedOrReadAsUnknown() throws {
    let root = try Self.staged("by-bootc")
    let whole = try root.host.read(OstreeDeployments.stagedDeploymentFile)
    for length in 0..<whole.count {
      try Data(whole.prefix(length)).write(to: URL(fileURLWithPath: root.path + OstreeDeployments.stagedDeploymentFile))
      do {
        let staged = try OstreeDeployments.readStaged(root.host)
        #expect(staged == nil, "length \(length): \(staged.map(\.arguments) ?? [])")
      } catch {
        #expect(error.file == OstreeDeployments.stagedDeploymentFile, "length \(length)")
      }
    }
  }

  // The probes' answers (TestSupport's ImageModeToolAnswers, from bootc's cli.rs and ostree's output).
  static let help = ImageModeToolAnswers.bootcLoaderEntriesHelp

  @Test(
    arguments: [
      (help, ImageModeToolAnswers.ostreeVersion("2026.1"), true),
      (help, "libostree:\n Version: '2026.2'\n", true),
      (help, "libostree:\n Version: '2025.7'\n", false),
      (help, nil, false),
      (nil, "libostree:\n Version: '2026.1'\n", false),
      (
        "Usage: bootc <COMMAND>\n\nCommands:\n  upgrade  Download and queue an updated container image",
        "libostree:\n Version: '2026.1'\n", false
      ),
    ] as [(String?, String?, Bool)])
  func theSourceFormNeedsBootcsCommandAndOstree2026_1(_ help: String?, _ version: String?, _ expected: Bool) {
    let tools = ImageModeTools(bootcLoaderEntriesHelp: help, ostreeVersionOutput: version)
    #expect(tools.setsOptionsForSource == expected)
    #expect((tools.whyNotSource == nil) == expected)
  }

  @Test func theToolsAreNotAskedOnAnotherRoot() throws {
    let fixture = try FixtureRoot(Self.deployed)
    #expect(ImageModeTools.read(fixture.host) == nil)
  }

  @Test func bootcsSourceFormSetsTheWholeSetVirthostOwns() throws {
    let fixture = try FixtureRoot(Self.twoDeployments)
    let entry = try #require(try OstreeDeployments.read(fixture.host).entries.last)
    // The booted entry (version 1): amd_iommu=off untracked, so rpm-ostree even with bootc.
    let untracked = OstreeKargsCommand.outcome(
      entry: entry, imageFiles: [], requests: Self.request(["amd_iommu=on", "iommu=pt"]), useSource: true)
    #expect(
      untracked
        == .run(
          HostCommand(
            [
              "rpm-ostree", "kargs", "--delete-if-present=amd_iommu=off", "--append=amd_iommu=on",
              "--append-if-missing=iommu=pt",
            ],
            role: .afterWrite)))
    // Owned by virthost's source: bootc's form, the full set.
    var owned = entry
    owned.sources = ["virthost": ["amd_iommu=off"]]
    #expect(
      OstreeKargsCommand.outcome(
        entry: owned, imageFiles: [], requests: Self.request(["amd_iommu=on", "iommu=pt"]), useSource: true)
        == .run(
          HostCommand(
            [
              "bootc", "loader-entries", "set-options-for-source", "--source", "virthost", "--options",
              "amd_iommu=on iommu=pt",
            ],
            role: .afterWrite)))
  }

  @Test func theSourceFormIsInSyncOnlyWhenTheSourceListsExactlyTheSet() throws {
    let fixture = try FixtureRoot(Self.twoDeployments)
    var entry = try #require(try OstreeDeployments.read(fixture.host).next)
    entry.sources = ["virthost": ["amd_iommu=on", "iommu=pt"]]
    let requests = Self.request(["amd_iommu=on", "iommu=pt"])
    #expect(OstreeKargsCommand.outcome(entry: entry, imageFiles: [], requests: requests, useSource: true) == .inSync)
    // A request dropped from the spec: the source still lists it, so bootc is called with the rest.
    #expect(
      OstreeKargsCommand.outcome(
        entry: entry, imageFiles: [], requests: Self.request(["amd_iommu=on"]), useSource: true)
        == .run(
          HostCommand(
            ["bootc", "loader-entries", "set-options-for-source", "--source", "virthost", "--options", "amd_iommu=on"],
            role: .afterWrite)))
    // Untracked arguments that already satisfy the request: nothing to do in either form.
    entry.sources = [:]
    #expect(OstreeKargsCommand.outcome(entry: entry, imageFiles: [], requests: requests, useSource: true) == .inSync)
    #expect(OstreeKargsCommand.outcome(entry: entry, imageFiles: [], requests: requests, useSource: false) == .inSync)
  }

  @Test func anImagesArgumentThatMustChangeIsRefusedNamingTheFile() throws {
    let fixture = try FixtureRoot(Self.deployed)
    let entry = try #require(try OstreeDeployments.read(fixture.host).next)
    let file = Self.deploy + ".0/usr/lib/bootc/kargs.d/10-console.toml"
    let outcome = OstreeKargsCommand.outcome(
      entry: entry, imageFiles: [(file, ["console=ttyS0,115200n8"])], requests: Self.request([], absent: ["console"]),
      useSource: true)
    #expect(outcome == .refused([("console=ttyS0,115200n8", file)]))
  }

  /// The planned rpm-ostree call, run through rpm-ostree's order, gives the requested line
  /// (`amd_iommu=off` replaced, `iommu=pt` added, `nomodeset` removed, the rest kept); and
  /// run again on its result it changes nothing. Had rpm-ostree deleted before appending,
  /// or tested `--delete-if-present` on the new line, the expectations would differ.
  @Test func theRpmOstreeCallGivesTheRequestedLineInRpmOstreesOrder() throws {
    let fixture = try FixtureRoot(Self.deployed)
    var entry = try #require(try OstreeDeployments.read(fixture.host).next)
    entry.arguments.insert("nomodeset", at: 2)
    let requests = Self.request(["amd_iommu=on", "iommu=pt"], absent: ["nomodeset"])
    guard
      case .run(let command) = OstreeKargsCommand.outcome(
        entry: entry, imageFiles: [], requests: requests, useSource: false)
    else {
      Issue.record("no command")
      return
    }
    #expect(
      command.arguments == [
        "rpm-ostree", "kargs", "--delete-if-present=amd_iommu=off", "--delete-if-present=nomodeset",
        "--append=amd_iommu=on", "--append-if-missing=iommu=pt",
      ])
    let after = Self.rpmOstreeKargs(entry.arguments, command.arguments)
    #expect(
      after == [
        "root=UUID=6f3c1d2e-fixture", "rw", "console=ttyS0,115200n8", "ostree=/ostree/boot.1/fedora/\(Self.bootcsum)/0",
        "amd_iommu=on", "iommu=pt",
      ])
    entry.arguments = after
    #expect(OstreeKargsCommand.outcome(entry: entry, imageFiles: [], requests: requests, useSource: false) == .inSync)
  }
}

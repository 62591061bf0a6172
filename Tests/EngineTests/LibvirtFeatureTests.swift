import Foundation
import TestSupport
import Testing

@testable import Engine

/// Issue 35, first slice: `libvirt: {qemu: {KEY: VALUE}}` planned into
/// `/etc/libvirt/qemu.conf` with libvirt's lens from the root, on Debian 12's files.
@Suite struct LibvirtFeatureTests {
  static let packages = "Tests/EditorsTests/Fixtures/debian12-packages/"
  static let conf = "/etc/libvirt/qemu.conf"
  static let lens = "/usr/share/augeas/lenses/libvirtd_qemu.aug"
  static let spec = "libvirt:\n  qemu:\n    max_files: 32768\n    security_driver: none\n"
  static let address = ResourceAddress(.file, conf)

  static func fixture(_ relative: String) throws -> String {
    try String(contentsOf: FixtureRoot.repository.appendingPathComponent(packages + relative), encoding: .utf8)
  }

  static var shipped: String {
    get throws { try fixture("libvirt-daemon-system/etc/libvirt/qemu.conf") }
  }

  /// An example host with Debian 12's qemu.conf and, unless `lens` is false, its lens.
  private func host(conf: Bool = true, lens: Bool = true) throws -> ExampleHost {
    let host = try ExampleHost("gpu-passthrough")
    if conf { try host.root.write(Self.conf, try Self.shipped) }
    if lens {
      try host.root.write(
        Self.lens, try Self.fixture("libvirt-daemon-driver-qemu/usr/share/augeas/lenses/libvirtd_qemu.aug"))
    }
    return host
  }

  @Test func theSettingsArePlannedAfterTheirCommentedDefaultsAndAppliedOnce() throws {
    let host = try host()
    let shipped = try Self.shipped
    let expected =
      shipped
      .replacingOccurrences(of: "#max_files = 0\n", with: "#max_files = 0\nmax_files = 32768\n")
      .replacingOccurrences(
        of: "#security_driver = \"selinux\"\n", with: "#security_driver = \"selinux\"\nsecurity_driver = \"none\"\n")
    #expect(expected != shipped)
    let plan = try host.plan(Self.spec)
    let change = try #require(plan.changes.first { $0.address == Self.address })
    #expect(change.origins == ["libvirt.qemu"])
    #expect(change.before == "max_files=unset security_driver=unset")
    #expect(change.after == "max_files=32768 security_driver=none")
    #expect(
      change.operations == [
        .writeFile(FileOperation(path: Self.conf, before: Data(shipped.utf8), after: Data(expected.utf8)))
      ])
    _ = try host.engine.apply(plan)
    #expect(try host.root.text(Self.conf) == expected)
    let again = try host.plan(Self.spec)
    #expect(again.changes.first { $0.address == Self.address }?.isChange == false)
    #expect(!again.changes.contains { $0.isChange })
  }

  @Test func aChangedValueIsWrittenWhereItStands() throws {
    let host = try host()
    _ = try host.engine.apply(try host.plan(Self.spec))
    let applied = try host.root.text(Self.conf)
    let plan = try host.plan("libvirt:\n  qemu:\n    max_files: 65536\n")
    let change = try #require(plan.changes.first { $0.address == Self.address })
    #expect(change.before == "max_files=32768")
    let expected = applied.replacingOccurrences(of: "\nmax_files = 32768\n", with: "\nmax_files = 65536\n")
    #expect(expected != applied)
    #expect(
      change.operations == [
        .writeFile(FileOperation(path: Self.conf, before: Data(applied.utf8), after: Data(expected.utf8)))
      ])
  }

  @Test func aKeyQemuConfDoesNotHaveIsRefusedAtItsLineWithASuggestion() throws {
    let host = try host()
    let plan = try host.plan("libvirt:\n  qemu:\n    max_file: 10\n")
    let error = try #require(plan.diagnostics.first { $0.severity == .error })
    #expect(error.summary == "qemu.conf has no setting \"max_file\"; did you mean \"max_files\"?")
    #expect(error.location?.description == "examples/gpu-passthrough/host.yaml:3:5")
    #expect(!plan.changes.contains { $0.address == Self.address })
  }

  @Test func aValueOfAnotherTypeIsRefusedAtItsKey() throws {
    let host = try host()
    let plan = try host.plan("libvirt:\n  qemu:\n    max_files: lots\n")
    let error = try #require(plan.diagnostics.first { $0.severity == .error })
    #expect(error.summary == "must be a number, not \"lots\"" && error.keyPath == "libvirt.qemu.max_files")
    #expect(error.location?.description == "examples/gpu-passthrough/host.yaml:3:5")
  }

  @Test func badInputIsRefusedAtItsLineAndColumn() throws {
    let unknown = #expect(throws: SpecError.self) {
      try SpecParser.parse("libvirt:\n  qmeu:\n    max_files: 1\n", file: "h.yaml")
    }
    #expect(unknown?.diagnostics.map { $0.location?.description ?? "-" } == ["h.yaml:2:3"])
    #expect(unknown?.diagnostics.first?.summary == "unknown key; did you mean \"qemu\"?")
    let name = #expect(throws: SpecError.self) {
      try SpecParser.parse("libvirt:\n  qemu:\n    Max-Files: 1\n", file: "h.yaml")
    }
    #expect(name?.diagnostics.map { $0.location?.description ?? "-" } == ["h.yaml:3:5"])
    let mapping = #expect(throws: SpecError.self) {
      try SpecParser.parse("libvirt:\n  qemu:\n    max_files: {a: 1}\n", file: "h.yaml")
    }
    #expect(mapping?.diagnostics.map { $0.location?.description ?? "-" } == ["h.yaml:3:16"])
  }

  @Test func aHostWithoutQemuConfIsAnErrorNamingThePackage() throws {
    let host = try host(conf: false)
    let plan = try host.plan(Self.spec)
    let error = try #require(plan.diagnostics.first { $0.severity == .error })
    #expect(error.code == .hostFile)
    #expect(
      error.summary.hasPrefix("/etc/libvirt/qemu.conf: does not exist")
        && error.summary.contains("libvirt-daemon-system"))
  }

  @Test func aHostWithoutTheLensIsAnErrorNamingIt() throws {
    let host = try host(lens: false)
    let plan = try host.plan(Self.spec)
    let error = try #require(plan.diagnostics.first { $0.severity == .error })
    #expect(
      error.summary.hasPrefix(Self.lens + ": does not exist") && error.summary.contains("libvirt-daemon-driver-qemu"))
    #expect(!plan.changes.contains { $0.address == Self.address })
  }
}

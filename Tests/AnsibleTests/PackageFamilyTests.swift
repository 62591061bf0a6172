import Foundation
import TestSupport
import Testing

/// The role virthost.kvm.host installs virthost's package by the host's family, with the
/// real ansible-playbook and the built collection: the RPM with dnf on the RHEL family, the
/// .deb with apt on the Debian family, the package named virthost from a repository the user
/// names, and a clear failure on any other family. No RHEL host can be booted here: the facts
/// are set by a module of the test (`ansible_facts.os_family`), and `dnf` and `dpkg` are stubs
/// first on PATH that record their arguments (the stub `dpkg` answers apt's `--field` queries
/// with the real dpkg), so nothing is installed on this machine.
@Suite(.serialized) struct PackageFamilyTests {
  let work: URL
  let stubs: URL
  let cache: String
  let rpm: String

  init() throws {
    work = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-family-\(UUID().uuidString)")
    stubs = work.appendingPathComponent("bin")
    cache = work.appendingPathComponent("package-cache").path
    rpm = work.appendingPathComponent("virthost-0.1.0-1.el9.x86_64.rpm").path
  }

  /// The stubs, the facts module, a placeholder RPM and the play: the role with the install
  /// tasks only (`--tags virthost_install`), after the facts of `family`.
  private func prepare() throws -> String {
    try FileManager.default.createDirectory(at: stubs, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(
      at: work.appendingPathComponent("library"), withIntermediateDirectories: true)
    let record = work.appendingPathComponent("record").path
    try script(
      stubs.appendingPathComponent("dnf"),
      "#!/bin/sh\nprintf '%s\\n' \"$@\" >\(record)-dnf\necho 'Complete!'\n")
    try script(
      stubs.appendingPathComponent("dpkg"),
      "#!/bin/sh\n[ \"$1\" = --field ] && exec /usr/bin/dpkg \"$@\"\nprintf '%s\\n' \"$@\" >\(record)-dpkg\n")
    // An old-style module (WANT_JSON: its arguments as a JSON file) that sets the facts.
    try script(
      work.appendingPathComponent("library/family_facts.py"),
      """
      #!/usr/bin/python
      # WANT_JSON
      import json
      import sys

      with open(sys.argv[1]) as arguments:
          family = json.load(arguments)["family"]
      print(json.dumps({"changed": False, "ansible_facts": {"os_family": family, "distribution": family + "Linux"}}))

      """)
    try Data().write(to: URL(fileURLWithPath: rpm))
    let play = work.appendingPathComponent("install.yml")
    try Data(
      """
      - name: The role's install on a host of one family
        hosts: localhost
        gather_facts: false
        pre_tasks:
          - name: The facts of a host of the family asked for
            family_facts:
              family: "{{ family }}"
            tags: [always]
        roles:
          - role: virthost.kvm.host
            vars:
              virthost_package_dir: \(cache)
              virthost_spec: {iommu: true}

      """.utf8
    ).write(to: play)
    return play.path
  }

  private func script(_ url: URL, _ text: String) throws {
    try Data(text.utf8).write(to: url)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
  }

  /// The arguments the stub `tool` recorded, one a line; nil when it did not run.
  private func recorded(_ tool: String) -> String? {
    let path = work.appendingPathComponent("record-\(tool)").path
    return FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
  }

  private func install(_ collection: InstalledCollection, _ play: String, family: String, _ extra: [String]) throws
    -> ProgramRun
  {
    var environment = collection.environment
    environment["ANSIBLE_LOCAL_TEMP"] = work.appendingPathComponent("tmp").path
    environment["PATH"] = stubs.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
    return try ProgramRun.run(
      "/usr/bin/env",
      [
        "ansible-playbook", "-i", "localhost,", "-c", "local", "-e",
        "ansible_python_interpreter={{ ansible_playbook_python }}",
        play, "--tags", "virthost_install", "-e", "family=\(family)",
      ] + extra, environment: environment)
  }

  @Test func onTheRHELFamilyTheRoleInstallsTheRPMWithDnf() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let play = try prepare()
    // A mixed fleet gives both packages: the host's family picks the RPM.
    let run = try install(
      collection, play, family: "RedHat", ["-e", "virthost_rpm=\(rpm)", "-e", "virthost_deb=/nonexistent/virthost.deb"])
    #expect(run.status == 0, "\(run.transcript)")
    #expect(recorded("dnf") == "--assumeyes\ninstall\n\(cache)/virthost-0.1.0-1.el9.x86_64.rpm\n", "\(run.transcript)")
    #expect(recorded("dpkg") == nil)
    #expect(FileManager.default.fileExists(atPath: cache + "/virthost-0.1.0-1.el9.x86_64.rpm"))
  }

  @Test func onTheRHELFamilyANamedRepositoryIsEnabledForTheInstall() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let play = try prepare()
    let run = try install(collection, play, family: "RedHat", ["-e", "virthost_package_repository=virthost-stable"])
    #expect(run.status == 0, "\(run.transcript)")
    #expect(recorded("dnf") == "--assumeyes\n--enablerepo=virthost-stable\ninstall\nvirthost\n", "\(run.transcript)")
  }

  /// The Debian family's path is still apt's: ansible.builtin.apt reads the .deb and runs
  /// `dpkg -i` on the copy (the stub), dnf is not run.
  @Test func onTheDebianFamilyTheRoleInstallsTheDebWithApt() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let play = try prepare()
    let tree = work.appendingPathComponent("deb")
    try FileManager.default.createDirectory(
      at: tree.appendingPathComponent("DEBIAN"), withIntermediateDirectories: true)
    try Data(
      "Package: virthost\nVersion: 0.0.1~stub\nArchitecture: all\nMaintainer: virthost tests <tests@example.org>\nDescription: stub\n"
        .utf8
    ).write(to: tree.appendingPathComponent("DEBIAN/control"))
    let deb = work.appendingPathComponent("virthost_0.0.1~stub_all.deb").path
    let build = try ProgramRun.run("/usr/bin/dpkg-deb", ["--build", "--root-owner-group", tree.path, deb])
    try #require(build.status == 0, "\(build.transcript)")
    let run = try install(
      collection, play, family: "Debian", ["-e", "virthost_deb=\(deb)", "-e", "virthost_rpm=\(rpm)"])
    #expect(run.status == 0, "\(run.transcript)")
    #expect(
      recorded("dpkg") == "--force-confdef\n--force-confold\n-i\n\(cache)/virthost_0.0.1~stub_all.deb\n",
      "\(run.transcript)")
    #expect(recorded("dnf") == nil)
  }

  @Test func anotherFamilyFailsSayingWhichFamiliesHavePackages() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let play = try prepare()
    let run = try install(collection, play, family: "Suse", ["-e", "virthost_rpm=\(rpm)"])
    let output = run.output + run.error
    #expect(run.status == 2, "\(output)")
    #expect(
      output.contains(
        "virthost's packages are for the Debian family (a .deb, with apt) and the RHEL family (an RPM, with dnf); "
          + "localhost is SuseLinux of the Suse family: install virthost with virthost_binary, or not at all "
          + "(neither virthost_deb, virthost_rpm nor virthost_package_repository)"), "\(output)")
    #expect(recorded("dnf") == nil && recorded("dpkg") == nil)
  }

  @Test func aHostWithoutItsFamilysPackageFailsNamingIt() throws {
    defer { try? FileManager.default.removeItem(at: work) }
    let collection = try InstalledCollection(under: work)
    let play = try prepare()
    let run = try install(collection, play, family: "RedHat", ["-e", "virthost_deb=/nonexistent/virthost.deb"])
    let output = run.output + run.error
    #expect(run.status == 2, "\(output)")
    #expect(
      output.contains(
        "localhost is of the RedHat family, whose virthost package is an RPM: give virthost_rpm (or virthost_package_repository)"
      ),
      "\(output)")
    #expect(recorded("dnf") == nil && recorded("dpkg") == nil)
  }
}

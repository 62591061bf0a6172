import Foundation
import TestSupport
import Testing

/// The collection virthost.kvm as users get it: built by scripts/collection, then installed
/// with `ansible-galaxy collection install TARBALL -p PATH` into a temporary folder.
struct InstalledCollection {
  /// The built tarball.
  let tarball: String
  /// The folder to give Ansible as `ANSIBLE_COLLECTIONS_PATH`.
  let path: String

  /// Builds and installs the collection under `work`.
  init(under work: URL) throws {
    let script = FixtureRoot.repository.appendingPathComponent("scripts/collection").path
    let build = try ProgramRun.run(script, [work.appendingPathComponent("dist").path])
    try #require(build.status == 0, "\(build.transcript)")
    tarball = build.output.trimmingCharacters(in: .whitespacesAndNewlines)
    path = work.appendingPathComponent("collections").path
    let install = try ProgramRun.run(
      "/usr/bin/env", ["ansible-galaxy", "collection", "install", tarball, "-p", path], environment: Self.environment)
    try #require(install.status == 0, "\(install.transcript)")
  }

  /// Ansible's environment for the tests: no colour, no retry files, this collection path.
  static var environment: [String: String] {
    var environment = ProcessInfo.processInfo.environment
    environment["ANSIBLE_NOCOLOR"] = "1"
    environment["ANSIBLE_FORCE_COLOR"] = "0"
    environment["ANSIBLE_RETRY_FILES_ENABLED"] = "0"
    return environment
  }

  /// ``environment`` with Ansible finding this collection (and only the installed copy of it).
  var environment: [String: String] {
    var environment = Self.environment
    environment["ANSIBLE_COLLECTIONS_PATH"] = path
    return environment
  }

  /// The installed collection's folder.
  var root: String { path + "/ansible_collections/virthost/kvm" }
}

import Foundation
import TestSupport
import Testing

@testable import Libvirt

/// The constants, struct sizes and offsets `LibvirtABI` declares in Swift, compiled as C against
/// Debian's `/usr/include/libvirt` (`libvirt-dev`, which `scripts/bootstrap --test` installs):
/// a declaration that drifts from libvirt's headers fails here.
@Suite struct LibvirtABITests {
  @Test func everyDeclaredNumberMatchesLibvirtsHeaders() throws {
    var program =
      "#include <stdio.h>\n#include <stddef.h>\n#include <libvirt/libvirt.h>\n#include <libvirt/virterror.h>\n"
    program += "int main(void) {\n"
    for check in LibvirtABI.checks {
      program += "  printf(\"%s=%lld\\n\", \"\(check.expression)\", (long long)(\(check.expression)));\n"
    }
    for check in LibvirtABI.stringChecks {
      program += "  printf(\"%s=%s\\n\", \"\(check.expression)\", \(check.expression));\n"
    }
    program += "  return 0;\n}\n"
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-abi-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let source = folder.appendingPathComponent("abi.c").path
    let binary = folder.appendingPathComponent("abi").path
    try program.write(toFile: source, atomically: true, encoding: .utf8)
    let compile = try ProgramRun.run("/usr/bin/cc", ["-o", binary, source])
    try #require(compile.status == 0, "\(compile.transcript)")
    let run = try ProgramRun.run(binary, [])
    try #require(run.status == 0)
    let expected =
      LibvirtABI.checks.map { "\($0.expression)=\($0.value)" }
      + LibvirtABI.stringChecks.map { "\($0.expression)=\($0.value)" }
    let actual = run.output.split(separator: "\n").map(String.init)
    #expect(actual.count == expected.count)
    // Only the declarations that differ, "C=header value" against "swift=declared value".
    let differing = zip(actual, expected).filter { $0 != $1 }.map { "C \($0.0) swift \($0.1)" }
    #expect(differing == [])
    #expect(expected.count == 63)
  }

  @Test func aMissingLibraryIsNotInstalledWithTheLoadersMessage() {
    #expect {
      _ = try LibvirtLibrary(name: "libvirt-virthost-absent.so.0")
    } throws: { error in
      let error = try #require(error as? LibvirtError)
      return error.code == .notInstalled
        && error.description
          == "libvirt is not installed: libvirt-virthost-absent.so.0: cannot open shared object file: No such file or directory"
    }
  }

  @Test func theVirthostBinaryDoesNotLinkLibvirt() throws {
    let ldd = try ProgramRun.run("/usr/bin/ldd", [ProgramRun.virthost])
    #expect(ldd.status == 0)
    #expect(ldd.output.contains("libaugeas.so.0"))
    #expect(!ldd.output.contains("libvirt"))
  }
}

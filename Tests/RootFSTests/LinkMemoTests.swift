import Foundation
import RootFS
import TestSupport
import Testing

@Suite struct LinkMemoTests {
  /// Inside ``HostRoot/withSteadyLinks(_:)`` each folder is asked once whether it is a
  /// link (a plan writes nothing); outside it, a link made since is seen at once (an apply).
  @Test func steadyLinksAreReadOnceAndOnlyInsideTheirStretch() throws {
    let temporary = try FixtureRoot()
    try temporary.write("/boot/grub/grub.conf", "default=0\n")
    try temporary.write("/boot/grub2/grub.cfg", "set default=0\n")
    try FileManager.default.createDirectory(atPath: temporary.path + "/etc", withIntermediateDirectories: true)
    try temporary.link("/etc/grub.conf", to: "/boot/grub/grub.conf")
    let host = temporary.host
    let (first, second) = HostRoot.withSteadyLinks { () -> (String?, String?) in
      let first = host.resolve("/etc/grub.conf")
      try? FileManager.default.removeItem(atPath: temporary.path + "/etc/grub.conf")
      try? temporary.link("/etc/grub.conf", to: "/boot/grub2/grub.cfg")
      return (first, host.resolve("/etc/grub.conf"))
    }
    #expect(first == "/boot/grub/grub.conf")
    #expect(second == "/boot/grub/grub.conf")
    #expect(host.resolve("/etc/grub.conf") == "/boot/grub2/grub.cfg")
    // A stretch inside another shares its memo; a new stretch reads the links again.
    #expect(HostRoot.withSteadyLinks { host.resolve("/etc/grub.conf") } == "/boot/grub2/grub.cfg")
  }
}

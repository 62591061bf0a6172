import Augeas
import Foundation
import RootFS

extension GrubLegacy {
  /// The `kernel` path of the entry `title` (an Augeas path) when it boots the Xen
  /// hypervisor with dom0's Linux on a `module` line: a file named `xen…` (`/xen.gz-…`,
  /// `/xen-4.1.gz`, `/boot/xen.gz`) followed by at least one `module`; `nil` otherwise.
  public func hypervisor(of title: String) throws(AugeasError) -> String? {
    guard let kernel = try tree.augeas.get(title + "/kernel"),
      (kernel as NSString).lastPathComponent.hasPrefix("xen"),
      try tree.augeas.count(title + "/module") > 0
    else { return nil }
    return kernel
  }

  /// The node holding the Linux kernel's arguments of the entry `title`: the first
  /// `module` (dom0's kernel) of a Xen entry, whose `kernel` line is the hypervisor's and
  /// never gets Linux arguments; the `kernel` otherwise; `nil` for an entry without one
  /// (chainloader, DOS).
  public func linuxNode(of title: String) throws(AugeasError) -> String? {
    if try hypervisor(of: title) != nil { return title + "/module[1]" }
    return try tree.augeas.match(title + "/kernel").first
  }
}

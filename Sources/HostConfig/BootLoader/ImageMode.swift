import Foundation
import RootFS

/// An image-mode host (bootc, ostree: RHEL/CentOS/Fedora image mode, Fedora CoreOS): its
/// boot entries belong to ostree deployments and its kernel arguments to the image
/// (`/usr/lib/bootc/kargs.d`) or to bootc/rpm-ostree on the running host; a boot-loader
/// file is never the place to edit them.
public enum ImageMode: Sendable, Equatable {
  /// A root that boots ostree deployments, with the evidence (`/run/ostree-booted`,
  /// `ostree=` in an entry's options, `/ostree/repo`).
  case deployment(String)
  /// An image being built (a `RUN` in a Containerfile): `/usr/lib/bootc` and no boot-loader
  /// configuration. Arguments go to `/usr/lib/bootc/kargs.d`.
  case imageBuild

  /// What `root` is, or `nil` for a host that is not image-mode.
  ///
  /// `/run/ostree-booted` (made by ostree at boot) is checked first: a container build
  /// sees its own `/run`, never the build host's. `/proc/cmdline` is not read: a container
  /// shares the build host's.
  public static func detect(_ root: HostRoot) -> ImageMode? {
    if root.exists("/run/ostree-booted") { return .deployment("/run/ostree-booted") }
    let entries = BLS.entryNames(root)
    if let ostree = entries.first(where: { entry in
      ((try? root.text(entry)) ?? nil)?.split(separator: "\n").contains {
        $0.hasPrefix("options") && $0.contains("ostree=")
      } ?? false
    }) {
      return .deployment("ostree= in \(ostree)")
    }
    if root.isDirectory("/ostree/repo") || root.isDirectory("/sysroot/ostree/repo") {
      return .deployment(root.isDirectory("/ostree/repo") ? "/ostree/repo" : "/sysroot/ostree/repo")
    }
    if root.isDirectory("/usr/lib/bootc") && (try? BootLoaderKind.detect(in: root)) == nil { return .imageBuild }
    return nil
  }
}

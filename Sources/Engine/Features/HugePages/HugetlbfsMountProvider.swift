import Editors
import Foundation
import HostConfig

/// The `file["/etc/systemd/system/dev-hugepages1G.mount"]` resources of `hugepages.mounts: auto`:
/// one unit per pool whose size is not the default, with the QEMU group's number from the
/// root's `/etc/group`, and virthost's units of the other sizes removed with their enablement
/// links (systemctl's `disable`) and, on the live host, stopped. A file of that name that
/// virthost did not write is left alone: an error when its size is wanted, nothing otherwise.
///
/// The effect: where `/proc/mounts` under the root shows a mount at the unit's path, its type,
/// page size, mode and group are compared (drifted when they differ); no mount at all is the
/// unit's inactive state, which the services sink starts on a live host.
struct HugetlbfsMountProvider: ResourceProvider {
  /// The page sizes that get a mount, in KiB, in the pools' order.
  var sizes: [Int]
  /// The other page sizes, whose unit of virthost's is removed when present.
  var removed: [Int]

  var origin: String { "hugepages.mounts" }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let gid = sizes.isEmpty ? nil : qemuGroup(context)
    let mounted = context.readFile("/proc/mounts").map { HugetlbfsMount.entries(String(decoding: $0, as: UTF8.self)) }
    var result: [ResourceChange] = []
    for size in sizes + removed {
      let wanted = sizes.contains(size)
      let mount = HugetlbfsMount(sizeKiB: size, gid: gid)
      let address = ResourceAddress(.file, mount.unitPath)
      let current = context.readFile(mount.unitPath)
      if let current, !HugetlbfsMountUnit.isVirthosts(Array(current)) {
        if wanted {
          context.report(
            Diagnostic(
              .error, .hostFile, "\(mount.unitPath) exists and was not written by virthost: left alone",
              detail: "Remove it, or write hugepages.mounts: none to manage the \(mount.sizeText) mount yourself.",
              address: address, keyPath: origin))
        }
        continue
      }
      let after = wanted ? Data(HugetlbfsMountUnit.text(mount).utf8) : nil
      guard current != nil || after != nil else { continue }
      if current == after {
        result.append(
          ResourceChange(
            address, actions: [], before: mount.options, after: mount.options,
            reason: "hugepages: a hugetlbfs mount of \(mount.sizeText) at \(mount.path)", origin: origin))
        if let entry = mounted?.last(where: { $0.path == mount.path }) {
          judge(entry, mount, address, context)
        }
        continue
      }
      let operation = FileOperation(path: mount.unitPath, before: current, after: after)
      var change = ResourceChange(
        address, actions: [operation.action], before: current == nil ? "absent" : "a different version",
        after: wanted ? mount.options : "absent",
        reason: wanted
          ? "hugepages: the \(mount.sizeText) pool is not the default size, and libvirt needs a hugetlbfs mount of it"
          : "hugepages: no pool of \(mount.sizeText) with a mount of its own",
        origin: origin)
      change.operations = [.writeFile(operation)]
      if !wanted {
        let links = try ServiceEditor(root: context.host).enablementChanges(mount.unit, enabled: false)
        if !links.isEmpty { change.operations.append(.setLinks(service: mount.unit, enabled: false, links: links)) }
        if context.isLive { change.operations.append(.stopService(mount.unit)) }
      }
      result.append(change)
    }
    return result
  }

  /// The mount the kernel shows at the unit's path against the unit's: drifted when it differs.
  private func judge(
    _ entry: HugetlbfsMount.Entry, _ mount: HugetlbfsMount, _ address: ResourceAddress, _ context: PlanContext
  ) {
    let differences = mount.differences(entry)
    guard !differences.isEmpty else { return }
    context.report(
      Diagnostic(
        .warning, .effectDiffers,
        "the mount at \(mount.path) differs from \(mount.unit): \(differences.joined(separator: ", ")) (/proc/mounts)",
        detail: "Unmount it (umount \(mount.path)) and start \(mount.unit), or restart the host.", address: address,
        keyPath: origin))
  }

  /// The QEMU group's number: qemu.conf's `group`, else the package's default, looked up in the
  /// root's `/etc/group`; `nil` (the mount stays root's, mode 0755) with a warning when absent.
  private func qemuGroup(_ context: PlanContext) -> UInt32? {
    var name = QemuGroup.packageDefault(DistributionFamily.detect(context.host))
    if context.readFile(QemuConf.path) != nil, let editor = try? QemuConfEditor(root: context.host),
      case .scalar(let group)? = try? editor.value("group")
    {
      name = group
    }
    let groups = context.readFile("/etc/group").map { String(decoding: $0, as: UTF8.self) } ?? ""
    if let gid = QemuGroup.gid(name, in: groups) { return gid }
    context.report(
      Diagnostic(
        .warning, .hostFile,
        "the QEMU group \(name) is not in /etc/group: the hugetlbfs mounts stay root's (mode 0755)",
        detail: "libvirt makes each guest's folder in the mount itself; install libvirt before virthost to give "
          + "the mounts to its group.", keyPath: origin))
    return nil
  }
}

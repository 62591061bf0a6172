import Editors
import Foundation
import HostConfig

/// virthost's systemd unit that repeats the runtime huge page writes at each boot
/// (`hugepages.mode: runtime` with per-node counts or a size other than the default),
/// early, before libvirt starts guests. The writes are the plan's own, in its order.
enum HugePagesUnit {
  /// The unit's name.
  static let service = "virthost-hugepages"
  /// Its file.
  static let path = "/etc/systemd/system/virthost-hugepages.service"

  /// The unit's text for `writes`: one `ExecStart=` per write, each a `/bin/sh -c` echo
  /// of a number into a sysfs path (paths and values are virthost's own: digits and
  /// `/sys/...` names, no quoting needed).
  static func text(_ writes: [LiveWrite]) -> String {
    var lines = [
      "# Written by virthost (hugepages.mode: runtime); virthost removes it for hugepages: none.",
      "[Unit]",
      "Description=Reserve huge pages per NUMA node (virthost)",
      "DefaultDependencies=no",
      "After=local-fs.target",
      "Before=sysinit.target libvirtd.service virtqemud.service",
      "",
      "[Service]",
      "Type=oneshot",
      "RemainAfterExit=yes",
    ]
    for write in writes { lines.append("ExecStart=/bin/sh -c 'echo \(write.value) > \(write.path)'") }
    lines += ["", "[Install]", "WantedBy=sysinit.target", ""]
    return lines.joined(separator: "\n")
  }
}

/// The `file["/etc/systemd/system/virthost-hugepages.service"]` resource: installed with
/// the plan's writes, or removed when no longer wanted.
struct HugePagesUnitProvider: ResourceProvider {
  /// The writes; empty removes the unit.
  var writes: [LiveWrite]

  var origin: String { "hugepages" }

  func changes(in context: PlanContext) throws(EditorError) -> [ResourceChange] {
    let current = context.readFile(HugePagesUnit.path)
    let wanted = writes.isEmpty ? nil : Data(HugePagesUnit.text(writes).utf8)
    let address = ResourceAddress(.file, HugePagesUnit.path)
    if current == wanted {
      guard wanted != nil else { return [] }
      return [
        ResourceChange(
          address, actions: [], before: "installed", after: "installed",
          reason: "the huge page unit repeats the writes at boot", origin: origin)
      ]
    }
    let operation = FileOperation(path: HugePagesUnit.path, before: current, after: wanted)
    var change = ResourceChange(
      address, actions: [operation.action], before: current == nil ? "absent" : "a different version",
      after: wanted == nil ? "absent" : "installed",
      reason: wanted == nil
        ? "hugepages no longer needs the boot unit"
        : "hugepages: the unit repeats \(writes.count) write(s) at each boot",
      origin: origin)
    change.operations = [.writeFile(operation)]
    return [change]
  }
}

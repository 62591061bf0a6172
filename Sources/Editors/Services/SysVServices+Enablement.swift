import HostConfig

extension SysVServices {
  /// The links `chkconfig NAME on|off` leaves: `S<start>NAME` in the script's levels (on),
  /// `K<stop>NAME` in every other level (and in all of them for off).
  func changes(_ name: String, enabled: Bool) throws(EditorError) -> [LinkChange] {
    guard let header = header(name) else {
      throw EditorError(message: "unknown service \(name): no init script \(scriptPath(name))")
    }
    let script = root.resolve(scriptPath(name))
    var changes: [LinkChange] = []
    for level in 0...6 {
      let directory = levelDirectory(level)
      let wanted =
        enabled && header.levels.contains(level)
        ? "S" + Self.priority(header.start) + name : "K" + Self.priority(header.stop) + name
      var present = false
      for link in links(name, level: level) {
        if link.name == wanted, root.resolve(directory + "/" + link.name) == script {
          present = true
        } else {
          changes.append(LinkChange(kind: .remove, path: directory + "/" + link.name, target: link.text))
        }
      }
      if !present { changes.append(LinkChange(kind: .create, path: directory + "/" + wanted, target: linkText(name))) }
    }
    return changes
  }

  /// A priority as chkconfig writes it: two digits at least (`S05`).
  static func priority(_ value: Int) -> String { value < 10 && value >= 0 ? "0\(value)" : "\(value)" }
}

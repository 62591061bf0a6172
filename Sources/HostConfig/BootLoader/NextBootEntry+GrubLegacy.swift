import RootFS

extension NextBootEntry {
  /// GRUB legacy: the `default` entry of the file GRUB reads (0 without one), by position
  /// among its `title`s; `default saved` takes the number `savedefault` keeps in
  /// `/boot/grub/default`. A Xen entry's kernel is dom0's, on its first `module` line.
  static func fromGrubLegacy(_ root: HostRoot) throws(ConfigFileError) -> Reading {
    let legacy = try GrubLegacy.read(root)
    guard let file = legacy.tree.files.first else { return .unknown("no GRUB legacy menu") }
    let menu = try legacy.menu(file)
    let base = legacy.tree.path(of: file)
    let configured = try ConfigFileError.catching { () throws in try legacy.tree.augeas.get(base + "/default") }
    let index: Int
    let decidedBy: String
    switch configured?.trimmingCharacters(in: .whitespaces) {
    case nil:
      (index, decidedBy) = (0, "no default in \(file): the first entry")
    case "saved":
      let saved = savedLegacyDefault(root)
      guard let saved else {
        return .unknown("\(file) says default saved, and /boot/grub/default holds no entry number")
      }
      (index, decidedBy) = (saved, "default saved in \(file): \(saved) in /boot/grub/default")
    case let value?:
      guard let number = menu.defaultIndex else { return .unknown("\(file): default \(value) is not an entry number") }
      (index, decidedBy) = (number, "default \(value) in \(file)")
    }
    guard index >= 0 && index < menu.titles.count else {
      return .unknown("\(file): the default entry \(index) does not exist (\(menu.titles.count) entries)")
    }
    let image = try ConfigFileError.catching { () throws -> String? in
      let titles = try legacy.tree.augeas.match(base + "/title")
      guard index < titles.count, let node = menu.linuxNode(index, at: titles[index]) else { return nil }
      return try legacy.tree.augeas.get(node)
    }
    let kernel = image.flatMap(release(ofImage:))
    return .found(
      NextBootEntry(
        title: menu.titles[index], kernel: kernel, image: kernel == nil ? .other : .linux, file: file,
        decidedBy: decidedBy))
  }

  /// The entry number `savedefault` keeps in `/boot/grub/default` (its first line).
  static func savedLegacyDefault(_ root: HostRoot) -> Int? {
    guard let text = (try? root.text("/boot/grub/default")) ?? nil else { return nil }
    return text.split(separator: "\n").first.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
  }
}

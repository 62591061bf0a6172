extension HostRoot {
  /// The real paths (links resolved inside the root) of the regular files among
  /// `paths`, each once, in the order first reached: the files behind a list of names
  /// that are often links to one another (`/etc/grub.conf` → `/boot/grub/grub.conf`).
  public func realFiles(_ paths: [String]) -> [String] {
    var seen: [String] = []
    for path in paths {
      guard let real = resolve(path), isFile(real), !seen.contains(real) else { continue }
      seen.append(real)
    }
    return seen
  }

  /// The paths `folder/NAME` whose name ends with `suffix`, one level, names sorted and
  /// hidden names left out, as named under `folder` (links not resolved); none when
  /// `folder` is missing.
  public func glob(_ folder: String, suffix: String) -> [String] {
    listIfPresent(folder).filter { $0.hasSuffix(suffix) }.map { folder + "/" + $0 }
  }

  /// The folders in `folder` (links to folders included, hidden names too), names
  /// sorted, as named under `folder`; none when `folder` is missing.
  public func subfolders(_ folder: String) -> [String] {
    listIfPresent(folder, includingHidden: true).map { folder + "/" + $0 }.filter { isDirectory($0) }
  }
}

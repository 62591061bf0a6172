import Augeas
import Foundation
import RootFS

/// What tuned (RHEL, Rocky, Fedora) owns of a host's boot: the active profile
/// (`/etc/tuned/active_profile`), the kernel arguments its bootloader plugin computed
/// (`TUNED_BOOT_CMDLINE` in `/etc/tuned/bootcmdline`, read with the Shellvars lens) and put
/// in grubenv as `tuned_params` (which BLS entries and GRUB 2 defaults reference as
/// `$tuned_params`), and whether the profile stops KSM.
///
/// virthost never edits tuned's files: a requested argument tuned already sets is
/// satisfied, one that contradicts it is a conflict naming both owners.
public struct Tuned: Sendable, Equatable {
  /// The active profile's name (`kvm-host-hugepages`).
  public var profile: String
  /// The arguments tuned sets, from `/etc/tuned/bootcmdline` and grubenv's `tuned_params`.
  public var arguments: [KernelArgument]
  /// Where ``arguments`` were read (`/etc/tuned/bootcmdline`, the grubenv file).
  public var argumentFiles: [String]
  /// The profile file that sets `/sys/kernel/mm/ksm/run=0` in its `[sysfs]` section, when it does.
  public var ksmDisabledBy: String?

  /// Who owns the arguments, for messages: `tuned profile kvm-host-hugepages (/etc/tuned/bootcmdline)`.
  public var owner: String {
    "tuned profile \(profile)" + (argumentFiles.isEmpty ? "" : " (\(argumentFiles.joined(separator: ", ")))")
  }

  /// The argument tuned sets for `key`, when it sets one.
  public func argument(forKey key: String) -> KernelArgument? {
    arguments.first { $0.key == key }
  }

  /// The tuned state of `root`, or `nil` when no profile is active (no or an empty
  /// `/etc/tuned/active_profile`). `tunedParams` is grubenv's `tuned_params` with its file.
  ///
  /// - Throws: naming the file when `/etc/tuned/bootcmdline` cannot be parsed.
  public static func read(_ root: HostRoot, tunedParams: (file: String, value: String)?) throws(ConfigFileError)
    -> Tuned?
  {
    let active = "/etc/tuned/active_profile"
    let profile: String
    do { profile = (try root.text(active) ?? "").trimmingCharacters(in: .whitespacesAndNewlines) } catch {
      throw ConfigFileError(error, reading: active)
    }
    guard !profile.isEmpty else { return nil }
    var arguments: [KernelArgument] = []
    var files: [String] = []
    func add(_ text: String, from file: String) {
      let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { KernelArgument(word: String($0)) }
      if !words.isEmpty { files.append(file) }
      for word in words where !arguments.contains(word) { arguments.append(word) }
    }
    if let file = root.realFiles(["/etc/tuned/bootcmdline"]).first {
      let tree = try BootConfigTree(root: root, files: [(file, "Shellvars.lns")])
      let value: String?
      do { value = try tree.augeas.get(tree.path(of: file) + "/TUNED_BOOT_CMDLINE") } catch {
        throw ConfigFileError(error)
      }
      add(Self.unquoted(value ?? ""), from: "/etc/tuned/bootcmdline")
    }
    if let tunedParams { add(tunedParams.value, from: tunedParams.file) }
    return Tuned(
      profile: profile, arguments: arguments, argumentFiles: files,
      ksmDisabledBy: disablesKSM(root, profile: profile))
  }

  /// A shell value without its surrounding double or single quotes.
  static func unquoted(_ value: String) -> String {
    guard value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first else {
      return value
    }
    return String(value.dropFirst().dropLast())
  }

  /// The profile file (`/etc/tuned/<profile>/tuned.conf`, else tuned's own under
  /// `/usr/lib/tuned`) whose `[sysfs]` section sets `/sys/kernel/mm/ksm/run` to 0.
  ///
  /// Read line by line because no shipped lens reads tuned's profiles: `Tuned.lns` is for
  /// `tuned-main.conf` (no sections), and the IniFile-based lenses (Puppet, MySQL, Php)
  /// refuse a key that starts with `/`, which every `[sysfs]` key does. Profiles this
  /// one includes (`include=`) are not followed.
  static func disablesKSM(_ root: HostRoot, profile: String) -> String? {
    for folder in ["/etc/tuned", "/usr/lib/tuned"] {
      let file = "\(folder)/\(profile)/tuned.conf"
      // An unreadable profile is reported by tuned itself; virthost then knows nothing of it.
      guard let text = (try? root.text(file)) ?? nil else { continue }
      var section = ""
      for raw in text.components(separatedBy: "\n") {
        let line = raw.trimmingCharacters(in: .whitespaces)
        if line.hasPrefix("[") && line.hasSuffix("]") {
          section = String(line.dropFirst().dropLast())
          continue
        }
        guard section == "sysfs", let equals = line.firstIndex(of: "=") else { continue }
        let key = line[..<equals].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
        if key == "/sys/kernel/mm/ksm/run" && value == "0" { return file }
      }
      return nil
    }
    return nil
  }
}

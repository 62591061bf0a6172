/// The rules of kernel module names, parameters and PCI device selectors, shared by the
/// spec parser and the modprobe.d editor so that both refuse the same values with the same words.
public enum ModuleOptionRules {
  /// The KVM modules whose options `kvm.options` may set.
  public static let kvmModules = ["kvm", "kvm_intel", "kvm_amd"]

  /// Whether `a` and `b` name one module: kmod treats `-` and `_` alike (`vfio-pci`, `vfio_pci`).
  public static func sameModule(_ a: String, _ b: String) -> Bool { normal(a) == normal(b) }

  /// The module name as kmod stores it: `-` as `_`.
  public static func normal(_ module: String) -> String {
    String(module.map { $0 == "-" ? "_" : $0 })
  }

  /// Why `text` is not a module name (`nouveau`, `snd_hda_intel`); `nil` when it is one.
  public static func moduleProblem(_ text: String) -> String? {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
    return !text.isEmpty && text.allSatisfy(allowed.contains) && !text.hasPrefix("-")
      ? nil : "\"\(text)\" is not a kernel module name such as nouveau or snd_hda_intel"
  }

  /// Why `text` is not a module parameter name; `nil` when it is one.
  public static func parameterProblem(_ text: String) -> String? {
    let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
    return !text.isEmpty && text.allSatisfy(allowed.contains)
      ? nil : "\"\(text)\" is not a module parameter name such as ignore_msrs"
  }

  /// Why `text` cannot be a parameter's value on an `options` line (blanks, quotes, `#`); `nil` when it can.
  public static func valueProblem(_ text: String) -> String? {
    if text.isEmpty { return "needs a value" }
    if text.contains(where: { $0.isWhitespace || $0 == "\"" || $0 == "'" || $0 == "#" || $0 == "\\" }) {
      return "\"\(text)\" cannot stand on an options line: no blanks, quotes, # or backslashes"
    }
    return nil
  }

  /// Why `text` selects no PCI device by its form: neither an address (`0000:01:00.0`) nor
  /// vendor and device IDs (`10de:1b80`, four hex digits each); `nil` when it is one of them.
  public static func deviceProblem(_ text: String) -> String? {
    if isIDs(text) || isAddress(text) { return nil }
    if isAddress("0000:" + text) {
      // lspci's short form, without the PCI domain.
      return "\"\(text)\" is a PCI address without its domain, as lspci prints it: write it 0000:\(text)"
    }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    if parts.count == 2 {
      let bad = parts.filter { $0.count != 4 || !$0.allSatisfy(\.isHexDigit) }.map { "\"\($0)\"" }
      return "\"\(text)\" is not vendor:device IDs: \(bad.joined(separator: " and ")) "
        + "must be four hex digits, as lspci -nn shows them (10de:1b80)"
    }
    return "\"\(text)\" is neither a PCI address (0000:01:00.0) nor vendor:device IDs (10de:1b80)"
  }

  /// Whether `text` is `vendor:device` IDs (`10de:1b80`).
  public static func isIDs(_ text: String) -> Bool {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    return parts.count == 2 && parts.allSatisfy { $0.count == 4 && $0.allSatisfy(\.isHexDigit) }
  }

  /// Whether `text` is a PCI address (`0000:01:00.0`: domain, bus, slot, function 0-7).
  public static func isAddress(_ text: String) -> Bool {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2 else { return false }
    let slot = parts[2].split(separator: ".", omittingEmptySubsequences: false)
    guard slot.count == 2, slot[0].count == 2, slot[1].count == 1, let function = Int(slot[1]), function < 8 else {
      return false
    }
    return (parts[0] + parts[1] + slot[0]).allSatisfy(\.isHexDigit)
  }
}

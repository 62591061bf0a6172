/// The order of version strings that systemd-boot and `kernel-install` sort entries by
/// (systemd's `strverscmp_improved`), for the names kernels and entries carry: runs of
/// digits compare as numbers (leading zeros ignored), other runs character by character,
/// `~` before anything (a pre-release sorts before its release), and a string that ends
/// first before one that goes on (`6.1` before `6.1.0`).
public enum VersionOrder {
  /// A negative number when `a` sorts before `b`, 0 when they are equal, positive after.
  public static func compare(_ a: String, _ b: String) -> Int {
    var left = Substring(a)
    var right = Substring(b)
    while true {
      switch (left.first, right.first) {
      case (nil, nil): return 0
      case ("~", "~"):
        left = left.dropFirst()
        right = right.dropFirst()
        continue
      case ("~", _): return -1
      case (_, "~"): return 1
      case (nil, _): return -1
      case (_, nil): return 1
      default: break
      }
      let leftDigits = left.prefix { $0.isASCII && $0.isNumber }
      let rightDigits = right.prefix { $0.isASCII && $0.isNumber }
      if !leftDigits.isEmpty && !rightDigits.isEmpty {
        let x = leftDigits.drop { $0 == "0" }
        let y = rightDigits.drop { $0 == "0" }
        if x.count != y.count { return x.count < y.count ? -1 : 1 }
        if x != y { return x < y ? -1 : 1 }
        left = left.dropFirst(leftDigits.count)
        right = right.dropFirst(rightDigits.count)
        continue
      }
      // A digit sorts after a letter or a separator (`6.1.0-28` after `6.1.0-rc`).
      if !leftDigits.isEmpty || !rightDigits.isEmpty { return leftDigits.isEmpty ? -1 : 1 }
      guard let x = left.first, let y = right.first else { return 0 }
      if x != y { return String(x) < String(y) ? -1 : 1 }
      left = left.dropFirst()
      right = right.dropFirst()
    }
  }
}

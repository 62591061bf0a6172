/// Sizes in binary units for people: `0 B`, `512 B`, `1.5 KiB`, `15.1 GiB`.
public enum ByteCount {
  /// `bytes` in the largest binary unit (B, KiB, MiB, GiB, TiB, PiB) that keeps the
  /// number at 1 or more, with one decimal unless the unit is bytes.
  public static func human(_ bytes: Int) -> String {
    let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
    var value = Double(bytes)
    var unit = 0
    while abs(value) >= 1024, unit < units.count - 1 {
      value /= 1024
      unit += 1
    }
    if unit == 0 { return "\(bytes) B" }
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(abs(tenths % 10)) \(units[unit])"
  }
}

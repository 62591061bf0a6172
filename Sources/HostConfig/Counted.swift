/// A count and its noun, agreeing: `1 step`, `2 steps`, `1 entry`, `0 entries`.
///
/// - Parameters:
///   - count: how many.
///   - noun: the singular.
///   - plural: the plural, when it is not the singular with `s`.
public func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
  "\(count) \(count == 1 ? noun : plural ?? noun + "s")"
}

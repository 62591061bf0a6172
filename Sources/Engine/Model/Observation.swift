/// Something a plan read from the host, with a digest of what it read: a file's
/// bytes, a service's state, a live value, the host's facts.
///
/// A saved plan keeps them; applying it refuses when any has changed.
public struct Observation: Sendable, Equatable, Codable {
  /// What was read.
  public var source: ObservationSource
  /// The digest of what was read, ``Digest/absent`` when nothing was there.
  public var digest: Digest

  /// Creates an observation.
  public init(source: ObservationSource, digest: Digest) {
    self.source = source
    self.digest = digest
  }
}

/// What a plan read: its string form (`file /etc/ksmtuned.conf`, `service ksm`,
/// `sysfs /sys/kernel/mm/ksm/run`, `domain web`, `facts`) is the plan file's `source`.
public enum ObservationSource: Sendable, Hashable, Comparable, TextCoded {
  /// The host's facts the plan used (CPU, NUMA nodes, kernel).
  case facts
  /// A file's bytes, by its path from the root.
  case file(String)
  /// A live value under `/sys` or `/proc/sys`, by its path from the root.
  case live(String)
  /// A service's enablement and state, by its name.
  case service(String)
  /// A libvirt domain's persistent definition and, running, its live affinity, by its name.
  case domain(String)

  /// The source written as `description` shows it; `nil` for any other text.
  public init?(parsing text: String) {
    if text == "facts" {
      self = .facts
      return
    }
    guard let space = text.firstIndex(of: " ") else { return nil }
    let rest = String(text[text.index(after: space)...])
    switch text[..<space] {
    case "file": self = .file(rest)
    case "sysfs": self = .live(rest)
    case "service": self = .service(rest)
    case "domain": self = .domain(rest)
    default: return nil
    }
  }

  /// `facts`, `file PATH`, `sysfs PATH`, `service NAME` or `domain NAME`.
  public var description: String {
    switch self {
    case .facts: "facts"
    case .file(let path): "file \(path)"
    case .live(let path): "sysfs \(path)"
    case .service(let name): "service \(name)"
    case .domain(let name): "domain \(name)"
    }
  }

  /// Sources sort by their string form, as the plan file lists them.
  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
}

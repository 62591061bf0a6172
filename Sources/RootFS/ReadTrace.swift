import Synchronization

/// What a piece of work read of a root, answer by answer: every file read (the SHA-256 of
/// its bytes, or why it could not be read: absent, not a regular file…), every folder
/// listed (its sorted names), every path resolved or looked at (`stat`), every link text.
///
/// Recorded by ``HostRoot`` itself while a ``ReadRecorder`` is bound, so that every reader
/// of host files is covered without its cooperation. ``mismatch(in:)`` asks the same
/// questions again: when every answer is the same, whatever was computed from those reads
/// alone would be computed the same again. It is not for reads outside the root (a program
/// found elsewhere) nor for values that are not read through ``HostRoot``.
public struct ReadTrace: Codable, Equatable, Sendable {
  /// One question asked of the root.
  public enum Probe: Hashable, Codable, Sendable, Comparable, CustomStringConvertible {
    /// The bytes of a file (``HostRoot/read(_:limit:)``).
    case read(String)
    /// The names in a folder (``HostRoot/list(_:includingHidden:)``).
    case list(String, hidden: Bool)
    /// What is at a path (``HostRoot/status(_:followingLinks:)``).
    case status(String, followingLinks: Bool)
    /// Where a path leads, links resolved inside the root (``HostRoot/resolve(_:)``).
    case resolve(String)
    /// The text of a symlink (``HostRoot/linkText(_:)``).
    case linkText(String)

    /// `read /etc/default/grub`, `list /etc/sysctl.d`: the probe in words.
    public var description: String {
      switch self {
      case .read(let path): "read \(path)"
      case .list(let path, let hidden): "list \(path)\(hidden ? " (hidden names too)" : "")"
      case .status(let path, let links): "status of \(path)\(links ? "" : " (the entry itself)")"
      case .resolve(let path): "resolution of \(path)"
      case .linkText(let path): "link \(path)"
      }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }
  }

  /// One probe and its answer, in words (`sha256:…`, `absent`, the names one a line…).
  public struct Record: Codable, Equatable, Sendable {
    public var probe: Probe
    public var answer: String
  }

  /// Every probe once, sorted.
  public var records: [Record]

  /// A trace of the given answers.
  public init(_ answers: [Probe: String]) {
    records = answers.keys.sorted().map { Record(probe: $0, answer: answers[$0]!) }
  }

  /// How many files, folders and other probes the trace holds, for people.
  public var summary: String {
    let files = records.filter { if case .read = $0.probe { true } else { false } }.count
    let folders = records.filter { if case .list = $0.probe { true } else { false } }.count
    return "\(files) file\(files == 1 ? "" : "s"), \(folders) folder\(folders == 1 ? "" : "s"), "
      + "\(records.count - files - folders) other probe\(records.count - files - folders == 1 ? "" : "s")"
  }

  /// The first probe whose answer under `root` differs from the recorded one, in words
  /// (`read /boot/grub/grub.conf: sha256:… now, sha256:… then`); `nil` when all match.
  public func mismatch(in root: HostRoot) -> String? {
    for record in records {
      let now = root.answer(record.probe)
      if now != record.answer { return "\(record.probe) changed" }
    }
    return nil
  }
}

/// Records what is read of one root while it is bound (``recording(_:)``): a task-local
/// binding, so every ``HostRoot`` read of that root made inside, by any reader, is recorded.
///
/// Reads of other roots are not recorded. The lock makes it safe to share between threads;
/// one recording is one piece of work.
public final class ReadRecorder: Sendable {
  /// The recorder bound to the current task, if any.
  @TaskLocal static var current: ReadRecorder?

  /// The root recorded (its normalised path).
  public let root: String
  private let answers = Mutex<[ReadTrace.Probe: String]>([:])

  /// A recorder of reads of `root`.
  public init(root: HostRoot) { self.root = root.path }

  /// Runs `body` with this recorder bound: reads of the root inside are recorded.
  public func recording<T>(_ body: () -> T) -> T {
    Self.$current.withValue(self, operation: body)
  }

  /// Everything recorded so far.
  public var trace: ReadTrace { ReadTrace(answers.withLock { $0 }) }

  /// Records `answer` for `probe`; the first answer stays (a later one is the same read again).
  func record(_ probe: ReadTrace.Probe, _ answer: @autoclosure () -> String) {
    answers.withLock { answers in
      if answers[probe] == nil { answers[probe] = answer() }
    }
  }
}

#if canImport(Glibc)
  import Glibc
#endif

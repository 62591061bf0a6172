import Augeas
import HostProcesses
import KSMConfig
import RootFS

#if canImport(Glibc)
  import Glibc
#endif

extension KSMSettings {
  /// The host path of ksmtuned's settings.
  public static let file = KsmtunedConf.path

  /// Why the settings file could not be read; its description starts with the file's path
  /// from the root when the problem is the file's.
  public enum ReadError: Error, Equatable, CustomStringConvertible {
    /// The file cannot be read through the root (not text, not a regular file, refused).
    case unreadable(HostRootError)
    /// The file is not shell variable syntax (Augeas's line and character), or the lens is missing.
    case unparsable(AugeasError)

    /// Whether ``description`` starts with the file's path from the root.
    public var namesTheFile: Bool {
      switch self {
      case .unreadable: true
      case .unparsable(let error): error.file != nil
      }
    }

    public var description: String {
      switch self {
      case .unreadable(let error): error.description
      case .unparsable(let error): error.description
      }
    }
  }

  /// Reads `/etc/ksmtuned.conf` under `root` through the root layer, parses it with Augeas's
  /// `Shellvars.lns` (the last assignment of a name wins, as in the shell) and interprets it
  /// with ``init(assignments:problems:)``; a missing file means the defaults.
  ///
  /// The tree is closed before returning and the memory it freed is handed back
  /// to the system, so the lens's cost is paid only while reading.
  /// - Returns: the settings and one sentence per value that is not a number,
  ///   each starting with the file's path.
  /// - Throws: ``ReadError`` (with the line and character) when the file cannot be read or
  ///   is not valid shell variable syntax.
  public static func read(root: HostRoot) throws(ReadError) -> (settings: KSMSettings, problems: [String]) {
    let text: String?
    do {
      text = try root.text(file)
    } catch {
      throw .unreadable(error)
    }
    var assignments: [String: String] = [:]
    if let text {
      do {
        let tree = try AugeasTree(root: "/", transforms: [])
        try tree.parseText(text, lens: "Shellvars.lns", into: "/ksmtuned")
        for setting in KsmtunedSetting.allCases {
          if let last = try tree.match("/ksmtuned/\(setting.rawValue)").last {
            assignments[setting.rawValue] = try tree.get(last) ?? ""
          }
        }
      } catch {
        var error = error
        error.file?.file = file
        throw .unparsable(error)
      }
    }
    releaseFreedMemory()
    var problems: [String] = []
    let settings = KSMSettings(assignments: assignments, problems: &problems)
    return (settings, problems.map { root.describe(file) + ": " + $0 })
  }
}

/// Hands the heap's free pages back to the system (glibc's `malloc_trim(0)`).
///
/// Compiling the Shellvars lens takes about 14 MB of heap; after the tree is
/// closed, glibc keeps those pages resident unless asked. The Glibc module does
/// not export `<malloc.h>`, so the function is looked up in the C library.
private func releaseFreedMemory() {
  typealias MallocTrim = @convention(c) (Int) -> Int32
  guard let symbol = dlsym(nil, "malloc_trim") else { return }
  _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
}

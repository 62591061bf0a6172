import RootFS

/// How the facts readers read under a root: results, not throws, so that a source that
/// cannot be read makes its facts unknown with the reason, and nothing else.
extension HostRoot {
  /// The text of the regular file at `path` (invalid UTF-8 repaired: facts are not parsed as a whole).
  func factText(_ path: String) -> Result<String, HostRootError> {
    Result { () throws(HostRootError) in String(decoding: try read(path), as: UTF8.self) }
  }

  /// The trimmed first line of the file at `path` (sysfs and procfs values).
  func factValue(_ path: String) -> Result<String, HostRootError> {
    Result { () throws(HostRootError) in try value(path) }
  }

  /// The names in the folder at `path`, sorted, hidden ones left out.
  func factEntries(_ path: String) -> Result<[String], HostRootError> {
    Result { () throws(HostRootError) in try list(path) }
  }
}

extension HostRootError {
  /// The error as a fact's reason for being unknown (`/var/log/dmesg not found`,
  /// `/proc/cpuinfo cannot be read: Permission denied`).
  var factReason: String {
    switch self {
    case .system(let path, _, let reason): "\(path) cannot be read: \(reason)"
    default: description
    }
  }
}

import HostConfig

/// What must be true of the kernel arguments of the selected entries.
///
/// Semantics (those of `grubby` and the admins' habits):
/// - a `key=value` whose key already stands on the line is replaced in place,
///   otherwise appended at the end of the line;
/// - a flag is a bare word (`quiet`, never `quiet=`);
/// - a key given several times (`console=tty0 console=ttyS1,115200`) means
///   exactly those occurrences, in that order; one given once means exactly one;
/// - `absent` `key` removes every occurrence of the key, `key=value` only the
///   occurrences with that value.
public struct KernelArgsRequest: Sendable, Equatable {
  /// Which entries are edited.
  public var entries: EntrySelection
  /// The arguments that must stand on the selected entries.
  public var present: [KernelArgument]
  /// The arguments that must not.
  public var absent: [KernelArgument]

  /// Creates a request.
  public init(entries: EntrySelection, present: [KernelArgument], absent: [KernelArgument]) {
    self.entries = entries
    self.present = present
    self.absent = absent
  }

  /// Checks every argument and that no argument is both present and absent.
  func validate() throws(EditorError) {
    for argument in present + absent {
      do { try argument.validate() } catch { throw error }
    }
    for wanted in present {
      for unwanted in absent
      where unwanted.key == wanted.key && (unwanted.value == nil || unwanted.value == wanted.value) {
        throw EditorError(
          message:
            "kernel argument '\(wanted)' is asked both present and absent ('\(unwanted)')"
        )
      }
    }
  }

  /// The present arguments grouped by key, keys in order of first appearance.
  var presentByKey: [(key: String, values: [String?])] {
    var order: [String] = []
    var values: [String: [String?]] = [:]
    for argument in present {
      if values[argument.key] == nil { order.append(argument.key) }
      values[argument.key, default: []].append(argument.value)
    }
    return order.map { ($0, values[$0]!) }
  }
}

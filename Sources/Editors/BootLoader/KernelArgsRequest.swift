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
  /// Runs of arguments whose order carries meaning, each kept together in its order
  /// (`hugepagesz=1G hugepages=8 hugepagesz=2M hugepages=512`: each `hugepages=` counts
  /// pages of the `hugepagesz=` before it). The keys of a run are its own: every other
  /// occurrence of them is removed, and the run stands where the first one stood (or at
  /// the end of the line). A key is in one run at most, and never in ``present``.
  public var groups: [[KernelArgument]]

  /// Creates a request.
  public init(
    entries: EntrySelection, present: [KernelArgument], absent: [KernelArgument], groups: [[KernelArgument]] = []
  ) {
    self.entries = entries
    self.present = present
    self.absent = absent
    self.groups = groups
  }

  /// Every key the request sets: those of ``present``, then those of the ``groups``.
  var managedKeys: [String] {
    var keys = presentByKey.map(\.key)
    for argument in groups.joined() where !keys.contains(argument.key) { keys.append(argument.key) }
    return keys
  }

  /// Checks every argument and that no argument is both present and absent.
  func validate() throws(EditorError) {
    let grouped = Array(groups.joined())
    for argument in present where grouped.contains(where: { $0.key == argument.key }) {
      throw EditorError(message: "kernel argument '\(argument)' is asked alone and in an ordered run of its key")
    }
    for (index, group) in groups.enumerated() {
      for other in groups[(index + 1)...]
      where other.contains(where: { argument in group.contains { $0.key == argument.key } }) {
        throw EditorError(message: "two ordered runs of kernel arguments share a key")
      }
    }
    for argument in present + absent + grouped {
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

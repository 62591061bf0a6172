import Augeas
import HostConfig

/// The kernel arguments held as the children of one Augeas node: the `kernel`
/// node of the Grub lens, the root of a `Cmdline.lns` tree. Each child is one
/// argument, labelled with its key, valued with its value (none for a flag).
///
/// Every change is made on the tree and mirrored in `items`, so positions stay
/// right; children whose label is in `ignored` (the Grub lens's `@path`,
/// `type`, `no-mem-option`) are never touched.
struct ArgumentList {
  let tree: AugeasTree
  let node: String
  let ignored: Set<String>
  private(set) var items: [(label: String, value: String?)] = []
  /// Whether any argument was removed, changed or added.
  private(set) var changed = false

  /// The list of the children of `node`; `children`, when given, are what the caller
  /// read of them in the same state of the tree (saving a read).
  init(
    tree: AugeasTree, node: String, ignored: Set<String> = [], children: [(label: String, value: String?)]? = nil
  ) throws(AugeasError) {
    self.tree = tree
    self.node = node
    self.ignored = ignored
    if let children { items = children } else { items = try tree.children(of: node) }
  }

  /// The arguments, in order.
  var arguments: [KernelArgument] {
    KernelArgument.list(items, ignoring: ignored)
  }

  private func path(_ index: Int) -> String { "\(node)/*[\(index + 1)]" }

  private mutating func remove(_ index: Int) throws(AugeasError) {
    try tree.remove(path(index))
    items.remove(at: index)
    changed = true
  }

  private mutating func setValue(_ index: Int, _ value: String?) throws(AugeasError) {
    try tree.set(path(index), value)
    items[index].value = value
    changed = true
  }

  /// Inserts after `index`; with `index` -1, first (or as the only child when there is none).
  private mutating func insert(after index: Int, _ label: String, _ value: String?) throws(AugeasError) {
    if index < 0, !items.isEmpty {
      try tree.insert(label, at: path(0), before: true)
      if value != nil { try tree.set(path(0), value) }
      items.insert((label, value), at: 0)
      changed = true
      return
    }
    if index < 0 {
      try tree.set("\(node)/\(label)", value)
      items.append((label, value))
      changed = true
      return
    }
    try tree.insert(label, at: path(index), before: false)
    if value != nil { try tree.set(path(index + 1), value) }
    items.insert((label, value), at: index + 1)
    changed = true
  }

  /// Removes the occurrences that `absent` names.
  mutating func removeAbsent(_ absent: [KernelArgument]) throws(AugeasError) {
    for index in items.indices.reversed() where !ignored.contains(items[index].label) {
      let item = items[index]
      if absent.contains(where: { $0.key == item.label && ($0.value == nil || $0.value == item.value) }) {
        try remove(index)
      }
    }
  }

  /// Removes every occurrence of `key`.
  mutating func removeKey(_ key: String) throws(AugeasError) {
    try removeAbsent([KernelArgument(key: key, value: nil)])
  }

  /// Makes the occurrences of `key` exactly `values`: the existing ones are
  /// replaced in place, the surplus removed, the missing ones inserted after
  /// the last occurrence or appended at the end of the line.
  mutating func ensure(key: String, values: [String?]) throws(AugeasError) {
    let occurrences = occurrences(of: key)
    let common = min(occurrences.count, values.count)
    for position in 0..<common where items[occurrences[position]].value != values[position] {
      try setValue(occurrences[position], values[position])
    }
    if occurrences.count > values.count {
      for position in (values.count..<occurrences.count).reversed() { try remove(occurrences[position]) }
    } else if values.count > occurrences.count {
      var after = common > 0 ? occurrences[common - 1] : items.count - 1
      for position in common..<values.count {
        try insert(after: after, key, values[position])
        after += 1
      }
    }
  }

  /// The positions of the arguments labelled `key`.
  func occurrences(of key: String) -> [Int] {
    items.indices.filter { items[$0].label == key && !ignored.contains(key) }
  }

  /// Makes the arguments whose keys `run` names exactly `run`, in its order and side by
  /// side: left alone when they are; otherwise every occurrence of those keys is removed
  /// and the run inserted where the first one stood, or at the end of the line.
  mutating func ensure(run: [KernelArgument]) throws(AugeasError) {
    let keys = Set(run.map(\.key))
    let positions = items.indices.filter { keys.contains(items[$0].label) && !ignored.contains(items[$0].label) }
    let current = positions.map { KernelArgument(key: items[$0].label, value: items[$0].value) }
    let together = positions.last.map { $0 - positions[0] + 1 == positions.count } ?? true
    if current == run && together { return }
    let start = positions.first ?? items.count
    for position in positions.reversed() { try remove(position) }
    for (offset, argument) in run.enumerated() { try insert(after: start + offset - 1, argument.key, argument.value) }
  }

  /// Applies a whole request: absent first, then present, key by key, then the ordered runs.
  mutating func apply(_ request: KernelArgsRequest) throws(AugeasError) {
    try removeAbsent(request.absent)
    for (key, values) in request.presentByKey { try ensure(key: key, values: values) }
    for run in request.groups { try ensure(run: run) }
  }
}

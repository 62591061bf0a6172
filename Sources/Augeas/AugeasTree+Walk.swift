internal import CAugeas

/// A walk over the nodes labelled `label` among the children of one node, in order, each
/// reached in constant time from the one before.
///
/// A path such as `title[1234]` is found by Augeas counting the siblings from the first
/// one, so visiting every entry of a long file by its index is quadratic. A walk keeps
/// the current node in an Augeas variable and steps with
/// `$variable/following-sibling::label[1]`, which looks only at the siblings between
/// two nodes: a visit of the whole file is linear.
///
/// ``next()`` returns a path that starts with the variable (`$virthost_walk_1`); it
/// stands for the current node until the next call, and paths below it
/// (`$virthost_walk_1/kernel[1]/*[3]`) can be read and edited like any other. The
/// variable is removed when the walk goes away.
public final class SiblingWalk {
  let tree: AugeasTree
  let name: String
  private let first: String
  private let label: String
  private var started = false
  private var finished = false

  init(tree: AugeasTree, name: String, parent: String, label: String) {
    self.tree = tree
    self.name = name
    self.first = tree.inner(parent) + "/" + label + "[1]"
    self.label = label
  }

  deinit {
    _ = try? tree.withHandle { (handle) throws(AugeasError) in aug_defvar(handle, name, nil) }
  }

  /// The path of the next node, or `nil` after the last one.
  ///
  /// The corresponding Augeas functions are `aug_defvar` and `aug_ns_count`.
  public func next() throws(AugeasError) -> String? {
    if finished { return nil }
    let expression = started ? "$\(name)/following-sibling::\(label)[1]" : first
    started = true
    let count = try tree.withHandle { (handle) throws(AugeasError) -> Int32 in
      let count = aug_defvar(handle, name, expression)
      if count < 0 { throw AugeasTree.error(handle, operation: "aug_defvar", path: expression) }
      return count
    }
    if count == 0 {
      finished = true
      return nil
    }
    return "$" + name
  }
}

extension SiblingWalk {
  /// The value of the current node (`nil` when it has none).
  ///
  /// The corresponding Augeas function is `aug_ns_value`.
  public func value() throws(AugeasError) -> String? {
    try tree.withHandle { (handle) throws(AugeasError) -> String? in
      var value: UnsafePointer<CChar>? = nil
      if aug_ns_value(handle, name, 0, &value) < 0 {
        throw AugeasTree.error(handle, operation: "aug_ns_value", path: "$" + name)
      }
      return AugeasTree.string(value)
    }
  }
}

extension AugeasTree {
  /// A walk over the children of the single node at `parent` that are labelled `label`
  /// (a plain label, such as `title`), in document order; see ``SiblingWalk``.
  public func walk(_ label: String, under parent: String) -> SiblingWalk {
    walks += 1
    return SiblingWalk(tree: self, name: "virthost_walk_\(walks)", parent: parent, label: label)
  }
}

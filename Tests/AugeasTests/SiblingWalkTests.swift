import Foundation
import TestSupport
import Testing

@testable import Augeas

/// ``SiblingWalk``: each node of a label under one parent, in order, from one to the next.
@Suite struct SiblingWalkTests {
  /// A menu of `count` entries parsed with the Grub lens, no file.
  static func menu(_ count: Int) throws -> AugeasTree {
    let tree = try AugeasTree(root: try FixtureRoot().path, transforms: [])
    var text = "default=0\n"
    for index in 0..<count {
      text += "title T\(index)\n\tkernel /vmlinuz-\(index) ro\n# between \(index)\n"
    }
    try tree.parseText(text, lens: "Grub.lns", into: "/menu")
    return tree
  }

  @Test func visitsEveryNodeOfTheLabelInOrderThenStops() throws {
    let tree = try Self.menu(5)
    let walk = tree.walk("title", under: "/menu")
    var values: [String?] = []
    while let title = try walk.next() {
      values.append(try walk.value())
      #expect(title == "$virthost_walk_1")
      #expect(try tree.get(title + "/kernel") == "/vmlinuz-\(values.count - 1)")
    }
    #expect(values == ["T0", "T1", "T2", "T3", "T4"])
    #expect(try walk.next() == nil)
  }

  @Test func aParentWithoutTheLabelGivesNothing() throws {
    let tree = try Self.menu(0)
    #expect(try tree.walk("title", under: "/menu").next() == nil)
    #expect(try tree.walk("title", under: "/nowhere").next() == nil)
  }

  @Test func editsBelowTheCurrentNodeKeepTheWalkGoing() throws {
    let tree = try Self.menu(3)
    let walk = tree.walk("title", under: "/menu")
    while let title = try walk.next() {
      try tree.insert("quiet", at: title + "/kernel/ro", before: false)
    }
    #expect(try tree.count("/menu/title/kernel/quiet") == 3)
    #expect(try tree.match("/menu/title/kernel/*").count == 6)
  }

  @Test func eachWalkHasItsVariableAndGivesItBack() throws {
    let tree = try Self.menu(2)
    do {
      let outer = tree.walk("title", under: "/menu")
      let inner = tree.walk("title", under: "/menu")
      #expect(try outer.next() == "$virthost_walk_1")
      #expect(try inner.next() == "$virthost_walk_2")
      #expect(try inner.next() != nil)
      #expect(try outer.value() == "T0", "a second walk does not move the first")
      #expect(try tree.match("/augeas/variables/*").count == 2)
    }
    #expect(try tree.match("/augeas/variables/*").isEmpty)
  }
}

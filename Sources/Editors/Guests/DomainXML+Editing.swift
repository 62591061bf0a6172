import Augeas

extension DomainXML {
  /// The text with `tuning`'s elements set: `currentMemory`, `memtune`'s limits,
  /// `memoryBacking/hugepages/page`, `cputune`'s `vcpupin` and `emulatorpin`,
  /// `numatune/memory` and `cpu@mode`. Each is changed in place where it exists (an existing
  /// attribute keeps its quotes); a missing one is added where libvirt writes it, indented as
  /// its siblings, with Xml.lns's double quotes. Every other byte stays as it was; the result
  /// is read back with the lens before it is returned.
  ///
  /// - Throws: ``EditorError`` naming the file when the lens cannot write the tree back.
  public func edited(_ tuning: DomainTuning) throws(EditorError) -> String {
    do {
      // The tree goes back to the text read, whatever happens: ``definition()`` reads it.
      defer { try? tree.parseText(text, lens: Self.lens, into: Self.node) }
      try apply(tuning)
      let result = try tree.renderText(lens: Self.lens, from: Self.node, original: text)
      try tree.parseText(result, lens: Self.lens, into: "/domain-xml-check")
      _ = try tree.remove("/domain-xml-check")
      return result
    } catch {
      throw EditorError(text: error, file: file)
    }
  }

  private func apply(_ tuning: DomainTuning) throws(AugeasError) {
    if let kib = tuning.currentMemoryKiB {
      try setSize(try element(domain, "currentMemory", depth: 1, after: ["memory"]), kib)
    }
    for limit in tuning.limits {
      let memtune = try element(
        domain, "memtune", depth: 1, after: ["blkiotune", "currentMemory", "memory"], empty: true)
      let index = DomainTuning.limitNames.firstIndex(of: limit.name) ?? 0
      let before = Array(DomainTuning.limitNames[..<index].reversed())
      try setSize(try element(memtune, limit.name, depth: 2, after: before), limit.kibibytes)
    }
    if let size = tuning.hugePageSizeKiB {
      let backing = try element(
        domain, "memoryBacking", depth: 1, after: ["memtune", "blkiotune", "currentMemory", "memory"], empty: true)
      let pages = try element(backing, "hugepages", depth: 2, after: [], empty: true)
      let page = try element(pages, "page", depth: 3, after: [], empty: true)
      try setAttribute(page, "size", "\(size)")
      try setAttribute(page, "unit", "KiB")
    }
    let tuneAnchors = ["iothreadids", "iothreads", "vcpus", "vcpu"]
    let pinAnchors = [
      "iothread_quota", "iothread_period", "emulator_quota", "emulator_period", "global_quota", "global_period",
      "quota", "period", "shares",
    ]
    if let pins = tuning.vcpuPins {
      let cputune = try element(domain, "cputune", depth: 1, after: tuneAnchors, empty: true)
      for (vcpu, cpuset) in pins.enumerated() {
        var pin = try tree.match(cputune + "/vcpupin[#attribute/vcpu='\(vcpu)']").first
        if pin == nil {
          pin = try element(cputune, "vcpupin", depth: 2, after: ["vcpupin"] + pinAnchors, empty: true, adding: true)
        }
        guard let pin else { continue }
        try setAttribute(pin, "vcpu", "\(vcpu)")
        try setAttribute(pin, "cpuset", cpuset)
      }
      for pin in try tree.match(cputune + "/vcpupin").reversed() {
        let vcpu = try tree.get(pin + "/#attribute/vcpu").flatMap { Int($0) } ?? 0
        if vcpu >= pins.count { try removeElement(pin) }
      }
    }
    if let cpuset = tuning.emulatorPin {
      let cputune = try element(domain, "cputune", depth: 1, after: tuneAnchors, empty: true)
      let pin = try element(cputune, "emulatorpin", depth: 2, after: ["vcpupin"] + pinAnchors, empty: true)
      try setAttribute(pin, "cpuset", cpuset)
    }
    if tuning.memoryNodeset != nil || tuning.memoryMode != nil {
      let numatune = try element(domain, "numatune", depth: 1, after: ["cputune"] + tuneAnchors, empty: true)
      let memory = try element(numatune, "memory", depth: 2, after: [], empty: true)
      if let mode = tuning.memoryMode { try setAttribute(memory, "mode", mode) }
      if let nodeset = tuning.memoryNodeset { try setAttribute(memory, "nodeset", nodeset) }
    }
    if let mode = tuning.cpuMode {
      let cpu = try element(domain, "cpu", depth: 1, after: ["features", "os"], empty: true)
      try setAttribute(cpu, "mode", mode)
    }
  }

  /// The first `name` child of `parent`, added when there is none (or always, with `adding`):
  /// after the last child labelled as the first of `after` found, else as the first element,
  /// indented `depth` steps; `empty` makes a new one `<name/>`.
  private func element(
    _ parent: String, _ name: String, depth: Int, after: [String], empty: Bool = false, adding: Bool = false
  ) throws(AugeasError) -> String {
    if !adding, try tree.exists(parent + "/" + name) { return parent + "/" + name + "[1]" }
    let indent = String(repeating: step, count: depth)
    let closing = String(repeating: step, count: depth - 1)
    if try tree.get(parent) == "#empty" {
      // `<parent/>` opens: its first child between a new line and the closing tag's indentation.
      try tree.set(parent, nil)
      try tree.set(parent + "/#text", "\n" + indent)
      try tree.insert(name, at: parent + "/#text", before: false)
      try tree.insert("#text", at: parent + "/" + name, before: false)
      try tree.set(parent + "/#text[2]", closing)
    } else {
      let labels = try tree.children(of: parent).map(\.label)
      let anchor = after.lazy.compactMap { label in labels.lastIndex(of: label) }.first
      // After the anchor, else after the text that opens the element's content.
      guard let position = anchor ?? labels.firstIndex(of: "#text") else {
        throw AugeasError(
          code: .noMatch, operation: "aug_insert", path: parent, message: "no place for <\(name)> in \(file)")
      }
      try tree.insert(name, at: "\(parent)/*[\(position + 1)]", before: false)
      if anchor != nil {
        try tree.insert("#text", at: "\(parent)/*[\(position + 2)]", before: true)
        try tree.set("\(parent)/*[\(position + 2)]", indent)
      } else {
        try tree.insert("#text", at: "\(parent)/*[\(position + 2)]", before: false)
        try tree.set("\(parent)/*[\(position + 3)]", indent)
      }
    }
    let path = parent + "/" + name + "[last()]"
    if empty { try tree.set(path, "#empty") }
    return path
  }

  /// Removes the element at `path` with the indentation before it.
  private func removeElement(_ path: String) throws(AugeasError) {
    if let before = try tree.match(path + "/preceding-sibling::*[1]").first, try tree.label(before) == "#text",
      try tree.get(before)?.first != "\n"
    {
      _ = try tree.remove(before)
    }
    _ = try tree.remove(path)
  }

  /// Sets `name` on the element at `path`; a new attribute goes last, after the element's others.
  private func setAttribute(_ path: String, _ name: String, _ value: String) throws(AugeasError) {
    let attributes = path + "/#attribute"
    if try !tree.exists(attributes), try tree.count(path + "/*") > 0 {
      try tree.insert("#attribute", at: path + "/*[1]", before: true)
    }
    try tree.set(attributes + "/" + name, value)
  }

  /// Sets the element at `path` to `kib` with `unit='KiB'`.
  private func setSize(_ path: String, _ kib: Int) throws(AugeasError) {
    if try tree.get(path) == "#empty" { try tree.set(path, nil) }
    try setAttribute(path, "unit", "KiB")
    try tree.set(path + "/#text", "\(kib)")
  }
}

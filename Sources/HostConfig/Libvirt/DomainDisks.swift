import Augeas

/// The disks of a libvirt domain's XML (`<devices><disk><target dev='vda'/>`), read with
/// Augeas's shipped `Xml.lns` over the text: the names libvirt's per-disk calls take
/// (`virDomainGetBlockJobInfo`). Reading only; not a model of the domain.
public enum DomainDisks {
  /// The lens that reads the XML.
  static let lens = "Xml.lns"
  private static let scratch = "/domain-xml"

  /// Each disk's target, in document order; a disk without a target is left out.
  /// - Throws: ``AugeasError`` `.textFailed` naming the line and column where the lens
  ///   stopped, for text that is not XML.
  public static func targets(in xml: String) throws(AugeasError) -> [String] {
    let tree = try AugeasTree(root: "/", transforms: [])
    // Xml.lns wants the text to end with a line break, as a file does.
    try tree.parseText(xml.hasSuffix("\n") ? xml : xml + "\n", lens: lens, into: scratch)
    var targets: [String] = []
    for node in try tree.match(scratch + "/domain/devices/disk/target/#attribute/dev") {
      if let target = try tree.get(node) { targets.append(target) }
    }
    return targets
  }
}

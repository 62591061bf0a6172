import Foundation
import Libvirt
import TestSupport
import Testing

@testable import Engine

/// The numa-pinned example with its two domains running in a private instance of libvirt's test
/// driver (`test:///PATH`, no daemon): a node file holding the example's `db.xml` and `web.xml`
/// as running guests, and the engine's planner pointed at it (``Planner/libvirtURI``).
struct LiveGuests {
  let host: ExampleHost
  let uri: String

  init() throws {
    host = try ExampleHost("numa-pinned")
    var domains = ""
    for name in ["db", "web"] {
      let text = try String(contentsOfFile: host.root.path + "/etc/libvirt/qemu/\(name).xml", encoding: .utf8)
      // libvirt's warning comment stays out: a node file holds domains only.
      domains += String(text[try #require(text.range(of: "<domain"), "no <domain>").lowerBound...])
    }
    let node = FileManager.default.temporaryDirectory.appendingPathComponent("virthost-guests-\(UUID().uuidString).xml")
    try """
    <node>
      <cpu><mhz>2000</mhz><model>x86_64</model><active>8</active><nodes>1</nodes><sockets>2</sockets>
        <cores>2</cores><threads>2</threads></cpu>
      <memory>16777216</memory>
    \(domains)</node>
    """.write(to: node, atomically: true, encoding: .utf8)
    uri = "test://" + node.path
    shared = SharedConnection(try LibvirtConnection(uri: uri))
  }

  /// The one connection every open gets: the test driver on a file forgets what was defined
  /// when its connection closes.
  let shared: SharedConnection

  /// One connection handed to the engine. `@unchecked Sendable`: a test uses it from its own
  /// thread only (the engine plans and applies on the caller's thread).
  final class SharedConnection: @unchecked Sendable {
    let connection: LibvirtConnection
    init(_ connection: LibvirtConnection) { self.connection = connection }
  }

  var engine: Engine {
    var planner = Planner(root: host.root.host, bundledTuner: ExampleHost.tuner)
    planner.libvirtURI = uri
    let shared = shared
    planner.libvirtConnector = LibvirtConnector { _, _ in shared.connection }
    return Engine(planner: planner, lockWait: .milliseconds(200))
  }

  func plan(_ text: String? = nil) throws -> Plan {
    try engine.plan(specText: text ?? host.specText, specFile: "examples/numa-pinned/host.yaml")
  }

  /// The read-write connection the engine uses.
  func connection() -> LibvirtConnection { shared.connection }

  /// The domain change of `name` in `plan`.
  static func change(_ name: String, in plan: Plan) throws -> ResourceChange {
    try #require(plan.changes.first { $0.address == ResourceAddress(.domain, name) }, "no domain[\(name)]")
  }
}

import Foundation
import TemplateStore
import TestSupport
import Testing

@Suite struct TemplateStoreTests {
  @Test func everyFileOfTemplatesIsEmbeddedByteForByte() throws {
    let folder = FixtureRoot.repository.appendingPathComponent("Templates")
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
    #expect(TemplateStore.names == files)
    for name in files {
      let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
      #expect(TemplateStore.text(named: name) == text, "Templates/\(name)")
    }
  }

  @Test func renderingAnUnknownTemplateNamesIt() {
    let error = #expect(throws: TemplateStore.Failure.self) { try TemplateStore.render("nope.mustache", [:]) }
    #expect(error?.description == "no template named 'nope.mustache' in Templates/")
  }
}

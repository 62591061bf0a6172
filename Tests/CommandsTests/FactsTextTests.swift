import Foundation
import HostFacts
import TestSupport
import Testing

@testable import Commands

/// The text rendering for people: exact for the seed host, colour only when asked.
@Suite struct FactsTextTests {
  @Test func seedHostTextIsExactlyTheGoldenFile() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let report = FactsReport(root: "examples/centos6-amd/root", facts: HostFacts.gather(root: root.host))
    let text = report.text(colour: false)
    #expect(text == (try Golden.text("Tests/HostFactsTests/Fixtures/centos6-amd.facts.txt", recording: text)))
  }

  @Test func colourWrapsLevelsHeadingsAndSourcesOnlyWhenAsked() throws {
    let root = try FixtureRoot("Tests/HostFactsTests/Fixtures/no-virtualization/root")
    let report = FactsReport(root: "r", facts: HostFacts.gather(root: root.host))
    let coloured = report.text(colour: true)
    #expect(coloured.contains("  \u{1B}[1;31mFAIL\u{1B}[0m  hardware virtualization "))
    #expect(coloured.contains("  \u{1B}[32mPASS\u{1B}[0m  64-bit CPU "))
    #expect(coloured.contains("\n\u{1B}[1mCPU\u{1B}[0m\n"))
    #expect(coloured.contains("\u{1B}[2m/proc/cpuinfo\u{1B}[0m"))
    #expect(
      coloured.contains(
        "\u{1B}[33munknown: /var/log/dmesg not found; the ring buffer (/dev/kmsg) is read only on the live root\u{1B}[0m"
      ))
    #expect(!report.text(colour: false).contains("\u{1B}"))
    let plain = coloured.replacingOccurrences(of: "\u{1B}\\[[0-9;]*m", with: "", options: .regularExpression)
    #expect(plain == report.text(colour: false))
  }

  @Test func colourOnlyOnATerminalWithoutNoColor() {
    #expect(Facts.usesColour(environment: [:], isTerminal: true))
    #expect(Facts.usesColour(environment: ["TERM": "xterm-256color"], isTerminal: true))
    #expect(!Facts.usesColour(environment: [:], isTerminal: false))
    #expect(!Facts.usesColour(environment: ["NO_COLOR": "1"], isTerminal: true))
    #expect(!Facts.usesColour(environment: ["NO_COLOR": ""], isTerminal: true))
    #expect(!Facts.usesColour(environment: ["TERM": "dumb"], isTerminal: true))
  }

  @Test func commandRendersTextWithoutColourWhenNotATerminal() throws {
    let root = try FixtureRoot("examples/centos6-amd/root")
    let command = try Facts.parse(["--root", root.path])
    let output = try command.render(environment: [:], isTerminal: false)
    #expect(output.text.hasPrefix("Facts of \(root.path)\n\nCPU\n  vendor  "))
    #expect(!output.text.contains("\u{1B}"))
    #expect(try command.render(environment: ["NO_COLOR": "1"], isTerminal: true).text == output.text)
    #expect(try command.render(environment: [:], isTerminal: true).text.contains("\u{1B}[1mCPU\u{1B}[0m"))
  }

  @Test func bytesAreShownInBinaryUnits() {
    #expect(ByteCount.human(0) == "0 B")
    #expect(ByteCount.human(1023) == "1023 B")
    #expect(ByteCount.human(1024) == "1.0 KiB")
    #expect(ByteCount.human(1536) == "1.5 KiB")
    #expect(ByteCount.human(767_819_776) == "732.3 MiB")
    #expect(ByteCount.human(7_549_407_232) == "7.0 GiB")
    #expect(ByteCount.human(16_255_950_848) == "15.1 GiB")
  }
}

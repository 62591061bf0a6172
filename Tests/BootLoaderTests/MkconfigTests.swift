import Foundation
import TestSupport
import Testing

@testable import Editors

/// The part of ``BootLoaderEditor/runRegeneration()`` that runs the program,
/// on a fake mkconfig in a temporary folder (the live /boot is never touched).
@Suite struct MkconfigTests {
  func scratch() throws -> String {
    let directory = NSTemporaryDirectory() + "virthost-mkconfig-test-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: directory + "/efi", withIntermediateDirectories: true)
    return directory
  }

  func script(_ directory: String, _ body: String) throws -> String {
    let path = directory + "/fake-mkconfig"
    try Data("#!/bin/sh\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    return path
  }

  @Test func stdoutGoesIntoEveryOutputStderrNowhereModeKept() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let outputs = [directory + "/grub.cfg", directory + "/efi/grub.cfg"]
    for output in outputs {
      try Data("old\n".utf8).write(to: URL(fileURLWithPath: output))
      try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: output)
    }
    let program = try script(directory, "echo 'Generating grub configuration file ...' >&2\necho 'menuentry new'")
    try BootLoaderEditor.runMkconfig(executable: program, outputs: outputs)
    for output in outputs {
      #expect(try String(contentsOfFile: output, encoding: .utf8) == "menuentry new\n")
      let mode = try FileManager.default.attributesOfItem(atPath: output)[.posixPermissions] as? Int
      #expect(mode == 0o600)
    }
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix(".virthost") }
    #expect(leftovers.isEmpty)
  }

  @Test func aFailingRunReplacesNothingAndReportsStderr() throws {
    let directory = try scratch()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let output = directory + "/grub.cfg"
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: output))
    let failing = try script(directory, "echo 'partial'\necho 'syntax error in /etc/grub.d/40_custom' >&2\nexit 1")
    let error = #expect(throws: EditorError.self) {
      try BootLoaderEditor.runMkconfig(executable: failing, outputs: [output])
    }
    #expect(error?.message.contains("exit 1") == true)
    #expect(error?.message.contains("syntax error in /etc/grub.d/40_custom") == true)
    #expect(try String(contentsOfFile: output, encoding: .utf8) == "old\n")
    let silent = try script(directory, "exit 0")
    let empty = #expect(throws: EditorError.self) {
      try BootLoaderEditor.runMkconfig(executable: silent, outputs: [output])
    }
    #expect(empty?.message.contains("printed nothing") == true)
    #expect(try String(contentsOfFile: output, encoding: .utf8) == "old\n")
  }
}

import Foundation

/// Records the writes to a KSM sysfs directory in order, with inotify: each
/// `IN_CLOSE_WRITE` is one `echo value > file` (or one daemon write).
final class KSMWatcher {
  let directory: String
  private let fd: Int32

  init(_ directory: String) throws {
    self.directory = directory
    fd = inotify_init1(Int32(IN_CLOEXEC))
    guard fd >= 0, inotify_add_watch(fd, directory, UInt32(IN_CLOSE_WRITE)) >= 0 else {
      throw CocoaError(.fileReadUnknown, userInfo: [NSFilePathErrorKey: directory])
    }
  }

  deinit { close(fd) }

  /// The names of the files written since the last call, waiting up to
  /// `timeout` seconds for the first one when there is none yet.
  func names(waiting timeout: Double = 0) -> [String] {
    var result: [String] = []
    var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
    var wait = Int32(timeout * 1000)
    while poll(&poller, 1, wait) > 0 {
      var buffer = [UInt8](repeating: 0, count: 8192)
      let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      guard count > 0 else { break }
      var offset = 0
      while offset + 16 <= count {
        let length = buffer.withUnsafeBytes { Int($0.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self)) }
        let name = buffer[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
        result.append(String(decoding: name, as: UTF8.self))
        offset += 16 + length
      }
      wait = 0
    }
    return result
  }

  /// Collects writes until there are `count` of them or `timeout` seconds pass.
  func writes(count: Int, timeout: Double) -> [String] {
    let deadline = Date().addingTimeInterval(timeout)
    var result: [String] = []
    while result.count < count {
      let left = deadline.timeIntervalSinceNow
      if left <= 0 { break }
      result += writes(waiting: left)
    }
    return result
  }

  /// The writes since the last call as `file=value`, reading each file's
  /// content now (each file is written at most once per cycle).
  func writes(waiting timeout: Double = 0) -> [String] {
    names(waiting: timeout).map { name in
      "\(name)=\(contents(directory + "/" + name).trimmingCharacters(in: .newlines))"
    }
  }
}

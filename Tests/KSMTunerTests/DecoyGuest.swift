import Foundation

/// A real process that looks like a QEMU guest to both `pgrep -f` and the
/// daemon: `argv[0]` is `qemu-system-x86_64`, its arguments say `-enable-kvm`
/// (or `-machine accel=tcg` for a guest without KVM), and it holds `megabytes`
/// of touched memory, so its VmRSS (what `ps -o rsz` and the daemon read) is
/// real and stays put while it sleeps. It is a perl interpreter; nothing is faked.
final class DecoyGuest {
  let process: ChildProcess
  let kvm: Bool

  init(kvm: Bool, megabytes: Int, directory: String) throws {
    self.kvm = kvm
    let ready = directory + "/decoy-\(UUID().uuidString)"
    let code =
      "my ($mb, $ready) = @ARGV[-2, -1]; my $x = 'x' x ($mb * 1048576); "
      + "open(my $f, '>', $ready) or die; close($f); sleep 100000;"
    let accelerator = kvm ? ["-enable-kvm"] : ["-machine", "accel=tcg"]
    process = try ChildProcess(
      "/usr/bin/perl", ["qemu-system-x86_64", "-e", code, "--"] + accelerator + ["-m", "\(megabytes)", ready])
    guard eventually({ FileManager.default.fileExists(atPath: ready) }) else {
      throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: ready])
    }
    var last = -1
    eventually {
      let now = residentKilobytes(process.pid)
      defer { last = now }
      return now == last
    }
  }

  var pid: pid_t { process.pid }
  var resident: Int { residentKilobytes(process.pid) }

  func stop() { process.stop() }
}

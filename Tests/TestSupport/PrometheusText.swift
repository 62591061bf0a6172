import Foundation

/// A metrics file parsed by `prometheus_client`'s text parser (the Python client of
/// Prometheus, from PyPI, in the virtual environment scripts/bootstrap --test makes), the
/// oracle of the text format: each sample as `name{label="value"}` (labels sorted) with its
/// value, and each family with its type.
public enum PrometheusText {
  public static func parse(_ path: String) throws -> (samples: [String: Double], types: [String: String]) {
    let python = FixtureRoot.repository.appendingPathComponent(".build/test-venv/bin/python").path
    guard FileManager.default.isExecutableFile(atPath: python) else {
      throw Failure(message: "no \(python): run scripts/bootstrap --test (it installs prometheus_client there)")
    }
    let script = """
      import json, sys
      from prometheus_client.parser import text_string_to_metric_families
      samples, types = {}, {}
      for family in text_string_to_metric_families(open(sys.argv[1]).read()):
          types[family.name] = family.type
          for s in family.samples:
              labels = ",".join('%s="%s"' % item for item in sorted(s.labels.items()))
              samples[s.name + ("{" + labels + "}" if labels else "")] = s.value
      print(json.dumps({"samples": samples, "types": types}))
      """
    let run = try ProgramRun.run(python, ["-c", script, path])
    guard run.status == 0 else { throw Failure(message: "prometheus_client refused \(path): \(run.error)") }
    let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
    return (object?["samples"] as? [String: Double] ?? [:], object?["types"] as? [String: String] ?? [:])
  }

  /// Why the text could not be parsed.
  public struct Failure: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }
}

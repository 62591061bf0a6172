import Foundation

/// The `virthost` executable's entry: an Ansible module run when Ansible
/// invoked it as one, the command line otherwise.
public enum VirthostMain {
  /// Runs virthost with the process's arguments and exits.
  public static func main() -> Never {
    let arguments = CommandLine.arguments
    if AnsibleModule.isInvocation(arguments) {
      let (json, status) = AnsibleModule.run(argumentsFile: arguments[1])
      print(json)
      exit(status)
    }
    VirthostCommand.main()
    exit(0)
  }
}

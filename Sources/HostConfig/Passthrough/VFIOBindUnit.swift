/// The systemd template unit that hands a device whose host driver is built into the kernel
/// to `vfio-pci`: it sets the override, unbinds the host driver and asks the PCI bus to
/// probe the device again, as early as driverctl's own units (`DefaultDependencies=no`,
/// `Before=basic.target`). Until it runs, the host driver owns the device. A shell program
/// in a unit, not configuration: generated whole and compared whole.
public enum VFIOBindUnit {
  /// The template's file.
  public static let path = "/etc/systemd/system/virthost-vfio-bind@.service"

  /// The instance for the device at `address`.
  public static func name(_ address: String) -> String { "virthost-vfio-bind@\(address).service" }

  /// The template's text (`%I` is the address; `$$` is a `$` for the shell).
  public static let text = """
    # Written by virthost (passthrough): a device whose host driver is built into the kernel is
    # bound before any udev rule runs; this unbinds it and lets vfio-pci probe it. Pulled in by
    # the udev rule of \(VFIOUdevRules.path).
    [Unit]
    Description=Hand PCI device %I to vfio-pci (virthost)
    DefaultDependencies=no
    After=systemd-modules-load.service
    Before=basic.target

    [Service]
    Type=oneshot
    RemainAfterExit=yes
    ExecStart=/bin/sh -c 'd=/sys/bus/pci/devices/%I; echo vfio-pci > "$$d/driver_override"; case "$$(readlink "$$d/driver")" in */vfio-pci | "") ;; *) echo %I > "$$d/driver/unbind" ;; esac; echo %I > /sys/bus/pci/drivers_probe'

    """
}

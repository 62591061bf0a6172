#!/usr/bin/python
# Copyright: 2026 virthost maintainers
# SPDX-License-Identifier: Apache-2.0
#
# The module virthost.kvm.virthost. Ansible copies a module to every managed host on
# every run, so this is a small Python module and not the virthost binary (tens of
# megabytes): AnsibleModule validates the task's options, then the module runs the
# virthost installed on the host (by its package, or by the role virthost.kvm.host),
# with no shell, as `EXECUTABLE /dev/stdin`, writing the validated options as one JSON
# object to its standard input, and returns the one JSON result virthost prints.
#
# The JSON virthost reads is the arguments file of a binary module (Sources/Commands/
# Ansible/ModuleArguments.swift): the options spec or spec_file, root and
# ksmtuned_binary, and Ansible's _ansible_check_mode, _ansible_diff and
# _ansible_module_name. `executable` is this module's own: it names the program run,
# and is never read from anywhere but the validated top-level option.

from __future__ import annotations

DOCUMENTATION = r"""
module: virthost
short_description: Turn a Linux machine into a KVM host with virthost
version_added: 0.1.0
description:
  - Plans the desired state of a KVM host (IOMMU and other kernel arguments, KSM and its tuner,
    services, sysctl) against the host's files, applies the plan unless Ansible runs in check
    mode, and reports the plan, whether a reboot is needed and the facts it used.
  - The module runs the C(virthost) installed on the managed host (by the virthost package, or by
    the role P(virthost.kvm.host#role)); Ansible copies only this small module on each run, not
    the binary. The validated options reach C(virthost) as JSON on its standard input; no shell
    is involved.
  - A second run on a host in the desired state reports C(changed=false) and writes nothing.
  - With C(--diff), each file the plan changes is shown as a unified diff with C(a/) and C(b/)
    headers.
author:
  - virthost contributors (!UNKNOWN)
requirements:
  - virthost on the managed host (package C(virthost), or a copy of the binary), with
    libaugeas0 and augeas-lenses (C(augeas-libs) on the RHEL family)
options:
  spec:
    description:
      - "The desired state as a mapping, as it would be written in C(host.yaml), for example
        C({iommu: true, ksm: {enabled: true}})."
      - It is data only; a key in it never chooses the program the module runs (see O(executable)).
      - Exactly one of O(spec) and O(spec_file) is required.
    type: dict
  spec_file:
    description:
      - The desired state as a C(host.yaml) file on the managed host (an absolute path).
      - Exactly one of O(spec) and O(spec_file) is required.
    type: path
  root:
    description:
      - The directory standing for C(/) on the managed host. Every host file is read and written
        under it; a root other than C(/) is planned offline (nothing live is changed, a
        regeneration that only the host itself can run is reported, not run).
    type: path
    default: /
  ksmtuned_binary:
    description:
      - "Where C(virthost-ksmtuned) stands on the managed host, for C(ksm.tuner: bundled)."
      - Without it, the path virthost was built with.
    type: path
  executable:
    description:
      - The C(virthost) binary on the managed host that the module runs (an absolute path).
      - When it is missing, the task fails with a message saying so and how to install it.
    type: path
    default: /usr/bin/virthost
attributes:
  check_mode:
    support: full
    description: Plans and reports the changes and their diff; writes nothing.
  diff_mode:
    support: full
    description: A unified diff per changed file, and one entry per change that writes no file.
  platform:
    support: full
    platforms: posix
    description: Linux hosts (virthost reads C(/proc) and C(/sys) and links libaugeas).
notes:
  - "Validation messages follow Ansible's own (C(Unsupported parameters for ...),
    C(parameters are mutually exclusive: spec|spec_file)); C(virthost) checks the options again
    and validates the desired state, so the module and C(virthost plan) read it the same way."
"""

EXAMPLES = r"""
- name: KVM host with the IOMMU on and KSM tuned by the bundled tuner
  virthost.kvm.virthost:
    spec:
      iommu: true
      ksm:
        enabled: true
        tuner: bundled
  register: kvm

- name: Reboot when the kernel arguments changed
  ansible.builtin.reboot:
  when: kvm.reboot_required

- name: The desired state from a file on the host, virthost installed elsewhere
  virthost.kvm.virthost:
    spec_file: /etc/virthost/host.yaml
    executable: /opt/virthost/bin/virthost

- name: Review a host image offline, writing nothing
  virthost.kvm.virthost:
    spec_file: /srv/images/host1.yaml
    root: /srv/images/host1
  check_mode: true
  diff: true
"""

RETURN = r"""
msg:
  description: The plan's summary.
  returned: always
  type: str
  sample: "Plan: 2 to change, 2 to enable."
reboot_required:
  description: >-
    Whether a change takes effect only after this host reboots (kernel arguments); false
    when O(root) is not C(/), whose boot is not this host's.
  returned: success
  type: bool
  sample: true
reboot_pending_for_root:
  description: Whether a change waits for the boot of O(root), when O(root) is not C(/) (an image).
  returned: success
  type: bool
  sample: false
guests_running:
  description:
    - The guests a reboot of this host would stop, when O(root) is C(/) (0 for another root).
    - Every C(qemu-system-*) and C(qemu-kvm) process, KVM or TCG; libvirt's domains are among them.
  returned: success
  type: int
  sample: 0
check:
  description:
    - The verdict of C(virthost check) on the host as the run leaves it (after the apply; in check mode, as found).
    - The same rule as C(virthost check --format json), whose C(summary) this is.
  returned: success
  type: dict
  contains:
    status:
      description: C(OK) (in sync), C(WARNING) (pending reboot or regeneration), C(CRITICAL) (drifted), C(UNKNOWN).
      type: str
      sample: WARNING
    counts:
      description: How many items have each verdict.
      type: dict
    failed_checks:
      description: How many readiness checks failed.
      type: int
    line:
      description: The monitoring line.
      type: str
      sample: VIRTHOST WARNING - 1 pending reboot, 3 in sync
plan:
  description: The plan virthost computed for the host.
  returned: success
  type: dict
  contains:
    summary:
      description: One line counting the changes.
      type: str
      returned: success
    changes:
      description: >-
        The pending changes, each with its resource address, actions, the keys of host.yaml it
        comes from (C(origins), sorted) and reason.
      type: list
      elements: dict
      returned: success
      sample:
        - address: kernel_args["all"]
          actions: [update]
          origins: [iommu]
          reason: "iommu: on on an AMD CPU needs amd_iommu=on on the kernel lines"
    notes:
      description: "The plan's diagnostics, C(severity: summary)."
      type: list
      elements: str
      returned: success
    read_path:
      description: Whether the plan parsed the host's files (C(full)) or replayed a converged apply's trace
        (C(converged)), and why.
      type: dict
      returned: success
facts:
  description: The host facts the plan used (CPU vendor, IOMMU, KSM, boot loader, services), as
    C(virthost facts --format json) prints them.
  returned: success
  type: dict
pending_regeneration:
  description: The command that regenerates the boot loader's configuration, when the host itself
    must still run it (an offline root) or it was left pending.
  returned: when a regeneration is pending
  type: str
  sample: grub2-mkconfig -o /boot/grub2/grub.cfg
diff:
  description: In diff mode, Ansible's before/after pairs, one per changed file (C(a/) and C(b/)
    headers) and one per change that writes no file.
  returned: in diff mode
  type: list
  elements: dict
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule

INSTALL_HINT = (
    "Install the virthost package (apt install ./virthost_VERSION_ARCH.deb), or let the role"
    " virthost.kvm.host install it (virthost_deb or virthost_binary)"
)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            spec=dict(type="dict"),
            spec_file=dict(type="path"),
            root=dict(type="path", default="/"),
            ksmtuned_binary=dict(type="path"),
            executable=dict(type="path", default="/usr/bin/virthost"),
        ),
        mutually_exclusive=[("spec", "spec_file")],
        required_one_of=[("spec", "spec_file")],
        supports_check_mode=True,
    )

    executable = module.params["executable"]
    if not os.path.isabs(executable):
        module.fail_json(
            msg="executable must be an absolute path on the managed host, for example /usr/bin/virthost"
            " (got %s)" % executable,
            rc=2,
            changed=False,
        )
    if not os.path.exists(executable):
        module.fail_json(
            msg="virthost is not installed on this host: no %s (option executable). %s" % (executable, INSTALL_HINT),
            rc=127,
            changed=False,
        )
    if not os.access(executable, os.X_OK):
        module.fail_json(msg="%s is not executable (option executable)" % executable, rc=126, changed=False)

    # What virthost reads: the validated options (without the module's own `executable`) and
    # Ansible's modes, as in a binary module's arguments file.
    arguments = dict(
        (name, module.params[name])
        for name in ("spec", "spec_file", "root", "ksmtuned_binary")
        if module.params[name] is not None
    )
    arguments["_ansible_check_mode"] = module.check_mode
    arguments["_ansible_diff"] = module._diff
    arguments["_ansible_module_name"] = module._name

    rc, out, err = module.run_command(
        [executable, "/dev/stdin"], data=json.dumps(arguments), binary_data=True, expand_user_and_vars=False
    )
    try:
        result = json.loads(out)
    except ValueError:
        result = None
    if not isinstance(result, dict):
        module.fail_json(
            msg="%s printed no JSON result (exit status %d)" % (executable, rc), rc=rc, stdout=out, stderr=err, changed=False
        )

    result.pop("failed", None)
    if rc != 0:
        result.setdefault("msg", "%s failed (exit status %d)" % (executable, rc))
        module.fail_json(rc=rc, stderr=err, **result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()

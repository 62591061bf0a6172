#!/usr/bin/env bash
# sysctl-values.sh ROOT KEY... : what /lib/systemd/systemd-sysctl writes from the sysctl files under
# ROOT to each KEY (as a path under /proc/sys, e.g. fs/protected_regular). Prints
#   sysctl-exit <status>
#   value <dotted key> <value>      ("(not written)" when no file sets it)
# It runs in a private mount namespace where ROOT's folders are bind-mounted over /etc/sysctl.d,
# /run/sysctl.d, /usr/lib/sysctl.d, /usr/local/lib/sysctl.d and /etc/sysctl.conf (an empty file when
# ROOT has none), and /proc/sys is a tmpfs of empty fake keys: the machine's own /proc/sys and sysctl
# files are never written (checked before systemd-sysctl runs). Needs root and `unshare -m`.
# Used by sysctl-oracle.sh and, live, by Tests/EditorsTests/SystemdSysctlOracle.swift.
set -euo pipefail
root=$1; shift
empty=$(mktemp)
trap 'rm -f "$empty"' EXIT
conf=$empty
[[ -e $root/etc/sysctl.conf ]] && conf=$root/etc/sysctl.conf
for d in etc/sysctl.d run/sysctl.d usr/lib/sysctl.d usr/local/lib/sysctl.d; do mkdir -p "$root/$d"; done
unshare -m --propagation private bash -euo pipefail -c '
  root=$1 conf=$2; shift 2
  mount -t tmpfs tmpfs /proc/sys
  [[ $(stat -f -c %T /proc/sys) == tmpfs ]] || { echo "refusing: /proc/sys is not the tmpfs" >&2; exit 1; }
  for k in "$@"; do mkdir -p "/proc/sys/$(dirname "$k")"; : > "/proc/sys/$k"; done
  mount --bind "$root/etc/sysctl.d" /etc/sysctl.d
  mount --bind "$conf" /etc/sysctl.conf
  mount -t tmpfs tmpfs /run && mkdir -p /run/sysctl.d && mount --bind "$root/run/sysctl.d" /run/sysctl.d
  mount -t tmpfs tmpfs /usr/local/lib && mkdir -p /usr/local/lib/sysctl.d && mount --bind "$root/usr/local/lib/sysctl.d" /usr/local/lib/sysctl.d
  mount --bind "$root/usr/lib/sysctl.d" /usr/lib/sysctl.d
  status=0; /lib/systemd/systemd-sysctl >/dev/null 2>&1 || status=$?
  printf "sysctl-exit\t%s\n" "$status"
  for k in "$@"; do printf "value\t%s\t%s\n" "${k//\//.}" "$(v=$(cat "/proc/sys/$k"); echo "${v:-(not written)}")"; done
' bash "$root" "$conf" "$@"

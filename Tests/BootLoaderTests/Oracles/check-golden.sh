#!/bin/bash
# Runs every oracle on every fixture family and compares with the golden files
# under Oracles/golden/ (exit 1 and a diff on a difference); --update rewrites
# them (review `git diff Oracles/golden` before committing).
#   effective-cmdline/<family>.txt   effective-cmdline.sh Fixtures/<family>/root
#   grub-mkconfig/<family>.cfg       grub-mkconfig.sh Fixtures/<family>/root
#   grubenv/...                      grubenv.sh (its own goldens)
# Time: about 5 s on 2 shared cores. Needs root (grub-mkconfig.sh: unshare -m),
# bash, dash, grub-common and grub2-common 2.06-13+deb12u2 (Debian 12).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fixtures=$here/../Fixtures
golden=$here/golden
update=
[ "${1:-}" = --update ] && update=1
status=0
compare() { # $1 golden file, $2 actual file
  if [ -n "$update" ]; then mkdir -p "$(dirname "$1")"; cp "$2" "$1"; return; fi
  if ! cmp -s "$1" "$2"; then
    echo "DIFFERS: ${1#"$here"/}" >&2
    diff -u "$1" "$2" >&2 || true
    status=1
  fi
}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
for family in debian12 ubuntu2404-cloud rhel8 rocky9-tuned proxmox-systemd-boot xen-dom0-grub2 stale-grubcfg; do
  "$here/effective-cmdline.sh" "$fixtures/$family/root" >"$tmp/out" 2>&1; echo "exit $?" >>"$tmp/out"
  compare "$golden/effective-cmdline/$family.txt" "$tmp/out"
done
for family in debian12 ubuntu2404-cloud xen-dom0-grub2 stale-grubcfg; do
  "$here/grub-mkconfig.sh" "$fixtures/$family/root" >"$tmp/out" 2>"$tmp/err" || { cat "$tmp/err" >&2; status=1; }
  compare "$golden/grub-mkconfig/$family.cfg" "$tmp/out"
done
if [ -x "$here/grubenv.sh" ]; then
  if [ -n "$update" ]; then "$here/grubenv.sh" --update || status=1; else "$here/grubenv.sh" || status=1; fi
fi
[ $status = 0 ] && echo "oracles: all golden files match" >&2
exit $status

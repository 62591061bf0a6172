#!/usr/bin/env bash
# What Debian 12's insserv (1.24.0-1, run by update-rc.d of init-system-helpers) does to the rc
# links and to /etc/init.d/.depend.{boot,start,stop} (the makefile-style files startpar reads
# under sysv-rc's CONCURRENCY=makefile) when ksm and ksmtuned (oracle-constructed init scripts;
# ksmtuned has Required-Start: ksm) are enabled on a Debian sysvinit root whose links number
# ksmtuned (01) before ksm (02) and whose .depend.start lists neither (issue 34's booted guest).
# Golden data in Tests/EditorsTests/Fixtures/oracles/insserv/<case>.tsv: the update-rc.d format
# plus "depend<TAB>FILE<TAB>LINE" lines (every line of each .depend.* file after the step).
#   update-rc.d: `update-rc.d NAME enable` for ksm, then ksmtuned (the tool's own way)
#   virthost:    what virthost does on the live root: update-rc.d's rename without insserv
#                (/etc/insserv.conf hidden), then `insserv [-f] NAME` as update-rc.d runs it
#                (-f: no rcS.d/S??mountkernfs.sh, initscripts not installed)
# Both must end with the same links and .depend files. Needs root (overlay mount, chroot).
source "$(dirname "$0")/lib.sh"
start=$SECONDS
D=insserv
record_depend() {
  local f
  for f in boot start stop; do
    sed "s/^/depend\t.depend.$f\t/" "$ROOT/etc/init.d/.depend.$f" >> "$out"
  done
}
run() { step chroot "$ROOT" "$@"; record_depend; }
setup() {
  new_root debian insserv
  cp -p "$constructed/etc/init.d/ksm" "$constructed/etc/init.d/ksmtuned" "$ROOT/etc/init.d/"
  local l
  for l in 2 3 4 5; do
    ln -s ../init.d/ksmtuned "$ROOT/etc/rc$l.d/K01ksmtuned"
    ln -s ../init.d/ksm "$ROOT/etc/rc$l.d/K02ksm"
  done
  for l in 0 1 6; do
    ln -s ../init.d/ksmtuned "$ROOT/etc/rc$l.d/K01ksmtuned"
    ln -s ../init.d/ksm "$ROOT/etc/rc$l.d/K02ksm"
  done
  note "made by hand first: rc0-6.d/K01ksmtuned, rc0-6.d/K02ksm; .depend.start as the root has it (TARGETS empty)"
  printf 'run\t(initial state)\t0\n' >> "$out"
  record_links
  record_depend
}
begin_case $D ksm-ksmtuned-update-rc.d "ksm then ksmtuned enabled by update-rc.d NAME enable (insserv installed)"
setup
run /usr/sbin/update-rc.d ksm enable
run /usr/sbin/update-rc.d ksmtuned enable
final_tool=$(links_now; cat "$ROOT"/etc/init.d/.depend.*)

begin_case $D ksm-ksmtuned-virthost "update-rc.d's rename without insserv, then insserv NAME, for ksm then ksmtuned"
setup
for name in ksm ksmtuned; do
  mv "$ROOT/etc/insserv.conf" "$ROOT/etc/insserv.conf.hidden"
  run /usr/sbin/update-rc.d "$name" enable
  mv "$ROOT/etc/insserv.conf.hidden" "$ROOT/etc/insserv.conf"
  run /sbin/insserv -f "$name"
done
final_virthost=$(links_now; cat "$ROOT"/etc/init.d/.depend.*)
if [[ $final_tool != "$final_virthost" ]]; then
  echo "insserv-oracle: the rename followed by insserv does not end where update-rc.d does" >&2
  exit 1
fi
echo "insserv-oracle: $((SECONDS - start)) s, golden files in ${golden#$repo/}/$D/" >&2

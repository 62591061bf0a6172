#!/bin/sh
# WANT_JSON
# The module virthost.kvm.virthost (documentation: virthost.yml beside this file).
#
# Ansible copies a module to every managed host on every run, so the module is
# this small wrapper and not the virthost binary (tens of megabytes): it runs the
# virthost installed on the host (by its package, or by the role virthost.kvm.host)
# with the arguments file Ansible passes, which virthost reads as a binary module
# does. virthost validates every option and prints the one JSON result; this
# wrapper only reads `executable`, the option that is its own.
#
# WANT_JSON above makes Ansible pass the arguments as a JSON file, one line, as
# Python's json.dumps writes it.
args=$1

fail() {
  # $1 is a message without double quotes or backslashes (it is put into JSON as is).
  printf '{"changed": false, "failed": true, "rc": %s, "msg": "%s"}\n' "$2" "$1"
  exit 1
}

[ -r "$args" ] || fail "virthost.kvm.virthost: cannot read the arguments file ${args:-(none)}" 2

executable=/usr/bin/virthost
# "executable": "PATH" at the top level of the arguments object (after { or a comma).
if grep -Eq '[{,] *"executable": *(null *[,}]|"[^"\\]*" *[,}])' "$args"; then
  given=$(sed -n 's/.*[{,] *"executable": *"\([^"\\]*\)" *[,}].*/\1/p' "$args")
  [ -n "$given" ] && executable=$given
elif grep -Eq '[{,] *"executable":' "$args"; then
  fail "argument 'executable' must be a path without double quotes, backslashes or non-ASCII characters" 2
fi

case $executable in
/*) ;;
*) fail "executable must be an absolute path on the managed host, for example /usr/bin/virthost (got ${executable})" 2 ;;
esac
if [ ! -e "$executable" ]; then
  fail "virthost is not installed on this host: no ${executable} (option executable). Install the virthost package (apt install ./virthost_VERSION_ARCH.deb), or let the role virthost.kvm.host install it (virthost_deb or virthost_binary)" 127
fi
[ -x "$executable" ] || fail "${executable} is not executable (option executable)" 126

exec "$executable" "$args"

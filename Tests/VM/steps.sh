# Sourced by the scenarios of the VM test's other families (Tests/VM/*/scenario;
# docs/testing.md#families): the boot counter and the step helpers, printing the lines
# scripts/vm-test reads from the serial console, as Tests/VM/scenario (the first family,
# left as it is) prints them:
#   VMTEST PASS boot<N> <step>      VMTEST FAIL boot<N> <step>
#   VMTEST |  <detail lines of a failure>   VMTEST INFO boot<N> <evidence>
#   VMTEST BEGIN boot<N> …          VMTEST END boot<N>
# Expects payload and state to be set.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export TERM=dumb NO_COLOR=1
mkdir -p "$state"
boot=$(($(cat "$state/boot" 2>/dev/null || echo 0) + 1))
echo "$boot" >"$state/boot"
sync
out=$(mktemp)
# step NAME COMMAND...: runs the command (its output into $out), PASS when it exits 0.
step() {
  local name=$1
  shift
  if "$@" >"$out" 2>&1; then
    echo "VMTEST PASS boot$boot $name"
  else
    echo "VMTEST FAIL boot$boot $name"
    tail -n 40 "$out" | sed 's/^/VMTEST |  /'
  fi
}
info() { echo "VMTEST INFO boot$boot $*"; }
# exits STATUS COMMAND...: the command exits with STATUS; its output is shown.
exits() {
  local want=$1 got=0
  shift
  "$@" || got=$?
  [[ $got == "$want" ]] || { echo "exit status $got, expected $want: $*"; return 1; }
}

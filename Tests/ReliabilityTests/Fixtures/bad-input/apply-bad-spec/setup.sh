printf "ksm:\n  settings:\n    KSM_NPAGES_MAX: \$(reboot)\n" > "$SPEC"

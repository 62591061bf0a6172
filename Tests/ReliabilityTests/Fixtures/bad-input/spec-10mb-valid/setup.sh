yes "# padding of a huge desired-state file ......................................" | head -n 160000 >> "$SPEC"

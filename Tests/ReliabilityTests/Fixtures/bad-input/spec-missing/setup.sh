rm "$SPEC"

rm "$SPEC"; mkdir "$SPEC"

rm "$SPEC"; ln -s /dev/zero "$SPEC"

head -c 4096 /dev/urandom > "$SPEC"; printf "\0" >> "$SPEC"

head -c 2048 /dev/urandom > "$ROOT/boot/grub/grub.conf"

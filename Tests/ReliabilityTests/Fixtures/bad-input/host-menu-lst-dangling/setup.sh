rm "$ROOT/boot/grub/grub.conf"

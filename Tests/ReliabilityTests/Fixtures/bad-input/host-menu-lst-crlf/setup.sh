sed -i 's/$/\r/' "$ROOT/boot/grub/grub.conf"

sed -i '0,/^title .*/s//title/' "$ROOT/boot/grub/grub.conf"

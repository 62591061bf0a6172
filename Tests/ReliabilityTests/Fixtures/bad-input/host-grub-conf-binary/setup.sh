printf '\177ELF\002\001\001\000\377\376\n' > "$ROOT/boot/grub/grub.conf"

sed -i 's/vga=795$/vga=795 acpi_osi="Windows 2009"/' "$ROOT/boot/grub/grub.conf"

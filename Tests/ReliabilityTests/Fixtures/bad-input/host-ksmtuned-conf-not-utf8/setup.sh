printf "# r\351glage: KSM\n" >> "$ROOT/etc/ksmtuned.conf"

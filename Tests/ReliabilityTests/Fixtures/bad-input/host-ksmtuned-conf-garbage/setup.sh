printf "KSM_NPAGES_MAX=(1250\nif then fi }\n" >> "$ROOT/etc/ksmtuned.conf"

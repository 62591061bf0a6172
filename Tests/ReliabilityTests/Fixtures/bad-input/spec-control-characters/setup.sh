printf 'iommu: on\n\000\033[2J\n' > "$SPEC"

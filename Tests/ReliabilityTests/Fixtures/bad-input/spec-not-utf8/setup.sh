printf "iommu: on\n# r\xe9glage\n" > "$SPEC"

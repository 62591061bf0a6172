rm "$SPEC"; ln -s /nonexistent/host.yaml "$SPEC"

# Shared by the demo scripts: print a command as typed, run it, show a non-zero exit code.
step() { printf '$ %s\n' "$*"; "$@" 2>&1; code=$?; [ "$code" = 0 ] || echo "(exit code $code)"; }

#!/usr/bin/env bash
# Charts and report.html from a results folder: scripts/report.py on the first python3 that
# has matplotlib (Debian's /usr/bin/python3 sees python3-matplotlib).
# Usage: scripts/report.sh RESULTS_DIR [--sensitivity DIR] [--out DIR]
here="$(dirname "$0")"
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null && "$py" -c "import matplotlib" 2>/dev/null; then exec "$py" "$here/report.py" "$@"; fi
done
echo "report.sh: no python3 with matplotlib (apt-get install python3-matplotlib)" >&2
exit 2

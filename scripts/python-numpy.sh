#!/usr/bin/env bash
# Runs python3 with NumPy and SciPy: the first interpreter that has them (on PATH,
# then Debian's /usr/bin/python3, which sees python3-numpy and python3-scipy).
for py in python3 /usr/bin/python3; do
  if command -v "$py" >/dev/null && "$py" -c "import numpy, scipy" 2>/dev/null; then exec "$py" "$@"; fi
done
echo "python-numpy.sh: no python3 with numpy and scipy (apt-get install python3-numpy python3-scipy)" >&2
exit 1

#!/usr/bin/env bash
# The charts as a reader meets them: a small run and tornado, scripts/report.sh, then every PNG
# and SVG is checked not blank, and report.html is rendered by headless Chromium (Debian's
# chromium) to a screenshot that must not be blank either. Needs python3-matplotlib, chromium.
# Usage: scripts/check-report.sh BUILDOUT_BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$1"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$bin" run --paths 4000 --progress none --out "$work/results" >/dev/null 2>&1
"$bin" sensitivity --method tornado --paths 1000 --progress none --out "$work/results" >/dev/null 2>&1
scripts/report.sh "$work/results"
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "check-report: no chromium (apt-get install chromium)" >&2; exit 1; }
# As root Chromium needs --no-sandbox; its profile goes to the scratch folder.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
  --window-size=1300,2400 --screenshot="$work/screenshot.png" "file://$work/results/charts/report.html" >/dev/null 2>&1
# The interpreter report.sh found matplotlib in (numpy comes with it).
py=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null && "$candidate" -c "import matplotlib" 2>/dev/null; then py="$candidate"; break; fi
done
[ -n "$py" ] || { echo "check-report: no python3 with matplotlib" >&2; exit 1; }
"$py" - "$work/results/charts" "$work/screenshot.png" <<'PY'
import sys
from pathlib import Path
import matplotlib.image as mpimg
import numpy as np

charts, shot = Path(sys.argv[1]), Path(sys.argv[2])
failed = 0

def ink(path):
    """Share of pixels that are not background white, and the spread of grey levels."""
    img = mpimg.imread(path)[..., :3]
    grey = img.mean(axis=2)
    return float((grey < 0.95).mean()), float(grey.std())

for name in ("npv_s_curves", "cash_fan", "site_ready", "criticality", "tornado"):
    png, svg = charts / f"{name}.png", charts / f"{name}.svg"
    if not png.exists() or not svg.exists():
        print(f"{name}: missing"); failed += 1; continue
    share, spread = ink(png)
    paths = svg.read_text().count("<path")
    ok = share > 0.01 and spread > 0.05 and paths > 20
    failed += not ok
    print(f"{name}: {100 * share:.1f}% ink, grey spread {spread:.2f}, {paths} SVG paths: {'ok' if ok else 'BLANK'}")
html = (charts / "report.html").read_text()
embedded = html.count("data:image/png;base64,")
share, spread = ink(shot)
ok = embedded == 5 and share > 0.02 and spread > 0.05
failed += not ok
print(f"report.html: {embedded} charts embedded; Chromium screenshot {100 * share:.1f}% ink, grey spread {spread:.2f}: {'ok' if ok else 'BLANK'}")
sys.exit(1 if failed else 0)
PY

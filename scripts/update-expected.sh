#!/usr/bin/env bash
# Golden outputs: tests/expected/<config>/{percentiles.csv,sites.csv,headline.md}
# for each shipped config at 20,000 paths and the config's own seed, and
# tests/expected/backtest/{backtest.csv,backtest.md}: the backtest's percentiles
# (configs/asof-2025-01.toml against validation/outcomes-2025.toml), pinned so
# that a change that moves them is seen.
#
#   scripts/update-expected.sh [BINARY]          regenerate them and print the diff
#   scripts/update-expected.sh --check [BINARY]  compare byte for byte (ctest's GoldenOutputs)
#
# A change to results is then made on purpose and seen in review: run it,
# read the diff, and commit the new files with the change that moved them.
set -euo pipefail
cd "$(dirname "$0")/.."
check=0
if [ "${1:-}" = "--check" ]; then check=1; shift; fi
binary="${1:-build/buildout}"
[ -x "$binary" ] || { echo "update-expected: $binary: not an executable (build first: scripts/build.sh)" >&2; exit 2; }
binary="$(cd "$(dirname "$binary")" && pwd)/$(basename "$binary")"
readonly paths=20000

fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
for config in configs/*.toml; do
  name="$(basename "$config" .toml)"
  # The relative path is part of headline.md, so it is run from the repository root.
  "$binary" run "$config" --paths "$paths" --progress none --out "$fresh/$name" >/dev/null 2>"$fresh/$name.log" || {
    echo "update-expected: $binary run $config failed:" >&2; cat "$fresh/$name.log" >&2; exit 1; }
done
"$binary" backtest configs/asof-2025-01.toml validation/outcomes-2025.toml --paths "$paths" --progress none --out "$fresh/backtest" \
  >/dev/null 2>"$fresh/backtest.log" || { echo "update-expected: $binary backtest failed:" >&2; cat "$fresh/backtest.log" >&2; exit 1; }

status=0
for name in $(for c in configs/*.toml; do basename "$c" .toml; done) backtest; do
  files="percentiles.csv sites.csv headline.md"
  [ "$name" = backtest ] && files="backtest.csv backtest.md"
  for f in $files; do
    expected="tests/expected/$name/$f"
    if [ "$check" = 1 ]; then
      if ! cmp -s "$expected" "$fresh/$name/$f"; then
        echo "GOLDEN MISMATCH $expected (${paths} paths):"
        diff -u "$expected" "$fresh/$name/$f" | head -40 || true
        status=1
      fi
    else
      mkdir -p "tests/expected/$name"
      if ! cmp -s "$expected" "$fresh/$name/$f" 2>/dev/null; then
        diff -u "$expected" "$fresh/$name/$f" 2>/dev/null | head -60 || true
        cp "$fresh/$name/$f" "$expected"
        echo "updated $expected"
      fi
    fi
  done
done
if [ "$check" = 1 ]; then
  [ "$status" = 0 ] && echo "golden outputs: all $(ls configs/*.toml | wc -l) configs and the backtest byte-identical at $paths paths" \
    || echo "If the change is meant, run scripts/update-expected.sh and commit tests/expected/ with it."
else
  git status --short tests/expected
fi
exit "$status"

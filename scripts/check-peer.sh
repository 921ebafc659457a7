#!/usr/bin/env bash
# Runs the engine and the NumPy peer on the same config and path count and holds
# their key statistics equal within 4 standard errors (scripts/peer_agreement.py).
# Usage: check-peer.sh BUILDOUT_BINARY [PATHS] [CONFIG]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
engine="$1"; paths="${2:-200000}"; config="${3:-$here/../configs/base.toml}"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
"$engine" run "$config" --paths "$paths" --seed 11 --device cpu --progress none --out "$work/engine" > /dev/null \
  2> "$work/engine.log" || { cat "$work/engine.log"; exit 1; }
"$here/python-numpy.sh" "$here/numpy_peer.py" "$config" --paths "$paths" --seed 12 --dump "$work/peer.npz" > /dev/null
"$here/python-numpy.sh" "$here/peer_agreement.py" "$work/engine" "$work/peer.npz"

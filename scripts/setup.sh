#!/usr/bin/env bash
# Installs what Buildout needs to build and test, from Debian's packages.
# The CUDA toolkit (nvcc, Thrust, cuRAND headers) is expected under /usr/local/cuda.
set -euo pipefail
packages=(cmake ninja-build g++ libcli11-dev libtomlplusplus-dev nlohmann-json3-dev libboost-dev libssl-dev
          libgtest-dev libbenchmark-dev python3-numpy python3-scipy valgrind libopenmpi-dev openmpi-bin
          slurm-wlm munge python3-matplotlib chromium)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "setup: installed ${missing[*]}"
fi
if ! command -v nvcc >/dev/null && [ ! -x /usr/local/cuda/bin/nvcc ]; then
  echo "setup: no CUDA toolkit found (nvcc); Thrust and cuRAND headers come from it, install CUDA 13" >&2
  exit 1
fi

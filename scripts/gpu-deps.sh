#!/usr/bin/env bash
# Run here, before a GPU check: the device machine has CUDA, CMake, ninja and NumPy but
# not Debian's -dev packages, and it can fetch nothing. This downloads them (about 11 MB)
# into .gpu-deps/ (git-ignored), to be carried along and unpacked by scripts/gpu-check.sh:
#   device run: command "scripts/gpu-check.sh", carry [".gpu-deps"]
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .gpu-deps
cd .gpu-deps
rm -f ./*.deb
apt-get download libcli11-dev libtomlplusplus-dev libtomlplusplus3 nlohmann-json3-dev libboost1.74-dev \
  libgtest-dev googletest libbenchmark-dev libbenchmark1debian 2>&1 | grep -v "unsandboxed" || true
ls -1 ./*.deb | wc -l | sed 's/$/ packages in .gpu-deps/'
